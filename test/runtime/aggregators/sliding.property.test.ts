// Property: an aggregator fed a sliding window incrementally (add on arrival,
// remove on expiry, in any removal order) equals recomputation over the contents.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGGREGATOR_KINDS, type AggregatorKind } from '../../../src/runtime/aggregators/index.js';
import { roundTrip } from './helpers.js';
import { expectEqual } from '../../expect-equal.js';

function recompute(kind: AggregatorKind, contents: readonly unknown[]): unknown {
  let s = kind.init();
  for (const v of contents) s = kind.add(s, v);
  return kind.value(s);
}

const value = fc.option(fc.integer({ min: -50, max: 50 }), { nil: null, freq: 6 });
/** Steps: a value to add, then a removal position (relative) when the window is over size. */
const steps = fc.array(fc.tuple(value, fc.nat(), fc.boolean()), { maxLength: 120 });

describe.each(['sum', 'count', 'avg', 'min', 'max', 'stdDev', 'distinctCount'])('%s over a sliding window', (name) => {
  const kind = AGGREGATOR_KINDS[name]!;
  it('equals recomputation over the window contents', () => {
    fc.assert(
      fc.property(steps, fc.integer({ min: 1, max: 8 }), (input, size) => {
        let s = kind.init();
        const window: unknown[] = [];
        for (const [v, pick, save] of input) {
          s = kind.add(s, v);
          window.push(v);
          if (window.length > size) {
            // Removal from anywhere (sort-like windows), not only the oldest.
            const [gone] = window.splice(pick % window.length, 1);
            s = kind.remove(s, gone);
          }
          if (save) s = roundTrip(kind, s);
          const got = kind.value(s);
          const want = recompute(kind, window);
          // stdDev from running sums of squares carries ~sqrt(eps * sum of squares) of noise near zero.
          // expect() only on a miss (this runs for every step of every run).
          if (typeof want === 'number' && typeof got === 'number') {
            const [off, bound] = [Math.abs(got - want), 1e-5 + 1e-9 * Math.abs(want)];
            if (!(off <= bound)) expect(off).toBeLessThanOrEqual(bound);
          } else expectEqual(got, want);
        }
      }),
      { numRuns: 150 },
    );
  });
});
