// Property test: length, time, lengthBatch and timeBatch against naive models
// on random timed input, with random checkpoint/restore points in the run.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { WindowArg } from '../../../src/runtime/operators/window.js';
import type { CaptureMode } from '../../../src/state/cell.js';
import { constArg, ms, type Out, runAll, runWithRestart, schema, type Step } from './window-rig.js';
import { expectEqual } from '../../expect-equal.js';

/** Steps carry `[v, i]`; with a schema the windows store them by column. */
const SCHEMA = schema('int', 'int');

type Model = (steps: readonly Step[]) => Out[][];

const cur = (t: number, d: unknown[]): Out => ({ t, x: false, d });
const exp = (t: number, d: unknown[]): Out => ({ t, x: true, d });

function lengthModel(n: number): Model {
  return (steps) => {
    const held: Step[] = [];
    const out: Out[][] = [];
    for (const s of steps) {
      if (!s.d) continue;
      const chunk: Out[] = [];
      if (n === 0) chunk.push(cur(s.t, s.d), exp(s.t, s.d));
      else {
        if (held.length === n) chunk.push(exp(s.t, held.shift()!.d!));
        held.push(s);
        chunk.push(cur(s.t, s.d));
      }
      out.push(chunk);
    }
    return out;
  };
}

function timeModel(span: number): Model {
  return (steps) => {
    let held: Step[] = [];
    const out: Out[][] = [];
    for (const s of steps) {
      // Timers: one chunk per distinct arrival time whose expiry is due.
      while (held.length > 0 && held[0]!.t + span <= s.t) {
        const ts = held[0]!.t;
        out.push(held.filter((h) => h.t === ts).map((h) => exp(ts + span, h.d!)));
        held = held.filter((h) => h.t !== ts);
      }
      if (s.d) {
        held.push(s);
        out.push([cur(s.t, s.d)]);
      }
    }
    return out;
  };
}

function lengthBatchModel(n: number, streamCurrent: boolean): Model {
  return (steps) => {
    let batch: Step[] = [];
    let prev: Step[] = [];
    const out: Out[][] = [];
    for (const s of steps) {
      if (!s.d) continue;
      if (n === 0) {
        out.push([cur(s.t, s.d), exp(s.t, s.d)]);
      } else if (streamCurrent) {
        const chunk = batch.length === n ? batch.map((b) => exp(s.t, b.d!)) : [];
        if (batch.length === n) batch = [];
        batch.push(s);
        out.push([...chunk, cur(s.t, s.d)]);
      } else {
        batch.push(s);
        if (batch.length === n) {
          out.push([...prev.map((p) => exp(s.t, p.d!)), ...batch.map((b) => cur(b.t, b.d!))]);
          prev = batch;
          batch = [];
        }
      }
    }
    return out;
  };
}

function timeBatchModel(span: number, streamCurrent: boolean): Model {
  return (steps) => {
    let next = -1;
    let batch: Step[] = [];
    let prev: Step[] = [];
    const out: Out[][] = [];
    for (const s of steps) {
      while (next !== -1 && next <= s.t) {
        // Streaming: the events already sent in this period expire at its end.
        const at = next;
        const chunk = streamCurrent
          ? batch.map((b) => exp(at, b.d!))
          : [...prev.map((p) => exp(at, p.d!)), ...batch.map((b) => cur(b.t, b.d!))];
        prev = batch;
        batch = [];
        if (chunk.length > 0) out.push(chunk);
        next += span;
      }
      if (!s.d) continue;
      if (next === -1) next = s.t + span;
      batch.push(s);
      if (streamCurrent) out.push([cur(s.t, s.d)]);
    }
    return out;
  };
}

const stepsArb = fc
  .array(fc.record({ dt: fc.integer({ min: 0, max: 6 }), event: fc.boolean(), v: fc.integer({ min: 0, max: 99 }) }), {
    minLength: 1,
    maxLength: 40,
  })
  .map((raw) => {
    let t = 1000;
    return raw.map(({ dt, event, v }, i): Step => {
      t += dt * 200;
      return event || i === 0 ? { t, d: [v, i] } : { t };
    });
  });

const scenarioArb = stepsArb.chain((steps) =>
  fc.record({
    steps: fc.constant(steps),
    captures: fc.uniqueArray(fc.integer({ min: 0, max: steps.length - 1 }), { minLength: 1, maxLength: 4 }),
    modes: fc.array(fc.constantFrom<CaptureMode>('full', 'delta', 'delta'), { minLength: 4, maxLength: 4 }),
  }),
);

const subjects: [string, string, WindowArg[], Model][] = [
  ['length(3)', 'length', [constArg(3)], lengthModel(3)],
  ['length(0)', 'length', [constArg(0)], lengthModel(0)],
  ['time(1 sec)', 'time', [ms(1000)], timeModel(1000)],
  ['time(400)', 'time', [constArg(400)], timeModel(400)],
  ['lengthBatch(3)', 'lengthBatch', [constArg(3)], lengthBatchModel(3, false)],
  ['lengthBatch(2, true)', 'lengthBatch', [constArg(2), constArg(true)], lengthBatchModel(2, true)],
  ['timeBatch(1 sec)', 'timeBatch', [ms(1000)], timeBatchModel(1000, false)],
  ['timeBatch(600, true)', 'timeBatch', [ms(600), constArg(true)], timeBatchModel(600, true)],
];

describe('windows against naive models', () => {
  for (const [title, kind, args, model] of subjects) {
    it(`${title} matches its model, with and without a restart`, () => {
      fc.assert(
        fc.property(scenarioArb, ({ steps, captures, modes }) => {
          const expected = model(steps);
          expectEqual(runAll(kind, args, steps, SCHEMA), expected);
          const at = [...captures].sort((a, b) => a - b);
          expectEqual(runWithRestart(kind, args, steps, at, modes, SCHEMA), expected);
        }),
        { numRuns: 300 },
      );
    });
  }
});
