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
  return String(value);
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

/** Whether a JS value is acceptable for an attribute of `type` (null always is). */
export function fitsType(value: unknown, type: AttributeType): boolean {
  if (value === null || value === undefined) return true;
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= -2147483648 && value <= 2147483647;
    case 'long':
      return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint';
    case 'float':
    case 'double':
      return typeof value === 'number';
    case 'bool':
      return typeof value === 'boolean';
    case 'object':
      return true;
  }
}

/** Normalises an accepted input value: floats become 32-bit, undefined becomes null, bigint longs become numbers. */
export function normalizeValue(value: unknown, type: AttributeType): unknown {
  if (value === undefined || value === null) return null;
  if (type === 'float') return Math.fround(value as number);
  if (type === 'long' && typeof value === 'bigint') return Number(value);
  return value;
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
