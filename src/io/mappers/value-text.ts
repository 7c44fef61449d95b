// One attribute value as text in a sink's payload (templates, text, csv, xml),
// as the reference's mappers write it: Java's String.valueOf, so a float is
// Float.toString and a double Double.toString (100 → "100.0", 1e10 → "1.0E10").
// Called by template.ts, text-mappers.ts, csv-sink-mapper.ts and xml-sink-mapper.ts.

import type { AttributeType } from '../../ast/index.js';
import { formatDouble, formatFloat, formatObject } from '../../runtime/values.js';

/**
 * A non-null value's text: a float 55.6 stays "55.6", not the double it is held as (55.599998474121094); a double
 * 25 is "25.0"; an object value as its Java toString (a map {k=v, …} in HashMap order, a list [a, b]).
 */
export function valueText(v: unknown, type: AttributeType): string {
  if (typeof v === 'number') {
    if (type === 'float') return formatFloat(v);
    if (type === 'double') return formatDouble(v);
  }
  return typeof v === 'object' && v !== null ? formatObject(v) : String(v);
}

/** A @payload that is an attribute's name alone asks for the value itself, which the reference's text mappers refuse. */
export function refuseObjectPayload(template: string | undefined, attributes: readonly { readonly name: string }[], mapper: string): void {
  if (template === undefined || !attributes.some((a) => a.name === template.trim())) return;
  throw new Error(`${mapper} sink mapper: @payload('${template.trim()}') names an attribute alone (an object @payload mapping), which it does not support; write '{{${template.trim()}}}' for its text`);
}
