// Literal conversions used by the CST→AST visitor: numbers with their Siddhi
// type, quoted strings and names, and time units in milliseconds.

import type { IToken } from 'chevrotain';
import { tokenMatcher } from './chevrotain.js';
import * as T from './tokens.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Milliseconds per unit token (Siddhi counts a month as 30 days and a year as 365). */
const UNIT_MILLIS: readonly [typeof T.Years, number][] = [
  [T.Years, 365 * DAY],
  [T.Months, 30 * DAY],
  [T.Weeks, 7 * DAY],
  [T.Days, DAY],
  [T.Hours, HOUR],
  [T.Minutes, MINUTE],
  [T.Seconds, SECOND],
  [T.Milliseconds, 1],
];

export function unitMillis(unit: IToken): number {
  for (const [type, millis] of UNIT_MILLIS) if (tokenMatcher(unit, type)) return millis;
  throw new Error(`not a time unit: ${unit.image}`);
}

export type NumericType = 'int' | 'long' | 'float' | 'double';

export interface NumberValue {
  readonly type: NumericType;
  readonly value: number;
}

export function numberValue(token: IToken): NumberValue {
  const image = token.image;
  if (tokenMatcher(token, T.IntLiteral)) return { type: 'int', value: Number(image) };
  const body = /[lLfFdD]$/.test(image) ? image.slice(0, -1) : image;
  if (tokenMatcher(token, T.LongLiteral)) return { type: 'long', value: Number(body) };
  if (tokenMatcher(token, T.FloatLiteral)) return { type: 'float', value: Number(body) };
  return { type: 'double', value: Number(body) };
}

export const INT_MAX = 2 ** 31 - 1;

/** `'x'`, `"x"` or `"""x"""` → x (SiddhiQL strings have no escapes). */
export function stringValue(token: IToken): string {
  const image = token.image;
  if (image.startsWith('"""')) return image.slice(3, -3);
  return image.slice(1, -1);
}

/** A name token; back-quoted names lose their quotes. */
export function nameValue(token: IToken): string {
  return tokenMatcher(token, T.QuotedName) ? token.image.slice(1, -1) : token.image;
}
