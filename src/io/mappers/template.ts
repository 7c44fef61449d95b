// @payload("…{{attribute}}…") templates of sink mappers and per-event options
// (topic='{{symbol}}'): placeholders are resolved to positions once; values are
// inserted as Java's String.valueOf writes them (value-text.ts), null as `nullText`.

import type { Event } from '../../runtime/junction.js';
import type { AttributeType } from '../../ast/index.js';
import type { AttributeSchema } from '../../runtime/schema.js';
import { valueText } from './value-text.js';

/**
 * `nullText`: what a null value becomes ('null', as the reference's TemplateBuilder appends it; the json
 * mapper passes 'undefined', the text it puts in place of nulls first). A template in backticks with no
 * white space (`` `{{a}}` ``) loses them, as in the reference.
 */
export function compileTemplate(template: string, attributes: readonly AttributeSchema[], nullText = 'null'): (e: Event) => string {
  if (/^`\S*`$/.test(template)) template = template.slice(1, -1);
  const parts: (string | number)[] = [];
  const types = attributes.map((a) => a.type);
  let at = 0;
  for (const m of template.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)) {
    const index = attributes.findIndex((a) => a.name === m[1]);
    if (index < 0) throw new Error(`@payload names '${m[1]}', which is not an attribute (${attributes.map((a) => a.name).join(', ')})`);
    parts.push(template.slice(at, m.index), index);
    at = m.index + m[0].length;
  }
  parts.push(template.slice(at));
  return (e) => {
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') out += p;
      else out += textOf(e.data[p], types[p]!, nullText);
    }
    return out;
  };
}

function textOf(v: unknown, type: AttributeType, nullText: string): string {
  return v === null || v === undefined ? nullText : valueText(v, type);
}
