// Property test: a partitioned query equals the same query run once per key
// on that key's part of the input, with a checkpoint and a restore into a
// fresh runtime at a random step of the partitioned run.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { SiddhiManager, type SiddhiAppRuntime } from '../../../../src/index.js';
import { expectEqual } from '../../../expect-equal.js';

const manager = new SiddhiManager();
const KEYS = ['a', 'b', 'c', 'd'];

interface Step {
  readonly k: string;
  readonly v: number;
  readonly t: number;
}

function start(app: string, rows: unknown[][]): SiddhiAppRuntime {
  const rt = manager.createSiddhiAppRuntime(app, { playback: true });
  rt.addCallback('O', (events) => rows.push(...events.map((e) => [...e.data, e.isExpired])));
  rt.start();
  return rt;
}

function byKey(rows: unknown[][]): Map<string, unknown[][]> {
  const m = new Map<string, unknown[][]>();
  for (const r of rows) m.set(r[0] as string, [...(m.get(r[0] as string) ?? []), r]);
  return m;
}

const windows = fc.constantFrom('length(3)', 'time(50)', 'lengthBatch(2)', 'timeBatch(40)');
const steps = fc
  .array(fc.record({ k: fc.constantFrom(...KEYS), v: fc.integer({ min: -50, max: 50 }), dt: fc.integer({ min: 0, max: 30 }) }), { minLength: 1, maxLength: 40 })
  .map((xs) => {
    let t = 1000;
    return xs.map(({ k, v, dt }): Step => ({ k, v, t: (t += dt) }));
  });

describe('a partitioned query equals one run per key', () => {
  it('with a checkpoint/restore at a random step', () => {
    fc.assert(
      fc.property(windows, steps, fc.nat(), (window, input, at) => {
        const query = `from S#window.${window} select k, sum(v) as total, count() as n insert all events into O;`;
        const stream = 'define stream S (k string, v int);\n';
        const end = input[input.length - 1]!.t + 1000;

        const rows: unknown[][] = [];
        let rt = start(`${stream}partition with (k of S) begin ${query} end;`, rows);
        const cut = at % input.length;
        input.forEach((s, i) => {
          rt.getInputHandler('S').send([s.k, s.v], s.t);
          if (i === cut) {
            const bytes = rt.snapshot();
            rt.shutdown();
            rt = start(`${stream}partition with (k of S) begin ${query} end;`, rows);
            rt.restore(bytes);
          }
        });
        rt.advanceTime(end);
        rt.shutdown();

        const expected = new Map<string, unknown[][]>();
        for (const k of KEYS) {
          const part = input.filter((s) => s.k === k);
          if (part.length === 0) continue;
          const plain: unknown[][] = [];
          const single = start(stream + query, plain);
          for (const s of part) single.getInputHandler('S').send([s.k, s.v], s.t);
          single.advanceTime(end);
          single.shutdown();
          if (plain.length > 0) expected.set(k, plain);
        }
        expectEqual(byKey(rows), expected);
      }),
      { numRuns: 40 },
    );
  });
});
