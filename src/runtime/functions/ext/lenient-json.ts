// JSON as the json: extension reads it (json-smart's lenient mode): single- or
// double-quoted strings, unquoted keys, plus standard JSON. Serialises as Gson does.
// json-smart reads a number written with '.', 'e' or 'E' as a Double, and Gson
// writes a Double as Double.toString (25.0 stays "25.0"): the parser records
// which members of each object/array were such numbers (doublesOf), the writer reads that.

import { formatDouble } from '../../values.js';

/** Per parsed object or array: the keys (indexes) whose number was written as a decimal. */
const DOUBLES = new WeakMap<object, Set<string | number>>();

/** Marks `container[key]` as a Java Double (written "25.0", not "25"). */
export function markDouble(container: object, key: string | number): void {
  let keys = DOUBLES.get(container);
  if (keys === undefined) DOUBLES.set(container, (keys = new Set()));
  keys.add(key);
}

/** Whether `container[key]` was marked a Java Double. */
export function isDoubleAt(container: object, key: string | number): boolean {
  return DOUBLES.get(container)?.has(key) === true;
}

/**
 * How a reader builds the document: json-smart's JSONParser (json:toObject) makes
 * JSONObjects, HashMaps whose members iterate in Java HashMap order ('hash');
 * JsonPath's reader keeps the text's order. Gson's fromJson(…, Object.class)
 * reads every number as a Double (allDoubles).
 */
export interface JsonReading {
  readonly order?: 'text' | 'hash';
  readonly allDoubles?: boolean;
}

/** Parses lenient JSON; throws SyntaxError with the position when it is not JSON. */
export function parseLenientJson(text: string, reading: JsonReading = {}): unknown {
  const v = parseText(text, reading.allDoubles === true);
  return reading.order === 'hash' ? inHashOrder(v) : v;
}

function parseText(text: string, allDoubles: boolean): unknown {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i} of ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)}`);
  };
  const space = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const string = (quote: string): string => {
    let out = '';
    i++;
    while (i < text.length && text[i] !== quote) {
      if (text[i] === '\\') {
        const c = text[++i];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '/': '/', '\\': '\\', '"': '"', "'": "'" };
        if (c === 'u') {
          out += String.fromCharCode(Number.parseInt(text.slice(i + 1, i + 5), 16));
          i += 5;
          continue;
        }
        out += simple[c!] ?? c;
        i++;
      } else out += text[i++];
    }
    if (text[i] !== quote) fail('unterminated string');
    i++;
    return out;
  };
  const word = (): string => {
    const start = i;
    while (i < text.length && /[^\s,:{}[\]'"]/.test(text[i]!)) i++;
    return text.slice(start, i);
  };
  // Set by value(): the number just read was written as a decimal (a Java Double).
  let decimal = false;
  const value = (): unknown => {
    decimal = false;
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      space();
      if (text[i] === '}') {
        i++;
        decimal = false;
        return obj;
      }
      for (;;) {
        space();
        const key = text[i] === '"' || text[i] === "'" ? string(text[i]!) : word();
        if (key === '') fail('expected a key');
        space();
        if (text[i++] !== ':') fail("expected ':'");
        obj[key] = value();
        if (decimal) markDouble(obj, key);
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          decimal = false;
          return obj;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      space();
      if (text[i] === ']') {
        i++;
        decimal = false;
        return arr;
      }
      for (;;) {
        arr.push(value());
        if (decimal) markDouble(arr, arr.length - 1);
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          decimal = false;
          return arr;
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"' || c === "'") return string(c);
    const w = word();
    if (w === 'true') return true;
    if (w === 'false') return false;
    if (w === 'null') return null;
    if (w !== '' && /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(w)) {
      decimal = allDoubles || /[.eE]/.test(w);
      return Number(w);
    }
    if (w !== '') return w;
    return fail('unexpected character');
  };
  const v = value();
  space();
  if (i < text.length) fail('unexpected trailing text');
  return v;
}

/**
 * The document with every object's members in the order a java.util.HashMap of
 * them iterates: by bucket (String.hashCode spread, table 16 doubled while more
 * than 3/4 full), insertion order within a bucket. Integer-like keys still come
 * first (JavaScript objects list them so).
 */
function inHashOrder(v: unknown): unknown {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = inHashOrder(v[i]);
    return v;
  }
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  const bucket = (k: string): number => {
    const h = javaStringHash(k);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  const out: Record<string, unknown> = {};
  const sorted = keys.map((k, at) => ({ k, at, b: bucket(k) })).sort((x, y) => x.b - y.b || x.at - y.at);
  for (const { k } of sorted) {
    out[k] = inHashOrder(o[k]);
    if (isDoubleAt(o, k)) markDouble(out, k);
  }
  return out;
}

function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * Gson's compact text of a value, nulls kept (serializeNulls), as the json:
 * functions write it: a Double as Double.toString (a parsed 25.0 or any
 * fractional number: "25.0", "1.0E10"), a whole number otherwise as its digits,
 * strings escaped HTML-safe as Gson's default JsonWriter does (<, >, &, =, ' as \u003c …).
 * A Map is written as an object, a Set as an array.
 */
export function toJsonString(v: unknown): string {
  return writeJson(v, false);
}

/** toJsonString of list[i], written as a Double when the document wrote it as a decimal. */
export function elementJson(list: readonly unknown[], i: number): string {
  return writeJson(list[i], isDoubleAt(list, i));
}

function writeJson(v: unknown, double: boolean): string {
  switch (typeof v) {
    case 'string': return gsonString(v);
    case 'number': return double || !Number.isInteger(v) ? formatDouble(v) : String(v);
    case 'bigint': return v.toString();
    case 'boolean': return String(v);
    case 'object': break;
    default: return 'null';
  }
  if (v === null) return 'null';
  if (v instanceof Map) return writeMembers([...v.entries()].map(([k, x]) => [String(k), x, isDoubleAt(v, k)]));
  if (v instanceof Set) return `[${[...v].map((x) => writeJson(x, false)).join(',')}]`;
  if (Array.isArray(v)) return `[${v.map((x, i) => writeJson(x, isDoubleAt(v, i))).join(',')}]`;
  const o = v as Record<string, unknown>;
  return writeMembers(Object.keys(o).filter((k) => o[k] !== undefined).map((k) => [k, o[k], isDoubleAt(o, k)]));
}

function writeMembers(members: readonly (readonly [string, unknown, boolean])[]): string {
  return `{${members.map(([k, x, d]) => `${gsonString(k)}:${writeJson(x, d)}`).join(',')}}`;
}

const GSON_HTML_SAFE: Record<string, string> = {
  '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '=': '\\u003d', "'": '\\u0027', '\u2028': '\\u2028', '\u2029': '\\u2029',
};

/** A string literal as Gson's default (HTML-safe) JsonWriter writes it. */
function gsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&='\u2028\u2029]/g, (c) => GSON_HTML_SAFE[c]!);
}

/** A deep copy of a parsed document that keeps which numbers are Doubles. */
export function cloneJson<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Map) {
    const copy = new Map([...v.entries()].map(([k, x]) => [k, cloneJson(x)]));
    copyMarks(v, copy);
    return copy as T;
  }
  if (v instanceof Set) return new Set([...v].map(cloneJson)) as T;
  const copy = (Array.isArray(v) ? v.map(cloneJson) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cloneJson(x)]))) as T & object;
  copyMarks(v, copy);
  return copy;
}

function copyMarks(from: object, to: object): void {
  const keys = DOUBLES.get(from);
  if (keys !== undefined) DOUBLES.set(to, new Set(keys));
}
