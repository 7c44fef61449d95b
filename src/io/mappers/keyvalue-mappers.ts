// @map(type='keyvalue') (siddhi-map-keyvalue): an event as a key → value
// object. Source: a Map, a plain object, or form text `a=1&b=x`, keys the
// attribute names or @attributes(a='key'). Sink: one object per event, keys
// the attribute names or @payload(key='attribute' | '{{a}} text' | '`literal`').

import type { AttributeSchema } from '../../runtime/schema.js';
import { parseAs } from '../../runtime/values.js';
import type { Event } from '../../runtime/junction.js';
import type { SinkMapperKind, SourceMapperKind } from '../contract.js';
import { mappingsByAttribute } from './attribute-mappings.js';
import { compileTemplate } from './template.js';
import { clip } from './parse-payload.js';

export const keyvalueSourceMapper: SourceMapperKind = {
  create(ctx) {
    const failOnMissing = ctx.options.bool('fail.on.missing.attribute', true);
    const implicitCast = ctx.options.bool('implicit.cast.enable', false);
    const keys = ctx.attributeMappings ? mappingsByAttribute(ctx, 'key') : ctx.attributes.map((a) => a.name);
    return (payload) => {
      const { get, text } = entriesOf(payload);
      const data = ctx.attributes.map((a, i) => {
        const v = get(keys[i]!);
        if (v === undefined || v === null) {
          if (v === undefined && failOnMissing) throw new Error(`no key '${keys[i]}' for attribute '${a.name}' (fail.on.missing.attribute='true')`);
          return null;
        }
        // Form text has no types: its values are always read as the attribute's type.
        return typedValue(v, a, implicitCast || text);
      });
      return [{ data }];
    };
  },
};

/** The payload's lookup: a Map, a plain object, or `a=1&b=x` form text. */
function entriesOf(payload: unknown): { get: (key: string) => unknown; text: boolean } {
  if (payload instanceof Map) return { get: (k) => payload.get(k), text: false };
  if (typeof payload === 'string' || payload instanceof Uint8Array) {
    const form = new URLSearchParams(typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8'));
    return { get: (k) => form.get(k) ?? undefined, text: true };
  }
  if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) {
    const o = payload as Record<string, unknown>;
    return { get: (k) => (Object.hasOwn(o, k) ? o[k] : undefined), text: false };
  }
  throw new Error(`keyvalue expects a Map, an object or form text, got ${Array.isArray(payload) ? 'an array' : payload === null ? 'null' : typeof payload}`);
}

function typedValue(v: unknown, a: AttributeSchema, cast: boolean): unknown {
  if (fits(v, a)) return v;
  if (cast && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
    const text = String(v);
    const parsed = a.type === 'bool' && !/^(true|false)$/i.test(text) ? null : parseAs(text, a.type);
    if (parsed !== null) return parsed;
  }
  const shown = typeof v === 'string' ? `'${clip(v, 40)}'` : clip(String(v), 40);
  throw new Error(`attribute '${a.name}' expects ${a.type}, got ${typeof v} ${shown}${cast ? '' : " (implicit.cast.enable='false')"}`);
}

function fits(v: unknown, a: AttributeSchema): boolean {
  switch (a.type) {
    case 'string': return typeof v === 'string';
    case 'int': case 'long': return typeof v === 'number' && Number.isInteger(v);
    case 'float': case 'double': return typeof v === 'number';
    case 'bool': return typeof v === 'boolean';
    case 'object': return true;
  }
}

export const keyvalueSinkMapper: SinkMapperKind = {
  create(ctx) {
    const entries = ctx.payloadMappings
      ? ctx.payloadMappings.map((m) => {
        if (m.key === undefined) throw new Error(`keyvalue @payload needs key='value' elements, got '${m.value}'`);
        return [m.key, valueOf(m.value, ctx.attributes)] as const;
      })
      : ctx.attributes.map((a, i) => [a.name, (e: Event) => e.data[i]] as const);
    return (events) => events.map((e) => {
      const out: Record<string, unknown> = {};
      for (const [key, read] of entries) out[key] = read(e);
      return out;
    });
  },
};

/** 'symbol' → the attribute's value; '`text`' → the literal text; anything else a template ('{{symbol}} is here'). */
function valueOf(spec: string, attributes: readonly AttributeSchema[]): (e: Event) => unknown {
  const at = attributes.findIndex((a) => a.name === spec.trim());
  if (at >= 0) return (e) => e.data[at];
  const literal = /^`(.*)`$/s.exec(spec);
  if (literal) return () => literal[1];
  return compileTemplate(spec, attributes);
}
