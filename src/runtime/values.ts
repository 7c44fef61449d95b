// Value rules of Siddhi types at run time: Java-compatible string forms,
// parsing for convert(), and checking input events against a schema.

import type { AttributeType } from '../ast/index.js';

/** Java's Double.toString for finite values, e.g. 3 → "3.0", 1e21 → "1.0E21". */
export function formatDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : s + '.0';
  }
  return toJavaExponent(x.toExponential());
}

/** Java's Float.toString: the shortest decimal that reads back as the same float. */
export function formatFloat(x: number): string {
  if (!Number.isFinite(x) || x === 0) return formatDouble(x);
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return formatDouble(Number(s));
  }
  return formatDouble(x);
}

function toJavaExponent(e: string): string {
  const [mant, exp] = e.split('e') as [string, string];
  const m = mant.includes('.') ? mant : mant + '.0';
  return `${m}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}

/** The string form Siddhi gives a value of `type` (convert(x, 'string')). */
export function formatValue(value: unknown, type: AttributeType): string {
  if (type === 'float' && typeof value === 'number') return formatFloat(value);
  if (type === 'double' && typeof value === 'number') return formatDouble(value);
  return formatObject(value);
}

/**
 * Java's toString of an `object` value, as the log sink and convert() print it:
 * a map as {k=v, …}, a list or set as [a, b], a JSON object as its JSON text.
 */
export function formatObject(v: unknown): string {
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${formatObject(k)}=${formatObject(x)}`).join(', ')}}`;
  if (Array.isArray(v) || v instanceof Set) return `[${[...v].map(formatObject).join(', ')}]`;
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return JSON.stringify(v, jsonValue);
  return String(v);
}

/**
 * A JSON.stringify replacer for event data: a Map (map: values) as the object
 * of its entries, a Set as an array, a bigint as a number when exact (else its digits).
 */
export function jsonValue(_key: string, v: unknown): unknown {
  if (v instanceof Map) return Object.fromEntries(v);
  if (v instanceof Set) return [...v];
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  return v;
}

const INT_PATTERN = /^[+-]?\d+$/;
const DECIMAL_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?$/;

/** Java's parse rules for convert(string, type); null when the text does not parse. */
export function parseAs(text: string, type: AttributeType): unknown {
  const t = text.trim();
  switch (type) {
    case 'int': {
      if (!INT_PATTERN.test(t)) return null;
      const v = Number(t);
      return v >= -2147483648 && v <= 2147483647 ? v : null;
    }
    case 'long':
      return INT_PATTERN.test(t) ? Number(t) : null;
    case 'float':
      return DECIMAL_PATTERN.test(t) ? Math.fround(Number(t.replace(/[fFdD]$/, ''))) : null;
    case 'double':
      return DECIMAL_PATTERN.test(t) ? Number(t.replace(/[fFdD]$/, '')) : null;
    case 'bool':
      return t.toLowerCase() === 'true';
    case 'string':
      return text;
    case 'object':
      return text;
  }
}

export function isNumericType(t: AttributeType): boolean {
  return t === 'int' || t === 'long' || t === 'float' || t === 'double';
}

/** The wider of two numeric types, as Java's binary numeric promotion. */
export function widerNumeric(a: AttributeType, b: AttributeType): AttributeType {
  if (a === 'double' || b === 'double') return 'double';
  if (a === 'float' || b === 'float') return 'float';
  if (a === 'long' || b === 'long') return 'long';
  return 'int';
}

/**
 * A per-type check-and-normalise step for input values, chosen once per
 * attribute: returns the value to store, or REJECTED.
 */
export const REJECTED: unique symbol = Symbol('rejected');

export function acceptorFor(type: AttributeType): (v: unknown) => unknown {
  switch (type) {
    case 'string':
      return (v) => (typeof v === 'string' ? v : v == null ? null : REJECTED);
    case 'int':
      return (v) => (typeof v === 'number' && (v | 0) === v ? v : v == null ? null : REJECTED);
    case 'long':
      return acceptLong;
    case 'float':
      return (v) => (typeof v === 'number' ? Math.fround(v) : v == null ? null : REJECTED);
    case 'double':
      return (v) => (typeof v === 'number' ? v : v == null ? null : REJECTED);
    case 'bool':
      return (v) => (typeof v === 'boolean' ? v : v == null ? null : REJECTED);
    case 'object':
      return (v) => (v === undefined ? null : v);
  }
}

/**
 * A check that a row of `types` passes every acceptor unchanged (no null,
 * BigInt or float rounding), so it can be used without a normalised copy.
 * False sends the row through the acceptors. Built with `new Function` so the
 * per-attribute tests are straight-line code, not a loop of closures.
 */
export function normalRowCheck(types: readonly AttributeType[]): (data: readonly unknown[]) => boolean {
  // One function per schema shape, shared by every runtime: a fresh one per runtime would start cold each time.
  const signature = types.join(',');
  const known = NORMAL_CHECKS.get(signature);
  if (known) return known;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const check = new Function('d', `return ${normalRowSource(types, 'd')};`) as (data: readonly unknown[]) => boolean;
  NORMAL_CHECKS.set(signature, check);
  return check;
}

/** normalRowCheck's test as a JavaScript expression over the variable `d` (generated send() inlines it). */
export function normalRowSource(types: readonly AttributeType[], d: string): string {
  const tests = types.map((t, i) => {
    const v = `${d}[${i}]`;
    switch (t) {
      case 'string': return `typeof ${v} === 'string'`;
      case 'double': return `typeof ${v} === 'number'`;
      case 'int': return `typeof ${v} === 'number' && (${v} | 0) === ${v}`;
      case 'long': return `typeof ${v} === 'number' && Number.isInteger(${v}) && ${v} >= -${LONG_LIMIT} && ${v} < ${LONG_LIMIT}`;
      case 'float': return `typeof ${v} === 'number' && Math.fround(${v}) === ${v}`;
      case 'bool': return `typeof ${v} === 'boolean'`;
      case 'object': return `${v} !== undefined && ${v} !== null`;
    }
  });
  return `Array.isArray(${d}) && ${d}.length === ${types.length}${tests.map((x) => ` && (${x})`).join('')}`;
}

const NORMAL_CHECKS = new Map<string, (data: readonly unknown[]) => boolean>();

/** 2^63: a long is in [-2^63, 2^63). */
const LONG_LIMIT = 9223372036854775808;
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A long is a JS number (integral, within the long range; beyond 2^53 it is
 * the nearest double, as given). A BigInt is accepted only when it converts
 * exactly (|v| ≤ 2^53−1): anything larger would be rounded, so it is refused.
 */
function acceptLong(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) && v >= -LONG_LIMIT && v < LONG_LIMIT ? v : REJECTED;
  if (typeof v === 'bigint') return v >= -MAX_SAFE_BIG && v <= MAX_SAFE_BIG ? Number(v) : REJECTED;
  return v == null ? null : REJECTED;
}

/** Why a value of `type` may have been refused, beyond "wrong type". */
export function acceptHint(type: AttributeType): string | undefined {
  switch (type) {
    case 'int':
      return 'an int is an integral number in [-2^31, 2^31)';
    case 'long':
      return 'a long is an integral number in [-2^63, 2^63), or a BigInt within ±(2^53-1) (larger BigInts would be rounded)';
    default:
      return undefined;
  }
}
