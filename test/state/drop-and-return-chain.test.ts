import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryStore, SiddhiManager } from '../../src/index.js';

// A chain of deltas in which @purge drops a partition key and a later delta has it back: restoring the chain replays
// the keys cell state by state, so the key's instance is made, dropped and made again while the restore is applied.
// The instance made last must get the key's cells' states, as an uninterrupted run holds them.

const PURGE = "@purge(enable='true', interval='50 ms', idle.period='120 ms')";
const WINDOW = `define stream S (k string, v int);
${PURGE} partition with (k of S) begin
  from S#window.length(3) select k, count() as c, sum(v) as s insert into O; end;`;
const PATTERN = `define stream S (k string, v int);
${PURGE} partition with (k of S) begin
  from every e1=S -> e2=S[v > e1.v] select e1.k as k, e1.v as a, e2.v as b insert into O; end;`;

type Mode = 'full' | 'delta';
type Runtime = ReturnType<SiddhiManager['createSiddhiAppRuntime']>;

afterEach(() => {
  delete process.env.SIDDHI_KERNELS;
});

function runtime(app: string, store: InMemoryStore, out: unknown[][]): Runtime {
  const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true, store });
  rt.addCallback('O', (evs) => out.push(...evs.map((e) => [e.timestamp, ...e.data])));
  return rt;
}

/** O's rows after `last`: from an uninterrupted run, or from a fresh runtime restored from the chain persisted after each step. */
async function rowsAfter(app: string, steps: readonly [string, number, number, Mode | undefined][], last: [string, number, number], restore: boolean): Promise<unknown[][]> {
  const store = new InMemoryStore();
  const out: unknown[][] = [];
  let rt = runtime(app, store, out);
  rt.start();
  await rt.persist({ mode: 'full' });
  for (const [k, v, t, mode] of steps) {
    rt.getInputHandler('S').send([k, v], t);
    if (mode !== undefined) await rt.persist({ mode });
  }
  if (restore) {
    rt.shutdown();
    rt = runtime(app, store, out);
    await rt.restoreLastRevision();
    rt.start();
  }
  out.length = 0;
  rt.getInputHandler('S').send([last[0], last[1]], last[2]);
  rt.shutdown();
  return out;
}

// a at 1000; b at 1500 (the purge drops a, idle since 1000); a again at 1600.
const dropAndReturn = (middle: Mode | undefined, end: Mode): [string, number, number, Mode | undefined][] =>
  [['a', 1, 1000, 'delta'], ['b', 1, 1500, middle], ['a', 10, 1600, end]];

describe('a delta chain over a partition key the purge dropped and that came back', () => {
  for (const kernels of ['on', 'off'] as const) {
    it(`restores the key's window as an uninterrupted run holds it (kernels ${kernels})`, async () => {
      if (kernels === 'off') process.env.SIDDHI_KERNELS = 'off';
      const last: [string, number, number] = ['a', 100, 1610];
      expect(await rowsAfter(WINDOW, dropAndReturn('delta', 'delta'), last, false)).toEqual([[1610, 'a', 2, 110]]);
      // The drop and the return in separate deltas: the key's instance is made, dropped and made again by the restore.
      expect(await rowsAfter(WINDOW, dropAndReturn('delta', 'delta'), last, true)).toEqual([[1610, 'a', 2, 110]]);
      expect(await rowsAfter(WINDOW, dropAndReturn(undefined, 'delta'), last, true)).toEqual([[1610, 'a', 2, 110]]);
      expect(await rowsAfter(WINDOW, dropAndReturn('delta', 'full'), last, true)).toEqual([[1610, 'a', 2, 110]]);
    });

    it(`restores the key's pattern as an uninterrupted run holds it (kernels ${kernels})`, async () => {
      if (kernels === 'off') process.env.SIDDHI_KERNELS = 'off';
      const last: [string, number, number] = ['a', 100, 1610];
      const want = await rowsAfter(PATTERN, dropAndReturn('delta', 'delta'), last, false);
      expect(want).toEqual([[1610, 'a', 10, 100]]);
      expect(await rowsAfter(PATTERN, dropAndReturn('delta', 'delta'), last, true)).toEqual(want);
      expect(await rowsAfter(PATTERN, dropAndReturn(undefined, 'delta'), last, true)).toEqual(want);
    });
  }

  it('extends the restored chain with deltas a later restore reads back', async () => {
    const store = new InMemoryStore();
    const out: unknown[][] = [];
    let rt = runtime(WINDOW, store, out);
    rt.start();
    await rt.persist({ mode: 'full' });
    for (const [k, v, t] of [['a', 1, 1000], ['b', 1, 1500], ['a', 10, 1600]] as const) {
      rt.getInputHandler('S').send([k, v], t);
      await rt.persist({ mode: 'delta' });
    }
    for (const [v, t] of [[100, 1610], [1000, 1620]]) {
      rt.shutdown();
      rt = runtime(WINDOW, store, out);
      await rt.restoreLastRevision();
      rt.start();
      rt.getInputHandler('S').send(['a', v], t);
      await rt.persist({ mode: 'delta' });
    }
    rt.shutdown();
    expect(out.slice(-2)).toEqual([[1610, 'a', 2, 110], [1620, 'a', 3, 1110]]);
  });

  it('restores a key live in the runtime restored into, whose chain starts without it', async () => {
    // The base has no keys: applying it drops the live instance of a, and the delta after it makes a again.
    const store = new InMemoryStore();
    const out: unknown[][] = [];
    const rt = runtime(WINDOW, store, out);
    rt.start();
    await rt.persist({ mode: 'full' });
    rt.getInputHandler('S').send(['a', 1], 1000);
    await rt.persist({ mode: 'delta' });
    rt.shutdown();
    const into = runtime(WINDOW, store, out);
    into.start();
    into.getInputHandler('S').send(['a', 7], 900);
    await into.restoreLastRevision();
    out.length = 0;
    into.getInputHandler('S').send(['a', 100], 1010);
    into.shutdown();
    expect(out).toEqual([[1010, 'a', 2, 101]]);
  });
});
