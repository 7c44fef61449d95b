// A source's @map at run time, with the reference's `trp:` attribute mappings:
// `@attributes(messageId='trp:messageId', a='$.a')` reads messageId from the
// transport properties the source hands to deliver and leaves the mapper a
// stream of the other attributes. Called by attach-io.ts for every @source.

import type { AttributeSchema } from '../runtime/schema.js';
import { parseAs } from '../runtime/values.js';
import type { MappedEvent, MapperContext, SourceMapperKind, TransportProperties } from './contract.js';
import { attributeMappingOf } from './mappers/attribute-mappings.js';

const TRP = 'trp:';

interface TransportSlot {
  readonly at: number;
  readonly property: string;
  readonly attribute: AttributeSchema;
}

/** The mapping function of `kind` for `ctx`; with `trp:` mappings, the mapper sees only the other attributes. */
export function createSourceMapping(
  kind: SourceMapperKind,
  ctx: MapperContext,
): (payload: unknown, transport?: TransportProperties) => MappedEvent[] {
  const mappings = ctx.attributeMappings;
  if (!mappings?.some((m) => m.value.startsWith(TRP))) {
    return kind.create(ctx);
  }
  const named = mappings.some((m) => m.key !== undefined);
  for (const m of mappings) {
    if (named && !ctx.attributes.some((a) => a.name === m.key)) {
      throw new Error(`@attributes names '${m.key ?? m.value}', which is not an attribute of stream '${ctx.streamName}'`);
    }
  }
  const mappingOf = attributeMappingOf(mappings);
  const slots: TransportSlot[] = [];
  const inner: { at: number; attribute: AttributeSchema; mapping?: { key: string; value: string } }[] = [];
  ctx.attributes.forEach((attribute, at) => {
    const m = mappingOf(attribute.name, at);
    if (m?.value.startsWith(TRP)) slots.push({ at, property: m.value.slice(TRP.length), attribute });
    else inner.push({ at, attribute, ...(m ? { mapping: { key: attribute.name, value: m.value } } : {}) });
  });
  const map = kind.create({
    ...ctx,
    attributes: inner.map((i) => i.attribute),
    attributeMappings: inner.flatMap((i) => (i.mapping ? [i.mapping] : [])),
  });
  const width = ctx.attributes.length;
  return (payload, transport) => map(payload).map((e) => {
    if (e.error !== undefined) return e;
    const data: unknown[] = new Array(width);
    for (let i = 0; i < inner.length; i++) data[inner[i]!.at] = e.data[i];
    for (const s of slots) data[s.at] = transportValue(s, transport?.(s.property));
    return e.timestamp === undefined ? { data } : { data, timestamp: e.timestamp };
  });
}

/** Text properties (headers) are parsed as the attribute's type; typed ones (a request event's attributes) kept. */
function transportValue(slot: TransportSlot, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const type = slot.attribute.type;
  if (typeof value !== 'string') return type === 'string' ? String(value) : value;
  if (type === 'string' || type === 'object') return value;
  const parsed = parseAs(value, type);
  if (parsed === null) throw new Error(`trp:${slot.property} '${value}' is not a ${type} (attribute '${slot.attribute.name}')`);
  return parsed;
}
