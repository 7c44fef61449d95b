// map:createFromJSON, map:createFromXML, map:toJSON, map:toXML: maps from and to
// JSON and XML text. JSON is read leniently (single quotes, unquoted keys) as
// org.json does; nested objects become nested maps. Listed by map.ts.

import { formatObject } from '../../values.js';
import type { FunctionKind } from '../function-kind.js';
import { FunctionUsageError } from '../function-kind.js';
import { OBJECT, STRING, constantOf, defineFunction, failFunction } from './define-function.js';
import { toJsonString } from './gson-text.js';
import { javaMapEntries } from './java-hash-order.js';
import { parseLenientJson } from './lenient-json.js';
import { adopt, mapOf } from './map-list-values.js';
import { memberKeys } from './member-order.js';
import { parseXml, type XmlElement } from './map-xml.js';

/** JSON objects as Maps, at any depth. */
function mapsOf(v: unknown): unknown {
  if (Array.isArray(v)) return adopt(v.map(mapsOf));
  if (v !== null && typeof v === 'object') return adopt(new Map(memberKeys(v).map((k) => [k, mapsOf((v as Record<string, unknown>)[k])])));
  return v;
}

/** A leaf's text as the reference reads it: true/false, a decimal number (NumberFormat gives Long or Double), else the text. */
function leafValue(text: string): unknown {
  if (text === 'true' || text === 'false') return text === 'true';
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

function mapOfXml(el: XmlElement): Map<unknown, unknown> {
  const m = adopt(new Map<unknown, unknown>());
  for (const child of el.children) m.set(child.name, child.children.length > 0 ? mapOfXml(child) : leafValue(child.text));
  return m;
}

function xmlOf(name: string, m: Map<unknown, unknown>): string {
  let out = '';
  for (const [k, v] of javaMapEntries(m)) {
    if (v === null || v === undefined) failFunction(name, `the value of key '${formatObject(k)}' is null and has no XML form`);
    const key = formatObject(k);
    const inner = v instanceof Map ? xmlOf(name, v) : formatObject(v);
    out += `<${key}>${inner}</${key}>`;
  }
  return out;
}

export const MAP_CONVERT_FUNCTIONS: readonly FunctionKind[] = [
  defineFunction({
    name: 'map:createFromJSON',
    params: [['json.string', STRING]],
    returns: 'object',
    // A new map per event even from a constant text (maps change in place).
    pure: false,
    compute: ([text]) => {
      let doc: unknown;
      try {
        doc = parseLenientJson(text as string);
      } catch (e) {
        return failFunction('map:createFromJSON', `Cannot create JSON from '${text as string}': ${(e as Error).message}`);
      }
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
        return failFunction('map:createFromJSON', `Cannot create JSON from '${text as string}': not a JSON object`);
      }
      return mapsOf(doc);
    },
  }),
  defineFunction({
    name: 'map:createFromXML',
    params: [['xml.string', STRING]],
    returns: 'object',
    pure: false,
    compute: ([text]) => {
      try {
        return mapOfXml(parseXml(text as string));
      } catch (e) {
        if (!(e instanceof SyntaxError)) throw e;
        return failFunction('map:createFromXML', `Input data cannot be parsed to xml: ${e.message}`);
      }
    },
  }),
  defineFunction({
    name: 'map:toJSON',
    params: [['map', OBJECT]],
    returns: 'string',
    // As the reference's org.json JSONObject(map): members in HashMap order, null values left out, no HTML escapes.
    compute: ([m]) => toJsonString(mapOf('map:toJSON', m), { htmlSafe: false, nulls: false }),
  }),
  defineFunction({
    name: 'map:toXML',
    params: [['map', OBJECT], ['root.element.name', STRING]],
    optional: 1,
    returns: 'string',
    make: (args) => {
      if (args.length > 1 && typeof constantOf(args[1]) !== 'string') {
        throw new FunctionUsageError('map:toXML(): root.element.name must be a constant string');
      }
      const root = args.length > 1 ? (constantOf(args[1]) as string) : undefined;
      return ([m]) => {
        const body = xmlOf('map:toXML', mapOf('map:toXML', m));
        return root === undefined ? body : `<${root}>${body}</${root}>`;
      };
    },
  }),
];
