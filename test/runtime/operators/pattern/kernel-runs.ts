// Runs an app with generated kernels on or off, restarting it part-way into
// either path: the harness of the tests that compare a generated pattern path
// with the interpreted one (keyed-row-node, sequence-matcher).

import fc from 'fast-check';
import { InMemoryStore, SiddhiManager } from '../../../../src/index.js';
import type { SiddhiAppRuntime } from '../../../../src/index.js';

export type Send = [row: unknown[], ts: number];

/** Random sends to S (symbol, price, volume) with timestamps that step back and forth. */
export const stockSends = fc.array(
  fc.record({
    symbol: fc.constantFrom('a', 'b', 'c', null),
    // Steps of 5, so equal prices (the edges of < and >) come up often.
    price: fc.option(fc.integer({ min: 0, max: 20 }).map((x) => 5 * x), { nil: null, freq: 12 }),
    volume: fc.integer({ min: 1, max: 3 }),
    // Steps of 50 ms, so a match often starts exactly `within` before an event.
    dt: fc.integer({ min: -3, max: 8 }).map((x) => 50 * x),
  }),
  { maxLength: 60 },
).map((xs): Send[] => {
  let t = 10_000;
  return xs.map((x) => [[x.symbol, x.price, x.volume], (t = Math.max(0, t + x.dt))]);
});

/** Plans `app` with kernels on or off (SIDDHI_KERNELS is read at planning only). */
export function create(app: string, kernels: boolean, store?: InMemoryStore): SiddhiAppRuntime {
  if (kernels) delete process.env.SIDDHI_KERNELS;
  else process.env.SIDDHI_KERNELS = 'off';
  try {
    return new SiddhiManager().createSiddhiAppRuntime(app, { playback: true, ...(store ? { store } : {}) });
  } finally {
    delete process.env.SIDDHI_KERNELS;
  }
}

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
