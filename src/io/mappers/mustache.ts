// The text sink mapper's mustache.enabled='true' templates, as mustache.java
// renders them with the event's attributes as the scope: {{a}} HTML-escaped,
// {{{a}}} and {{&a}} as is, a null or an unknown name as nothing.

import type { Event } from '../../runtime/junction.js';
import type { AttributeSchema } from '../../runtime/schema.js';
import { valueText } from './value-text.js';

/** mustache.java's HTML escapes: & < > " ' ` = and the control characters up to 13 as &#n;. */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;', '=': '&#61;' };

export function compileMustache(template: string, attributes: readonly AttributeSchema[]): (e: Event) => string {
  const parts: (string | { at: number; escape: boolean })[] = [];
  let from = 0;
  for (const m of template.matchAll(/\{\{\{\s*([^{}\s]+)\s*\}\}\}|\{\{\s*(&)?\s*([^{}\s#^/!>]+)\s*\}\}/g)) {
    parts.push(template.slice(from, m.index));
    const name = m[1] ?? m[3]!;
    const at = attributes.findIndex((a) => a.name === name);
    if (at >= 0) parts.push({ at, escape: m[1] === undefined && m[2] === undefined });
    from = m.index + m[0].length;
  }
  parts.push(template.slice(from));
  const types = attributes.map((a) => a.type);
  return (e) => {
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') {
        out += p;
        continue;
      }
      const v = e.data[p.at];
      if (v === null || v === undefined) continue;
      const text = valueText(v, types[p.at]!);
      out += p.escape ? escapeHtml(text) : text;
    }
    return out;
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=\x00-\x0d]/g, (c) => ESCAPES[c] ?? `&#${c.charCodeAt(0)};`);
}
