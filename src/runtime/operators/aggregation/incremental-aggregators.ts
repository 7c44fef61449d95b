// The aggregators an incremental aggregation supports, each decomposed into
// base values that merge (as the reference: avg is a sum and a count,
// distinctCount a set of values), so a minute bucket is the merge of its
// seconds. Looked up by plan-aggregation.ts; run by bucket.ts.

import type { AttributeType } from '../../../ast/index.js';

export interface IncrementalAggregator {
  readonly name: string;
  /** How many base slots a bucket holds for one call. */
  readonly width: number;
  /** Result type for the argument type (undefined: `count()`); a string is a usage error. */
  resultType(arg: AttributeType | undefined): AttributeType | string;
  init(base: unknown[], at: number): void;
  add(base: unknown[], at: number, value: unknown): void;
  merge(into: unknown[], at: number, from: readonly unknown[]): void;
  result(base: readonly unknown[], at: number): unknown;
  /** Slots holding a Set (encoded as an array in checkpoints). */
  readonly setSlots?: readonly number[];
}

const NUMERIC = new Set<AttributeType>(['int', 'long', 'float', 'double']);

function numeric(name: string, arg: AttributeType | undefined, integral: AttributeType, fractional: AttributeType): AttributeType | string {
  if (arg === undefined || !NUMERIC.has(arg)) return `${name}() takes one int, long, float or double argument${arg ? `, not ${arg}` : ''}`;
  return arg === 'int' || arg === 'long' ? integral : fractional;
}

const addNumber = (a: unknown, b: unknown): unknown => (b == null ? a : a == null ? b : (a as number) + (b as number));

const SUM: IncrementalAggregator = {
  name: 'sum',
  width: 1,
  resultType: (arg) => numeric('sum', arg, 'long', 'double'),
  init: (base, at) => { base[at] = null; },
  add: (base, at, v) => { base[at] = addNumber(base[at], v); },
  merge: (into, at, from) => { into[at] = addNumber(into[at], from[at]); },
  result: (base, at) => base[at],
};

const COUNT: IncrementalAggregator = {
  name: 'count',
  width: 1,
  resultType: () => 'long',
  init: (base, at) => { base[at] = 0; },
  add: (base, at) => { base[at] = (base[at] as number) + 1; },
  merge: (into, at, from) => { into[at] = (into[at] as number) + (from[at] as number); },
  result: (base, at) => base[at],
};

const AVG: IncrementalAggregator = {
  name: 'avg',
  width: 2,
  resultType: (arg) => numeric('avg', arg, 'double', 'double'),
  init: (base, at) => { base[at] = 0; base[at + 1] = 0; },
  add: (base, at, v) => {
    if (v == null) return;
    base[at] = (base[at] as number) + (v as number);
    base[at + 1] = (base[at + 1] as number) + 1;
  },
  merge: (into, at, from) => {
    into[at] = (into[at] as number) + (from[at] as number);
    into[at + 1] = (into[at + 1] as number) + (from[at + 1] as number);
  },
  result: (base, at) => ((base[at + 1] as number) === 0 ? null : (base[at] as number) / (base[at + 1] as number)),
};

function extreme(name: string, wins: (a: number | string, b: number | string) => boolean): IncrementalAggregator {
  const pick = (a: unknown, b: unknown): unknown => (b == null ? a : a == null || wins(b as number, a as number) ? b : a);
  return {
    name,
    width: 1,
    resultType: (arg) => (arg !== undefined && NUMERIC.has(arg) ? arg : `${name}() takes one int, long, float or double argument${arg ? `, not ${arg}` : ''}`),
    init: (base, at) => { base[at] = null; },
    add: (base, at, v) => { base[at] = pick(base[at], v); },
    merge: (into, at, from) => { into[at] = pick(into[at], from[at]); },
    result: (base, at) => base[at],
  };
}

const DISTINCT_COUNT: IncrementalAggregator = {
  name: 'distinctCount',
  width: 1,
  setSlots: [0],
  resultType: (arg) => (arg === undefined ? 'distinctCount() takes one argument' : 'long'),
  init: (base, at) => { base[at] = new Set(); },
  add: (base, at, v) => { if (v != null) (base[at] as Set<unknown>).add(v); },
  merge: (into, at, from) => { for (const v of from[at] as Set<unknown>) (into[at] as Set<unknown>).add(v); },
  result: (base, at) => (base[at] as Set<unknown>).size,
};

export const INCREMENTAL_AGGREGATORS: Readonly<Record<string, IncrementalAggregator>> = {
  sum: SUM,
  count: COUNT,
  avg: AVG,
  min: extreme('min', (a, b) => a < b),
  max: extreme('max', (a, b) => a > b),
  distinctCount: DISTINCT_COUNT,
};
