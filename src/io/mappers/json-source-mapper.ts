// @map(type='json') for sources: the reference's default shape
// {"event":{"a":1,…}} (the "event" wrapper optional, arrays for many events),
// or custom @attributes(a='$.path', …) under an optional enclosing.element
// (where, as in the reference, a value's text is read as the attribute's type).

import type { MappedEvent, MapperContext, SourceMapperKind } from '../contract.js';
import { formatDouble } from '../../runtime/values.js';
import { compileJsonPath, readJsonPath } from '../../runtime/functions/ext/json-path.js';
import { toJsonSmartString, toJsonString, type GsonStyle } from '../../runtime/functions/ext/gson-text.js';
import { parseLenientJson } from '../../runtime/functions/ext/lenient-json.js';
import { mappingsByAttribute } from './attribute-mappings.js';
import { convertText } from './attribute-converter.js';
import { clip, parseJsonPayload, payloadText } from './parse-payload.js';

/** A matched object: gsonWithNull.toJson (serializeNulls, HTML-safe). A list: json-smart's JSONArray.toString (gson-text.ts toJsonSmartString). */
const MAP_TEXT: GsonStyle = { htmlSafe: true, nulls: true };

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

/**
 * @attributes(a='$.path', …) as the reference reads them: Jayway JsonPath over json-smart's document (wildcards,
 * deep scans and filters as the json: functions read them), each value's text (a Double as Double.toString, an
 * object as Gson writes it, a list as its JSON text) converted by AttributeConverter. An indefinite path gives
 * the list of its matches; a definite one that is absent fails the event unless fail.on.missing.attribute='false'.
 */
function customMapping(ctx: MapperContext, failOnMissing: boolean): (payload: unknown) => MappedEvent[] {
  const paths = mappingsByAttribute(ctx, 'path').map(compileJsonPath);
  const enclosing = compileJsonPath(ctx.options.get('enclosing.element', '$'));
  const one = (element: unknown): MappedEvent => ({
    data: paths.map((path, i) => {
      const a = ctx.attributes[i]!;
      const r = readJsonPath(element, path);
      if (!r.found) {
        if (failOnMissing) throw new Error(`attribute '${a.name}' is missing (fail.on.missing.attribute='true')`);
        return null;
      }
      return r.value === null || r.value === undefined ? null : convertText(javaText(r.value, r.double === true), a.type, a.name);
    }),
  });
  return (payload) => {
    const json = readDocument(payload);
    const r = readJsonPath(json, enclosing);
    if (!r.found || r.value === null) throw new Error(`enclosing.element '${ctx.options.get('enclosing.element')}' is absent`);
    return Array.isArray(r.value) ? r.value.map(one) : [one(r.value)];
  };
}

/** A text payload read as json-smart reads it (decimals kept as Doubles); a value payload as it is. */
function readDocument(payload: unknown): unknown {
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) return payload;
  const text = payloadText(payload);
  try {
    return parseLenientJson(text);
  } catch (e) {
    throw new Error(`not valid JSON (${(e as Error).message}): ${clip(text)}`);
  }
}

/** The text the reference converts: toString of the value (Double.toString for a Double), Gson's JSON of a map. */
function javaText(v: unknown, double: boolean): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return double || !Number.isInteger(v) ? formatDouble(v) : String(v);
  if (typeof v === 'object' && v !== null) return Array.isArray(v) ? toJsonSmartString(v) : toJsonString(v, MAP_TEXT);
  return String(v);
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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
