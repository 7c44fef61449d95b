// One attribute value as text in a sink's payload (templates, text, csv, xml):
// a float as Java's Float.toString writes it, as the reference's mappers do.
// Called by template.ts, text-mappers.ts and xml-sink-mapper.ts.

import type { AttributeType } from '../../ast/index.js';
import { formatFloat, jsonFloat, jsonValue } from '../../runtime/values.js';

/** A non-null value's text: a float 55.6 stays "55.6", not the double it is held as (55.599998474121094). */
export function valueText(v: unknown, type: AttributeType): string {
  if (type === 'float' && typeof v === 'number') return formatFloat(v);
  return typeof v === 'object' && v !== null ? JSON.stringify(v, jsonValue) : String(v);
}

/** A float as the JSON number Gson writes for it (55.6), by values.ts jsonFloat; other values unchanged. */
export function jsonNumberOf(v: unknown, type: AttributeType): unknown {
  return type === 'float' ? jsonFloat(v) : v;
}
