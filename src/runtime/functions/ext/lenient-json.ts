// JSON as the json: extension reads it (json-smart's lenient mode): single- or
// double-quoted strings, unquoted keys, plus standard JSON. json-smart reads a
// number written with '.', 'e' or 'E' as a Double: the parser marks those members
// (gson-text.ts markDouble) so that Gson-style writing keeps 25.0 as "25.0".

import { isDoubleAt, markDouble } from './gson-text.js';
import { inJavaHashOrder } from './java-hash-order.js';
import { keepMemberOrder, memberKeys } from './member-order.js';

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
      const keys: string[] = [];
      space();
      if (text[i] === '}') {
        i++;
        decimal = false;
        return obj;
      }
      for (;;) {
        space();
        const quoted = text[i] === '"' || text[i] === "'";
        const key = quoted ? string(text[i]!) : word();
        // "" is a key (json-smart reads {"":1}); only an unquoted key cannot be empty.
        if (key === '' && !quoted) fail('expected a key');
        space();
        if (text[i++] !== ':') fail("expected ':'");
        // A repeated key replaces the value and keeps its place, as a Java map's put.
        if (!Object.hasOwn(obj, key)) keys.push(key);
        obj[key] = value();
        if (decimal) markDouble(obj, key);
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          decimal = false;
          keepMemberOrder(obj, keys);
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
 * them iterates (java-hash-order.ts), kept beside each object (member-order.ts).
 */
export function inHashOrder(v: unknown): unknown {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = inHashOrder(v[i]);
    return v;
  }
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const keys = inJavaHashOrder(memberKeys(o));
  for (const k of keys) {
    out[k] = inHashOrder(o[k]);
    if (isDoubleAt(o, k)) markDouble(out, k);
  }
  keepMemberOrder(out, keys);
  return out;
}
