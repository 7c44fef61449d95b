// min, max (correct under any removal order, via ExtremeSet) and minForever,
// maxForever (never forget). Registered in index.ts.

import { type AggregatorKind, NUMERIC, expectOneOf, isNull } from './aggregator.js';
import { ExtremeSet } from './extreme-set.js';

function extreme(name: 'min' | 'max', sign: 1 | -1): AggregatorKind<ExtremeSet> {
  return {
    name,
    signature: `${name}(arg int|long|float|double) -> the argument's type`,
    resultType(argTypes) {
      return expectOneOf(this, argTypes, NUMERIC);
    },
    init: () => new ExtremeSet(sign),
    add(s, v) {
      if (!isNull(v)) s.add(v as number);
      return s;
    },
    remove(s, v) {
      if (!isNull(v)) s.remove(v as number);
      return s;
    },
    value: (s) => s.top(),
    save: (s) => s.save(),
    load: (raw) => ExtremeSet.load(sign, raw as [number, number][]),
  };
}

export const MIN = extreme('min', 1);
export const MAX = extreme('max', -1);

function forever(name: 'minForever' | 'maxForever', better: (a: number, b: number) => boolean): AggregatorKind<number | null> {
  // An expired event was seen when it arrived, so removal is just another sighting.
  const see = (s: number | null, v: unknown): number | null =>
    isNull(v) ? s : s === null || better(v as number, s) ? (v as number) : s;
  return {
    name,
    signature: `${name}(arg int|long|float|double) -> the argument's type`,
    resultType(argTypes) {
      return expectOneOf(this, argTypes, NUMERIC);
    },
    init: () => null,
    add: see,
    remove: see,
    value: (s) => s,
    forever: true,
  };
}

export const MIN_FOREVER = forever('minForever', (a, b) => a < b);
export const MAX_FOREVER = forever('maxForever', (a, b) => a > b);
