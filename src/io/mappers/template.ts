// @payload("…{{attribute}}…") templates of sink mappers: placeholders are
// resolved to positions once; values are inserted as text (null as 'null').

import type { Event } from '../../runtime/junction.js';
import type { AttributeType } from '../../ast/index.js';
import type { AttributeSchema } from '../../runtime/schema.js';
import { valueText } from './value-text.js';

export function compileTemplate(template: string, attributes: readonly AttributeSchema[]): (e: Event) => string {
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
    for (const p of parts) out += typeof p === 'string' ? p : textOf(e.data[p], types[p]!);
    return out;
  };
}

function textOf(v: unknown, type: AttributeType): string {
  return v === null || v === undefined ? 'null' : valueText(v, type);
}
