// distinctCount (null counts as a value), unionSet (union of Set-valued
// arguments; any other value counts as a set of itself), and, or: aggregators that keep per-value or per-truth counts.
// Registered in index.ts.

import type { AttributeType } from '../../ast/index.js';
import { type AggregatorKind, expectArgs, expectOneOf, isNull } from './aggregator.js';

type Counts = Map<unknown, number>;

function bump(m: Counts, k: unknown, by: number): void {
  const c = (m.get(k) ?? 0) + by;
  if (c > 0) m.set(k, c);
  else m.delete(k);
}

const countsIO = {
  init: (): Counts => new Map(),
  save: (m: Counts): unknown => [...m],
  load: (raw: unknown): Counts => new Map(raw as [unknown, number][]),
};

export const DISTINCT_COUNT: AggregatorKind<Counts> = {
  name: 'distinctCount',
  signature: 'distinctCount(arg any) -> long',
  resultType(argTypes): AttributeType {
    expectArgs(this, argTypes, 1, 1);
    return 'long';
  },
  ...countsIO,
  add(m, v) {
    bump(m, v ?? null, 1);
    return m;
  },
  remove(m, v) {
    bump(m, v ?? null, -1);
    return m;
  },
  value: (m) => m.size,
};

export const UNION_SET: AggregatorKind<Counts> = {
  name: 'unionSet',
  signature: 'unionSet(set object) -> object (a Set holding every element of the sets in the window)',
  resultType(argTypes) {
    expectOneOf(this, argTypes, ['object']);
    return 'object';
  },
  ...countsIO,
  add(m, v) {
    for (const x of elements(v)) bump(m, x, 1);
    return m;
  },
  remove(m, v) {
    for (const x of elements(v)) bump(m, x, -1);
    return m;
  },
  // A fresh Set each time: emitted values must not change afterwards.
  value: (m) => new Set(m.keys()),
};

/**
 * The elements of one argument. An `object` attribute can hold anything, and a
 * throw here would leave the event half-aggregated, so a value that is not a
 * Set (or array) counts as a set of itself.
 */
function elements(v: unknown): Iterable<unknown> {
  if (isNull(v)) return [];
  if (v instanceof Set || Array.isArray(v)) return v;
  return [v];
}

/** Counts of true and false arguments (nulls are skipped). */
interface Truths {
  t: number;
  f: number;
}

function logical(name: 'and' | 'or', value: (s: Truths) => boolean): AggregatorKind<Truths> {
  const step = (s: Truths, v: unknown, by: number): Truths => {
    if (v === true) s.t += by;
    else if (v === false) s.f += by;
    return s;
  };
  return {
    name,
    signature: `${name}(arg bool) -> bool`,
    resultType(argTypes) {
      expectOneOf(this, argTypes, ['bool']);
      return 'bool';
    },
    init: () => ({ t: 0, f: 0 }),
    add: (s, v) => step(s, v, 1),
    remove: (s, v) => step(s, v, -1),
    value,
    save: (s) => [s.t, s.f],
    load: (raw) => {
      const [t, f] = raw as [number, number];
      return { t, f };
    },
  };
}

export const AND = logical('and', (s) => s.t > 0 && s.f === 0);
export const OR = logical('or', (s) => s.t > 0);
