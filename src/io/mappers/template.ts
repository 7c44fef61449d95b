// @payload("…{{attribute}}…") templates of sink mappers: placeholders are
// resolved to positions once; values are inserted as text (null as 'null').

import type { Event } from '../../runtime/junction.js';
import type { AttributeSchema } from '../../runtime/schema.js';
import { jsonValue } from '../../runtime/values.js';

export function compileTemplate(template: string, attributes: readonly AttributeSchema[]): (e: Event) => string {
  const parts: (string | number)[] = [];
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
    for (const p of parts) out += typeof p === 'string' ? p : textOf(e.data[p]);
    return out;
  };
}

function textOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  return typeof v === 'object' ? JSON.stringify(v, jsonValue) : String(v);
}
