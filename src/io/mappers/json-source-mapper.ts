// @map(type='json') for sources: the reference's default shape
// {"event":{"a":1,…}} (the "event" wrapper optional, arrays for many events),
// or custom @attributes(a='$.path', …) under an optional enclosing.element
// (where, as in the reference, a value's text is read as the attribute's type).

import type { MappedEvent, MapperContext, SourceMapperKind } from '../contract.js';
import type { AttributeSchema } from '../../runtime/schema.js';
import { parseAs } from '../../runtime/values.js';
import { mappingsByAttribute } from './attribute-mappings.js';
import { compileJsonPath } from './json-path.js';
import { clip, parseJsonPayload } from './parse-payload.js';

export const jsonSourceMapper: SourceMapperKind = {
  create(ctx) {
    const failOnMissing = ctx.options.bool('fail.on.missing.attribute', true);
    return ctx.attributeMappings ? customMapping(ctx, failOnMissing) : defaultMapping(ctx, failOnMissing);
  },
};

function defaultMapping(ctx: MapperContext, failOnMissing: boolean): (payload: unknown) => MappedEvent[] {
  const positions = new Map(ctx.attributes.map((a, i) => [a.name, i]));
  const names = ctx.attributes.map((a) => a.name).join(', ');
  const one = (item: unknown): MappedEvent => {
    const wrapped = isObject(item) ? (item['event'] ?? item) : item;
    if (!isObject(wrapped)) throw new Error(`expected an object like {"event":{${names}}}, got ${clip(JSON.stringify(item) ?? String(item))}`);
    const data: unknown[] = new Array(positions.size).fill(undefined);
    for (const [key, value] of Object.entries(wrapped)) {
      const at = positions.get(key);
      if (at === undefined) throw new Error(`stream '${ctx.streamName}' has no attribute '${key}' (attributes: ${names})`);
      data[at] = value;
    }
    return { data: fillMissing(data, ctx, failOnMissing) };
  };
  return (payload) => {
    const json = parseJsonPayload(payload);
    return Array.isArray(json) ? json.map(one) : [one(json)];
  };
}

function customMapping(ctx: MapperContext, failOnMissing: boolean): (payload: unknown) => MappedEvent[] {
  const readers = mappingsByAttribute(ctx, 'path').map(compileJsonPath);
  const enclosing = compileJsonPath(ctx.options.get('enclosing.element', '$'));
  const one = (element: unknown): MappedEvent => ({
    data: fillMissing(readers.map((read, i) => asAttributeType(read(element), ctx.attributes[i]!)), ctx, failOnMissing),
  });
  return (payload) => {
    const json = parseJsonPayload(payload);
    const element = enclosing(json);
    if (element === undefined) throw new Error(`enclosing.element '${ctx.options.get('enclosing.element')}' is absent`);
    return Array.isArray(element) ? element.map(one) : [one(element)];
  };
}

function fillMissing(data: unknown[], ctx: MapperContext, failOnMissing: boolean): unknown[] {
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== undefined) {
      // Nested values read into a string attribute keep their JSON text, as the reference does.
      const a = ctx.attributes[i]!;
      if (a.type === 'string' && data[i] !== null && typeof data[i] === 'object') data[i] = JSON.stringify(data[i]);
      continue;
    }
    if (failOnMissing) throw new Error(`attribute '${ctx.attributes[i]!.name}' is missing (fail.on.missing.attribute='true')`);
    data[i] = null;
  }
  return data;
}

/** `"12"` read into a long is 12 and `12` into a string is '12' (the reference converts a custom mapping's value from its text). */
function asAttributeType(v: unknown, a: AttributeSchema): unknown {
  if (typeof v === 'string' && a.type !== 'string' && a.type !== 'object') {
    const parsed = parseAs(v, a.type);
    if (parsed === null) throw new Error(`attribute '${a.name}': '${clip(v, 40)}' is not a ${a.type}`);
    return parsed;
  }
  return (typeof v === 'number' || typeof v === 'boolean') && a.type === 'string' ? String(v) : v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
