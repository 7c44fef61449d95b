// @attributes of a source @map, attribute by attribute: named
// `@attributes(a='path', …)` or positional `@attributes('path', …)`.

import type { MapperContext } from '../contract.js';

/** The mapping of each attribute, in stream order; throws naming an attribute without one (`what`: 'JSON path', 'XPath'…). */
export function mappingsByAttribute(ctx: MapperContext, what: string): string[] {
  const mappings = ctx.attributeMappings ?? [];
  const named = mappings.some((m) => m.key !== undefined);
  return ctx.attributes.map((a, i) => {
    const m = named ? mappings.find((x) => x.key === a.name) : mappings[i];
    if (!m) throw new Error(`@attributes has no ${what} for attribute '${a.name}'`);
    return m.value;
  });
}
