// `math:percentile(arg, p)`: the p-th percentile (0 < p <= 100, a constant
// double) of the window's values, by the reference's nearest-rank rule with
// averaging on whole ranks. Values are kept sorted; empty gives null.

import type { CompiledExpression } from '../../expression.js';
import { type AggregatorKind, AggregatorUsageError, expectArgs, isNull, NUMERIC } from '../aggregator.js';
import { lowerBound } from '../../../sorted.js';

const SIGNATURE = 'math:percentile(arg int|long|float|double, p double) -> double';

/** The reference's rule: rank p·n/100; whole ranks average with the next value. */
function percentileOf(sorted: readonly number[], p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const rank = (p * n) / 100;
  if (rank % 1 === 0) return rank === n ? sorted[rank - 1]! : (sorted[rank - 1]! + sorted[rank]!) / 2;
  const i = Math.round(rank);
  return i === 0 ? sorted[0]! : sorted[i - 1]!;
}

function percentile(p: number): AggregatorKind<number[]> {
  return {
    name: 'math:percentile',
    signature: SIGNATURE,
    resultType(types) {
      expectArgs(this, types, 2, 2);
      if (!NUMERIC.includes(types[0]!)) throw new AggregatorUsageError(`math:percentile() needs a numeric argument, got ${types[0]}; usage: ${SIGNATURE}`);
      if (types[1] !== 'double') throw new AggregatorUsageError(`math:percentile() needs p as a double, got ${types[1]}; usage: ${SIGNATURE}`);
      return 'double';
    },
    configure(args: readonly CompiledExpression[]) {
      const c = args[1]?.constant;
      if (!c) throw new AggregatorUsageError('math:percentile(): p has to be a constant');
      const value = c.value as number;
      if (!(value > 0 && value <= 100)) throw new AggregatorUsageError(`math:percentile(): p must be in 0 < p <= 100, got ${value}`);
      return percentile(value);
    },
    init: () => [],
    add(s, v) {
      if (!isNull(v)) s.splice(lowerBound(s, v as number), 0, v as number);
      return s;
    },
    remove(s, v) {
      if (!isNull(v)) {
        const i = lowerBound(s, v as number);
        if (s[i] === v) s.splice(i, 1);
      }
      return s;
    },
    value: (s) => percentileOf(s, p),
  };
}

export const PERCENTILE: AggregatorKind<number[]> = percentile(50);
