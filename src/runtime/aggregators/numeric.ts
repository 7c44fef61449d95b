// sum, avg, count and stdDev: running totals that removal undoes exactly.
// Registered in index.ts; the selector calls them per group.

import type { AttributeType } from '../../ast/index.js';
import { type AggregatorKind, NUMERIC, expectArgs, expectOneOf, isNull } from './aggregator.js';

/** Running sum and count of non-null values; float inputs are summed as doubles. */
interface Total {
  s: number;
  c: number;
}

const totalIO = {
  init: (): Total => ({ s: 0, c: 0 }),
  add(t: Total, v: unknown): Total {
    if (!isNull(v)) {
      t.s += v as number;
      t.c++;
    }
    return t;
  },
  remove(t: Total, v: unknown): Total {
    if (!isNull(v)) {
      t.s -= v as number;
      t.c--;
      // Drift from adding and removing doubles would otherwise survive an empty window.
      if (t.c === 0) t.s = 0;
    }
    return t;
  },
  save: (t: Total): unknown => [t.s, t.c],
  load: (raw: unknown): Total => {
    const [s, c] = raw as [number, number];
    return { s, c };
  },
};

export const SUM: AggregatorKind<Total> = {
  name: 'sum',
  signature: 'sum(arg int|long|float|double) -> long (int, long) | double (float, double)',
  resultType(argTypes) {
    const t = expectOneOf(this, argTypes, NUMERIC);
    return t === 'int' || t === 'long' ? 'long' : 'double';
  },
  ...totalIO,
  value: (t) => (t.c === 0 ? null : t.s),
};

export const AVG: AggregatorKind<Total> = {
  name: 'avg',
  signature: 'avg(arg int|long|float|double) -> double',
  resultType(argTypes) {
    expectOneOf(this, argTypes, NUMERIC);
    return 'double';
  },
  ...totalIO,
  value: (t) => (t.c === 0 ? null : t.s / t.c),
};

export const COUNT: AggregatorKind<number> = {
  name: 'count',
  signature: 'count([arg any]) -> long',
  resultType(argTypes): AttributeType {
    expectArgs(this, argTypes, 0, 1);
    return 'long';
  },
  init: () => 0,
  add: (n) => n + 1,
  remove: (n) => n - 1,
  value: (n) => n,
};

/** Count, sum, mean and the sum of squared deviations (Welford, as the reference updates it). */
interface Deviation {
  c: number;
  sum: number;
  mean: number;
  m2: number;
}

export const STD_DEV: AggregatorKind<Deviation> = {
  name: 'stdDev',
  signature: 'stdDev(arg int|long|float|double) -> double (population standard deviation)',
  resultType(argTypes) {
    expectOneOf(this, argTypes, NUMERIC);
    return 'double';
  },
  init: () => ({ c: 0, sum: 0, mean: 0, m2: 0 }),
  add(d, raw) {
    if (isNull(raw)) return d;
    const v = raw as number;
    d.c++;
    if (d.c === 1) {
      d.sum = d.mean = v;
      d.m2 = 0;
    } else {
      const old = d.mean;
      d.sum += v;
      d.mean = d.sum / d.c;
      d.m2 += (v - old) * (v - d.mean);
    }
    return d;
  },
  remove(d, raw) {
    if (isNull(raw)) return d;
    const v = raw as number;
    d.c--;
    if (d.c === 0) {
      d.sum = d.mean = d.m2 = 0;
    } else {
      const old = d.mean;
      d.sum -= v;
      d.mean = d.sum / d.c;
      d.m2 -= (v - old) * (v - d.mean);
    }
    return d;
  },
  value: (d) => (d.c === 0 ? null : d.c === 1 ? 0 : Math.sqrt(Math.max(0, d.m2) / d.c)),
  save: (d) => [d.c, d.sum, d.mean, d.m2],
  load(raw) {
    const [c, sum, mean, m2] = raw as number[];
    return { c: c!, sum: sum!, mean: mean!, m2: m2! };
  },
};
