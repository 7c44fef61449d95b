// @attributes of a source @map, attribute by attribute: named
// `@attributes(a='path', …)` or positional `@attributes('path', …)`.

import type { MapperContext } from '../contract.js';

type AttributeMapping = NonNullable<MapperContext['attributeMappings']>[number];

/** Looks up the mapping of attribute `name` at stream position `at`: by name when the mappings are named, else by position. */
export function attributeMappingOf(mappings: readonly AttributeMapping[]): (name: string, at: number) => AttributeMapping | undefined {
  const named = mappings.some((m) => m.key !== undefined);
  return named ? (name) => mappings.find((x) => x.key === name) : (_name, at) => mappings[at];
}

/** The mapping of each attribute, in stream order; throws naming an attribute without one (`what`: 'JSON path', 'XPath'…). */
export function mappingsByAttribute(ctx: MapperContext, what: string): string[] {
  const mappingOf = attributeMappingOf(ctx.attributeMappings ?? []);
  return ctx.attributes.map((a, i) => {
    const m = mappingOf(a.name, i);
    if (!m) throw new Error(`@attributes has no ${what} for attribute '${a.name}'`);
    return m.value;
  });
}
