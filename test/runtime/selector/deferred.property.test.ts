// The selector projects only emitted rows when there is no `having`; this
// checks that shortcut against the row-by-row path (forced by `having true`)
// on random windows, aggregates, groupings and output event types.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { plannedRuntime } from '../../kernels.js';
import { expectEqual } from '../../expect-equal.js';

/** The rows O gets, from a runtime built from `app`'s plan (planned once: kernels.ts; apps recur across runs). */
function run(app: string, events: [string, number][]): unknown[][] {
  const rt = plannedRuntime(app, true);
  const out: unknown[][] = [];
  rt.addCallback('O', (evs) => out.push(...evs.map((e) => [e.isExpired, ...e.data])));
  rt.start();
  events.forEach(([k, v], i) => rt.getInputHandler('S').send([k, v], 1000 + i * 300));
  rt.advanceTime(1000 + events.length * 300 + 5000);
  return out;
}

describe('deferred projection', () => {
  it('emits what row-by-row projection emits', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('length(3)', 'lengthBatch(3)', 'timeBatch(1 sec)', 'time(1 sec)', 'lengthBatch(2, true)'),
        fc.constantFrom('sum(v)', 'count()', 'avg(v)', 'max(v)', 'min(v) + count()'),
        fc.boolean(),
        fc.constantFrom('current', 'expired', 'all'),
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: -5, max: 20 })), { maxLength: 25 }),
        (window, agg, grouped, events, input) => {
          const body = `from S#window.${window} select k, ${agg} as x ${grouped ? 'group by k' : ''}`;
          const head = 'define stream S (k string, v int);\n';
          const fast = run(`${head}${body} insert ${events} events into O;`, input);
          const slow = run(`${head}${body} having 1 == 1 insert ${events} events into O;`, input);
          expectEqual(fast, slow);
        },
      ),
      { numRuns: 300 },
    );
  });
});
