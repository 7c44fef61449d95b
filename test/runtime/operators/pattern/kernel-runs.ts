// Runs an app with generated kernels on or off, restarting it part-way into
// either path: the harness of the tests that compare a generated pattern path
// with the interpreted one (keyed-row-node, sequence-matcher).

import fc from 'fast-check';
import { InMemoryStore } from '../../../../src/index.js';
import type { SiddhiAppRuntime } from '../../../../src/index.js';
import { plannedRuntime } from '../../../kernels.js';

export type Send = [row: unknown[], ts: number];

/** What a random run of sends to S draws from. */
interface SendShape {
  readonly symbols: readonly (string | null)[];
  /** Prices are `step` × 0..steps, null once in `nullFreq`: equal prices (the edges of < and >) come up often. */
  readonly step: number;
  readonly steps: number;
  readonly nullFreq: number;
  readonly maxVolume: number;
  /** Timestamps step by 50 ms × dtMin..dtMax, so a match often starts exactly `within` before an event. */
  readonly dtMin: number;
  readonly dtMax: number;
  readonly maxLength: number;
}

/** Random sends to S (symbol, price, volume) with timestamps that step back and forth. */
export function sendsOf(o: SendShape): fc.Arbitrary<Send[]> {
  return fc.array(
    fc.record({
      symbol: fc.constantFrom(...o.symbols),
      price: fc.option(fc.integer({ min: 0, max: o.steps }).map((x) => o.step * x), { nil: null, freq: o.nullFreq }),
      volume: fc.integer({ min: 1, max: o.maxVolume }),
      dt: fc.integer({ min: o.dtMin, max: o.dtMax }).map((x) => 50 * x),
    }),
    { maxLength: o.maxLength },
  ).map((xs): Send[] => {
    let t = 10_000;
    return xs.map((x) => [[x.symbol, x.price, x.volume], (t = Math.max(0, t + x.dt))]);
  });
}

export const stockSends = sendsOf({ symbols: ['a', 'b', 'c', null], step: 5, steps: 20, nullFreq: 12, maxVolume: 3, dtMin: -3, dtMax: 8, maxLength: 60 });

/** A runtime of `app` with kernels on or off, built from its plan for that setting (planned once: test/kernels.ts). */
export const create = plannedRuntime;

/**
 * O's rows for `input` sent to S, planned with kernels `before` up to step
 * `at`, then restarted with kernels `after` from a snapshot (or, with `chain`,
 * from the last revision of a store persisted after every step).
 */
export async function run(app: string, input: readonly Send[], before: boolean, after = before, at = -1, chain = false): Promise<unknown[][]> {
  const out: unknown[][] = [];
  const store = chain ? new InMemoryStore() : undefined;
  const start = (kernels: boolean): SiddhiAppRuntime => {
    const rt = create(app, kernels, store);
    rt.addCallback('O', (events) => out.push(...events.map((e) => [e.timestamp, ...e.data])));
    rt.start();
    return rt;
  };
  let rt = start(before);
  for (let i = 0; i < input.length; i++) {
    if (i === at) {
      const bytes = chain ? undefined : rt.snapshot();
      rt.shutdown();
      rt = start(after);
      if (bytes) rt.restore(bytes);
      else await rt.restoreLastRevision();
    }
    rt.getInputHandler('S').send(input[i]![0], input[i]![1]);
    if (chain) await rt.persist();
  }
  rt.shutdown();
  return out;
}
