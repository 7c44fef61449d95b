// JSON text as Gson writes it for the reference's extensions, and which numbers
// of a parsed document are Java Doubles (json-smart reads 25.0 as a Double, Gson
// writes it "25.0"; a JavaScript number alone cannot tell 25.0 from 25).

import { formatDouble, formatFloat } from '../../values.js';
import { copyNumberMarks, markNumber, numberKindAt, type NumberKind } from './number-marks.js';
import { javaKeyOrder } from './java-hash-order.js';
import { keepMemberOrder, memberKeys } from './member-order.js';

/** Marks `container[key]` as a Java Double (written "25.0", not "25"). */
export function markDouble(container: object, key: unknown): void {
  markNumber(container, key, 'double');
}

/** Whether `container[key]` was marked a Java Double. */
export function isDoubleAt(container: object, key: unknown): boolean {
  return numberKindAt(container, key) === 'double';
}

/**
 * Gson's compact text of a value, nulls kept (serializeNulls), as the json:
 * functions write it: a Double as Double.toString (a parsed 25.0 or any
 * fractional number: "25.0", "1.0E10"), a whole number otherwise as its digits,
 * strings escaped HTML-safe as Gson's default JsonWriter does (<, >, &, =, ' as \u003c …).
 * A Map is written as an object, a Set as an array.
 */
export function toJsonString(v: unknown, style: GsonStyle = EXTENSION_GSON): string {
  return writeJson(v, false, style);
}

/**
 * How a Gson instance writes: `htmlSafe` (a default Gson's toJson; JsonElement.toString is not),
 * `nulls` (serializeNulls: a map member whose value is null is kept, else left out).
 */
export interface GsonStyle {
  readonly htmlSafe: boolean;
  readonly nulls: boolean;
}

/** The json: functions' `new GsonBuilder().serializeNulls().create()`. */
const EXTENSION_GSON: GsonStyle = { htmlSafe: true, nulls: true };

/** toJsonString of list[i], written as a Double when the document wrote it as a decimal. */
export function elementJson(list: readonly unknown[], i: number): string {
  return writeJson(list[i], isDoubleAt(list, i), EXTENSION_GSON);
}

/** `double`: the value is a Java Double (true, 'double') or Float ('float'). */
function writeJson(v: unknown, double: boolean | NumberKind | undefined, style: GsonStyle): string {
  switch (typeof v) {
    case 'string': return style.htmlSafe ? gsonString(v) : plainString(v);
    case 'number': return double === 'float' ? formatFloat(v) : double || !Number.isInteger(v) ? formatDouble(v) : String(v);
    case 'bigint': return v.toString();
    case 'boolean': return String(v);
    case 'object': break;
    default: return 'null';
  }
  if (v === null) return 'null';
  // A map as the reference's HashMap iterates.
  if (v instanceof Map) return writeMembers(javaKeyOrder(v).map((k) => [String(k), v.get(k), numberKindAt(v, k)]), style);
  if (v instanceof Set) return `[${[...v].map((x) => writeJson(x, false, style)).join(',')}]`;
  if (Array.isArray(v)) return `[${v.map((x, i) => writeJson(x, isDoubleAt(v, i), style)).join(',')}]`;
  const o = v as Record<string, unknown>;
  return writeMembers(memberKeys(o).filter((k) => o[k] !== undefined).map((k) => [k, o[k], isDoubleAt(o, k)]), style);
}

function writeMembers(members: readonly (readonly [string, unknown, boolean | NumberKind | undefined])[], style: GsonStyle): string {
  const key = style.htmlSafe ? gsonString : plainString;
  const kept = style.nulls ? members : members.filter(([, x]) => x !== null);
  return `{${kept.map(([k, x, d]) => `${key(k)}:${writeJson(x, d, style)}`).join(',')}}`;
}

const GSON_HTML_SAFE: Record<string, string> = {
  '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '=': '\\u003d', "'": '\\u0027', '\u2028': '\\u2028', '\u2029': '\\u2029',
};

/** A string literal as Gson's default (HTML-safe) JsonWriter writes it. */
function gsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&='\u2028\u2029]/g, (c) => GSON_HTML_SAFE[c]!);
}

/** A string literal as a JsonWriter that is not HTML-safe writes it (U+2028/9 still escaped). */
function plainString(s: string): string {
  return JSON.stringify(s).replace(/[\u2028\u2029]/g, (c) => GSON_HTML_SAFE[c]!);
}

/** A deep copy of a parsed document that keeps which numbers are Doubles. */
export function cloneJson<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Map) {
    const copy = new Map([...v.entries()].map(([k, x]) => [k, cloneJson(x)]));
    copyNumberMarks(v, copy);
    return copy as T;
  }
  if (v instanceof Set) return new Set([...v].map(cloneJson)) as T;
  if (Array.isArray(v)) {
    const copy = v.map(cloneJson);
    copyNumberMarks(v, copy);
    return copy as T;
  }
  const keys = memberKeys(v);
  const copy: Record<string, unknown> = {};
  for (const k of keys) copy[k] = cloneJson((v as Record<string, unknown>)[k]);
  keepMemberOrder(copy, keys);
  copyNumberMarks(v, copy);
  return copy as T;
}

/**
 * json-smart's text of a value (JSONValue.toJSONString in its default NO_COMPRESS style, as a JSONArray's
 * toString writes it): every member kept (nulls too), in the document's order; numbers as the parse read
 * them (a Double as Double.toString); strings escaped as its Escape4Web does, '/' as '\/' and U+0000–U+001F,
 * U+007F–U+009F, U+2000–U+20FF as \uXXXX with uppercase hex.
 */
export function toJsonSmartString(v: unknown, double = false): string {
  switch (typeof v) {
    case 'string': return smartString(v);
    case 'number': return double || !Number.isInteger(v) ? formatDouble(v) : String(v);
    case 'bigint': return v.toString();
    case 'boolean': return String(v);
    case 'object': break;
    default: return 'null';
  }
  if (v === null) return 'null';
  if (v instanceof Map) return `{${javaKeyOrder(v).map((k) => `${smartString(String(k))}:${toJsonSmartString(v.get(k), isDoubleAt(v, k))}`).join(',')}}`;
  if (v instanceof Set) return `[${[...v].map((x) => toJsonSmartString(x)).join(',')}]`;
  if (Array.isArray(v)) return `[${v.map((x, i) => toJsonSmartString(x, isDoubleAt(v, i))).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${memberKeys(o).filter((k) => o[k] !== undefined).map((k) => `${smartString(k)}:${toJsonSmartString(o[k], isDoubleAt(o, k))}`).join(',')}}`;
}

const SMART_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '/': '\\/' };

function smartString(s: string): string {
  const escaped = s.replace(/["\\/\u0000-\u001f\u007f-\u009f\u2000-\u20ff]/g, (c) =>
    SMART_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  return `"${escaped}"`;
}
