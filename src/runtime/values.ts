// Value rules of Siddhi types at run time: Java-compatible string forms,
// parsing for convert(), and checking input events against a schema.

import type { AttributeType } from '../ast/index.js';
import { javaKeyOrder } from './functions/ext/java-hash-order.js';
import { numberKindAt } from './functions/ext/number-marks.js';

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
  const shortest = x.toExponential();
  // One digit: Java writes the closest two-digit decimal that reads back (Double.MIN_VALUE "4.9E-324", JS "5e-324").
  if (!shortest.includes('.')) {
    const two = x.toExponential(1);
    if (Number(two) === x) return toJavaExponent(two);
  }
  return toJavaExponent(shortest);
}

/**
 * Java's Float.toString as JDK 19 and later specify it (JDK-4511638): the
 * shortest decimal that reads back as the same float; of several that short,
 * the closest to the float's exact value, a tie going to the even last digit;
 * and when one digit would do, the closest of one or two digits (Float.MIN_VALUE
 * is "1.4E-45", not "1.0E-45"). Older JDKs (8, 11, 17) print a longer or a
 * farther decimal for about 10% of floats (67108872f as "6.7108872E7" where 19+
 * prints "6.710887E7"); we follow the rule Java now specifies, one answer per
 * float, rather than the older implementation's accidents.
 *
 * toPrecision(p) gives the nearest p-digit decimal, but rounds an exact half
 * up (469738.125f → 469738.13, Java 469738.12) and may miss the interval that
 * reads back where it is narrower below a power of two (0x0f800000 needs the
 * p-digit decimal above it), so its neighbours in the last digit are weighed too.
 */
export function formatFloat(x: number): string {
  if (!Number.isFinite(x) || x === 0) return formatDouble(x);
  const ax = Math.abs(x);
  const reach = reachOf(ax);
  let d: Decimal | undefined;
  for (let p = 1; p <= 9 && d === undefined; p++) d = nearestReadingBack(ax, p, reach);
  if (d === undefined) return formatDouble(x); // not reached: 9 digits always read back
  if (d.digits < 10) d = nearestReadingBack(ax, 2, reach)!;
  const v = Number(`${d.digits}e${d.exp}`);
  return formatDouble(x < 0 ? -v : v);
}

/** digits × 10^exp, digits a p-digit integer. */
interface Decimal {
  readonly digits: number;
  readonly exp: number;
}

/** What decides whether a neighbour of toPrecision's decimal can read back. */
interface Reach {
  /** The float's unit in the last place above it (the wider side of its interval). */
  readonly ulp: number;
  /** Its decimal exponent, floor(log10), give or take one. */
  readonly k: number;
}

function reachOf(ax: number): Reach {
  F32[0] = ax;
  return { ulp: 2 ** (Math.max(U32[0]! >>> 23, 1) - 150), k: Math.floor(Math.log10(ax)) };
}

/**
 * The p-digit decimal closest to the float `ax` (positive) of those that read
 * back as it, the even one on a tie; undefined when none does.
 */
function nearestReadingBack(ax: number, p: number, reach: Reach): Decimal | undefined {
  const text = ax.toPrecision(p);
  const dv = Number(text);
  if (!readsBack(dv, text, ax)) {
    // The neighbour is at least half a unit away, the interval at most half an
    // ulp wide on either side: no use looking while the unit exceeds the ulp
    // (with a factor 10 for k being off by one).
    if (10 ** (reach.k - p + 1) > 10 * reach.ulp) return undefined;
    const d = parseDecimal(text);
    const other = stepDecimal(d, p, dv < ax ? 1 : -1);
    return readsBack(Number(`${other.digits}e${other.exp}`), other, ax) ? other : undefined;
  }
  const d = parseDecimal(text);
  // d is the nearest; only a float exactly half-way can have its neighbour as near.
  if (d.digits % 2 === 0) return d;
  // A tie is a distance of half a unit (at least 5e-10 of ax), which doubles get within 1e-15 of ax.
  const dd = Math.abs(dv - ax);
  if (Math.abs(dd - 0.5 * 10 ** d.exp) > 1e-4 * dd) return d;
  const other = stepDecimal(d, p, dv < ax ? 1 : -1);
  return readsBack(Number(`${other.digits}e${other.exp}`), other, ax) && compareDistances(d, other, ax) === 0 ? other : d;
}

/** toPrecision's text as digits × 10^exp: "55.6" → 556e-1, "1.4e-45" → 14e-46. */
function parseDecimal(text: string): Decimal {
  const e = text.indexOf('e');
  const mantissa = e < 0 ? text : text.slice(0, e);
  const dot = mantissa.indexOf('.');
  const fraction = dot < 0 ? 0 : mantissa.length - dot - 1;
  const digits = Number(dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1));
  return { digits, exp: (e < 0 ? 0 : Number(text.slice(e + 1))) - fraction };
}

/** The next p-digit decimal above (step 1) or below (step -1) d. */
function stepDecimal(d: Decimal, p: number, step: 1 | -1): Decimal {
  const digits = d.digits + step;
  if (digits >= 10 ** p) return { digits: 10 ** (p - 1), exp: d.exp + 1 };
  if (digits < 10 ** (p - 1)) return { digits: 10 ** p - 1, exp: d.exp - 1 };
  return { digits, exp: d.exp };
}

/**
 * Whether the decimal d (its value as a double: v) reads back as the float ax
 * (Java's Float.parseFloat rounds the decimal itself to nearest, ties to even).
 * Number() then Math.fround rounds twice, which errs only when Number() lands
 * exactly half-way between two floats; then the decimal is compared exactly.
 */
function readsBack(v: number, d: Decimal | string, ax: number): boolean {
  const f = Math.fround(v);
  if (v !== f) {
    const g = 2 * v - f;
    if (g !== f && Math.fround(g) === g) return exactlyReadsBack(typeof d === 'string' ? parseDecimal(d) : d, ax);
  }
  return f === ax;
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** The float ax (positive) as m × 2^e2, m an integer. */
function binaryParts(ax: number): { m: bigint; e2: number; powerOfTwo: boolean } {
  F32[0] = ax;
  const bits = U32[0]!;
  const biased = bits >>> 23;
  const fraction = bits & 0x7fffff;
  if (biased === 0) return { m: BigInt(fraction), e2: -149, powerOfTwo: false };
  return { m: BigInt(fraction | 0x800000), e2: biased - 150, powerOfTwo: fraction === 0 && biased > 1 };
}

/** a × 10^p10 × 2^p2 as an integer over the common scale 10^-min10 × 2^-min2. */
function scaled(a: bigint, p10: number, p2: number, min10: number, min2: number): bigint {
  return a * 10n ** BigInt(p10 - min10) * 2n ** BigInt(p2 - min2);
}

/** Whether d lies in the float's rounding interval, its ends included when its significand is even. */
function exactlyReadsBack(d: Decimal, ax: number): boolean {
  const { m, e2, powerOfTwo } = binaryParts(ax);
  // Ends: (2m+1)·2^(e2-1) above; below, (2m-1)·2^(e2-1), or (4m-1)·2^(e2-2) under a power of two.
  const min10 = Math.min(d.exp, 0);
  const min2 = Math.min(e2 - 2, 0);
  const c = scaled(BigInt(d.digits), d.exp, 0, min10, min2);
  const hi = scaled(2n * m + 1n, 0, e2 - 1, min10, min2);
  const lo = powerOfTwo ? scaled(4n * m - 1n, 0, e2 - 2, min10, min2) : scaled(2n * m - 1n, 0, e2 - 1, min10, min2);
  return m % 2n === 0n ? lo <= c && c <= hi : lo < c && c < hi;
}

/** The sign of |a − ax| − |b − ax|, exactly. */
function compareDistances(a: Decimal, b: Decimal, ax: number): number {
  const { m, e2 } = binaryParts(ax);
  const min10 = Math.min(a.exp, b.exp, 0);
  const min2 = Math.min(e2, 0);
  const x = scaled(m, 0, e2, min10, min2);
  const da = scaled(BigInt(a.digits), a.exp, 0, min10, min2) - x;
  const db = scaled(BigInt(b.digits), b.exp, 0, min10, min2) - x;
  const abs = (v: bigint): bigint => (v < 0n ? -v : v);
  const diff = abs(da) - abs(db);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
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
 * a map as {k=v, …} (in HashMap order), a list or set as [a, b], a JSON object as its JSON text.
 */
export function formatObject(v: unknown): string {
  if (v instanceof Map) return `{${javaKeyOrder(v).map((k) => `${formatObject(k)}=${formatMember(v, k)}`).join(', ')}}`;
  if (Array.isArray(v) || v instanceof Set) return `[${[...v].map(formatObject).join(', ')}]`;
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return JSON.stringify(v, jsonValue);
  // A fractional number inside an object value is a Java Double there (1.0E-4, not 0.0001).
  if (typeof v === 'number' && !Number.isInteger(v)) return formatDouble(v);
  return String(v);
}

/** A map member as Java prints it: a value the map function got as a double or float keeps its class (25.0). */
function formatMember(m: Map<unknown, unknown>, k: unknown): string {
  const x = m.get(k);
  if (typeof x === 'number') {
    const kind = numberKindAt(m, k);
    if (kind === 'double') return formatDouble(x);
    if (kind === 'float') return formatFloat(x);
  }
  return formatObject(x);
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

/**
 * The one rule for writing a row as JSON, used by the json sink mapper,
 * `siddhi run`, `siddhi query` and the cluster's output entries: a float
 * attribute is written as the number Java's Float.toString reads (55.6), not
 * the double it is held as (55.599998474121094). `floats` lists the float
 * positions (floatPositionsOf); the row itself is returned when there are none.
 */
export function jsonRow(data: readonly unknown[], floats: readonly number[]): readonly unknown[] {
  if (floats.length === 0) return data;
  const copy = data.slice();
  for (const i of floats) copy[i] = jsonFloat(copy[i]);
  return copy;
}

/** One float attribute's value as JSON writes it (jsonRow); null, NaN and infinities unchanged. */
export function jsonFloat(v: unknown): unknown {
  return typeof v === 'number' && Number.isFinite(v) ? Number(formatFloat(v)) : v;
}

/** The positions of the float attributes, for jsonRow. */
export function floatPositionsOf(attributes: readonly { readonly type: AttributeType }[]): number[] {
  return attributes.flatMap((a, i) => (a.type === 'float' ? [i] : []));
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
