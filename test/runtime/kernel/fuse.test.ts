import { afterEach, describe, expect, it, vi } from 'vitest';
import { SiddhiManager } from '../../../src/index.js';
import type { SiddhiAppRuntime } from '../../../src/runtime/app-runtime.js';
import { plannedRuntime } from '../../kernels.js';

const S = 'define stream S (symbol string, price float, volume long, ok bool);';

/** A runtime of `app` fused or interpreted ('off'), built from its plan for that setting (planned once: kernels.ts), fed `rows`. */
function run(app: string, rows: unknown[][], kernels?: 'off'): { rt: SiddhiAppRuntime; out: unknown[][] } {
  const rt = plannedRuntime(app, kernels !== 'off');
  const out: unknown[][] = [];
  rt.addCallback('O', (events) => out.push(...events.map((e) => [e.timestamp, e.isExpired, ...e.data])));
  rt.start();
  rows.forEach((r, i) => rt.getInputHandler('S').send(r, 1000 + i));
  return { rt, out };
}

/** Which kernels fuse for `app` (SIDDHI_KERNELS=print). */
function fusedKernels(app: string): string[] {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
  process.env.SIDDHI_KERNELS = 'print';
  try {
    new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    return spy.mock.calls.map((c) => String(c[0]).split(' fused')[0]!.replace('kernel ', ''));
  } finally {
    delete process.env.SIDDHI_KERNELS;
    spy.mockRestore();
  }
}

afterEach(() => {
  delete process.env.SIDDHI_KERNELS;
});

describe('kernel fusion', () => {
  it('fuses filters and a plain projection, and leaves other shapes to the operators', () => {
    expect(fusedKernels(`${S} from S[price > 5][ok] select symbol, price * 2 as p insert into O;`)).toEqual(['filter+project']);
    expect(fusedKernels(`${S} from S select symbol, price output last every 2 events insert into O;`)).toEqual([]);
    expect(fusedKernels(`${S} from S select symbol, price order by price insert into O;`)).toEqual([]);
  });

  it('fuses aggregating selectors, with or without a length, time or timeBatch window', () => {
    for (const w of ['', '#window.length(3)', '#window.time(1 sec)', '#window.timeBatch(1 sec)']) {
      expect(fusedKernels(`${S} from S[ok]${w} select symbol, sum(price) as s group by symbol insert into O;`)).toEqual(['aggregate']);
    }
    expect(fusedKernels(`${S} from S#window.length(3) select symbol, sum(price) as s group by symbol having s > 1 insert into O;`)).toEqual(['aggregate']);
    // With `having`, only shapes with a generated step fuse.
    expect(fusedKernels(`${S} from S#window.timeBatch(1 sec) select symbol, sum(price) as s group by symbol having s > 1 insert into O;`)).toEqual([]);
    expect(fusedKernels(`${S} from S#window.sort(3, price) select sum(price) as s insert into O;`)).toEqual([]);
  });

  it('normalises values on the lent-row path as the operators do (float rounding, BigInt longs, nulls)', () => {
    const app = `${S} from S[volume > 0] select symbol, price, volume, ok insert into O;`;
    const rows = [['a', 0.1, 5n, true], ['b', 1.5, 7, null], [null, 2, 9, false], ['d', 3, 0, true]];
    const fused = run(app, rows).out;
    expect(fused).toEqual(run(app, rows, 'off').out);
    expect(fused[0]).toEqual([1000, false, 'a', Math.fround(0.1), 5, true]);
    expect(fused[1]).toEqual([1001, false, 'b', 1.5, 7, null]);
  });

  it('keeps nothing of a lent row: changing it after send changes no output', () => {
    const app = `${S} from S[price > 1] select symbol, price insert into O;`;
    const { rt, out } = run(app, []);
    const row: unknown[] = ['a', 2, 1, true];
    rt.getInputHandler('S').send(row, 5);
    row[0] = 'changed';
    expect(out).toEqual([[5, false, 'a', 2]]);
  });

  it('gives each callback its own copy once a second callback or a reader shares the output', () => {
    const app = `${S} from S select symbol, price insert into O; from O select symbol insert into P;`;
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    const seen: unknown[][] = [];
    rt.addCallback('O', (events) => {
      (events[0]!.data as unknown[])[0] = 'mutated';
    });
    rt.addCallback('O', (events) => seen.push([...events[0]!.data]));
    rt.addCallback('P', (events) => seen.push([...events[0]!.data]));
    rt.start();
    rt.getInputHandler('S').send(['a', 2, 1, true], 5);
    expect(seen).toEqual([['a', 2], ['a']]);
  });

  it("calls a stream's sole callback from the generated step as the junction would: errors reported, metrics counted, callbacks added later", () => {
    const app = `${S} from S[price > 1] select symbol, price insert into O;`;
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    const errors: string[] = [];
    const seen: unknown[][] = [];
    rt.onError((e) => errors.push(e.message));
    rt.addCallback('O', (events) => {
      if (events[0]!.data[0] === 'x') throw new Error('callback failed');
      seen.push(events.map((e) => [e.timestamp, e.isExpired, ...e.data]));
    });
    rt.start();
    const h = rt.getInputHandler('S');
    for (const [s, ts] of [['a', 1], ['x', 2], ['b', 3]] as const) h.send([s, 2, 1, true], ts);
    h.send(['c', 0, 1, true], 4);
    expect(seen).toEqual([[[1, false, 'a', 2]], [[3, false, 'b', 2]]]);
    expect(errors).toEqual([expect.stringMatching(/callback of stream 'O'.*callback failed/)]);
    expect(rt.metrics().streams['O']).toEqual({ in: 3, out: 3 });
    // A second stream callback and a query callback both see what follows.
    const second: unknown[] = [];
    const query: unknown[] = [];
    rt.addCallback('O', (events) => second.push(events[0]!.data[0]));
    rt.addQueryCallback('query1', (_, inEvents) => query.push(inEvents[0]!.data[0]));
    h.send(['d', 2, 1, true], 5);
    expect(seen.at(-1)).toEqual([[5, false, 'd', 2]]);
    expect(second).toEqual(['d']);
    expect(query).toEqual(['d']);
  });

  it('still reports events sent before start and bad timestamps', () => {
    const app = `${S} from S select symbol insert into O;`;
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    expect(() => rt.getInputHandler('S').send(['a', 1, 1, true], 1)).toThrow(/not started/);
    rt.start();
    expect(() => rt.getInputHandler('S').send(['a', 1, 1, true], 1.5)).toThrow(/timestamp must be an integer/);
    expect(() => rt.getInputHandler('S').send(['a', 'x', 1, true], 1)).toThrow(/expects float/);
  });
});

/** Seeded rows for S: few symbols, some nulls, timestamps with gaps (so time windows expire several at once). */
function randomRows(seed: number, n: number): { rows: unknown[][]; times: number[] } {
  let a = seed;
  const rnd = () => ((a = (a * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const rows: unknown[][] = [];
  const times: number[] = [];
  let t = 1000;
  for (let i = 0; i < n; i++) {
    t += Math.floor(rnd() * 700);
    rows.push([rnd() < 0.05 ? null : `s${Math.floor(rnd() * 4)}`, Math.floor(rnd() * 100) / 4, Math.floor(rnd() * 10), rnd() < 0.8]);
    times.push(t);
  }
  return { rows, times };
}

const AGGREGATE_APPS = [
  'from S select symbol, count() as c, sum(price) as s group by symbol insert into O;',
  'from S[ok]#window.length(4) select symbol, avg(price) as a, max(volume) as m group by symbol insert into O;',
  'from S#window.length(3) select sum(price) as s, count() as c insert into O;',
  'from S#window.length(5) select symbol, sum(price) as s group by symbol insert all events into O;',
  'from S#window.time(1 sec) select symbol, volume, sum(volume) as v group by symbol insert into O;',
  'from S[price > 5]#window.time(2 sec) select count() as c, min(price) as lo insert into O;',
  'from S#window.time(1 sec) select symbol, sum(volume) as v group by symbol insert expired events into O;',
  'from S#window.timeBatch(1 sec) select symbol, count() as c group by symbol insert into O;',
  'from S#window.timeBatch(1 sec) select symbol, ok, count() as c group by symbol, ok insert all events into O;',
  'from S[ok]#window.timeBatch(2 sec) select symbol, volume, sum(price) as s, avg(volume) as a, max(price) as m group by symbol insert into O;',
  'from S#window.timeBatch(1 sec, 0) select count() as c, sum(price) as s insert into O;',
  'from S#window.timeBatch(1 sec) select symbol, maxForever(price) as m, count() as c group by symbol insert into O;',
  'from S#window.timeBatch(1 sec, true) select symbol, count() as c group by symbol insert into O;',
  'from S[price > 5 and ok]#window.length(4) select symbol, ok, count(volume) as c, sum(volume) + 1 as v group by symbol, ok insert into O;',
  'from S#window.time(1 sec) select symbol, avg(price * 2) as a, sum(volume) as v group by symbol insert into O;',
  'from S[not ok or price >= 10] select sum(price) as s, str:length(symbol) as n, count(str:length(symbol)) as k insert into O;',
  'from S#window.length(4) select symbol, max(price) as mx, min(price) as mn group by symbol having mx > 10 insert into O;',
  'from S[ok] select symbol, sum(price) as s, count() as c group by symbol having s > 50 and c > 2 insert into O;',
  'from S#window.time(1 sec) select symbol, max(volume) as m group by symbol having count() > 1 and m < 8 insert into O;',
  'from S#window.length(5) select avg(price) as a, min(price) as lo, price having a > 10 and price > lo insert into O;',
  'from S#window.time(2 sec) select symbol, stdDev(price) as d, distinctCount(volume) as k group by symbol having k > 1 insert into O;',
  'from S#window.length(4) select symbol, maxForever(price) as m, sum(volume) as v group by symbol insert into O;',
  'from S select minForever(price) as m, count() as c insert into O;',
  'from S#window.time(1 sec) select symbol, minForever(volume) as m, max(volume) as x group by symbol having m < 3 insert into O;',
  'from S#window.length(3) select symbol, max(price) as mx group by symbol having mx > 10 insert all events into O;',
  'from S#window.timeBatch(1 sec) select symbol, count() as c group by symbol having c > 1 insert into O;',
  'from S#window.length(3) select symbol, sum(price * 2) as s, max(volume + 1) as m group by symbol having s > 10 insert into O;',
  'from S#window.time(1 sec) select sum(price * 2) as s, count(str:length(symbol)) as k insert into O;',
  'from S#window.length(3) select ok, sum(price * 2) as s, count(str:length(symbol)) as k group by ok insert into O;',
];

describe('generated steps', () => {
  it('prints the generated source of each query with SIDDHI_KERNELS=source', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    process.env.SIDDHI_KERNELS = 'source';
    try {
      new SiddhiManager().createSiddhiAppRuntime(`${S} from S[price > 5] select symbol insert into O;
        from S#window.length(3) select symbol, avg(price) as a group by symbol insert into P;`, { playback: true });
      const printed = spy.mock.calls.map((c) => String(c[0]));
      expect(printed).toHaveLength(2);
      expect(printed[0]).toContain('if ((d[1] != null && d[1] > 5) !== true) return;');
      expect(printed[1]).toContain('if (queue.length >= 3) {');
      expect(printed[1]).toContain('s[0].s / s[0].c');
    } finally {
      delete process.env.SIDDHI_KERNELS;
      spy.mockRestore();
    }
  });

  it("makes the sole callback's events before the try around the call", () => {
    const [step] = generatedSteps(`${S} from S[price > 5] select symbol, price insert into O;`);
    // The order only (events made, then the try, then the call), whatever the spacing.
    expect(step).toMatch(/const events = \[event\(ts, out, 0\)\];\s*try\s*\{\s*cb\(events\);/);
  });
});

/** The generated step sources of `app`, one per query that has one (SIDDHI_KERNELS=source). */
function generatedSteps(app: string): string[] {
  const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
  process.env.SIDDHI_KERNELS = 'source';
  try {
    new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    return spy.mock.calls.map((c) => String(c[0])).filter((text) => text.includes('return function step('));
  } finally {
    delete process.env.SIDDHI_KERNELS;
    spy.mockRestore();
  }
}

describe('aggregating shapes with a generated step (a fallback to the interpreter turns these red)', () => {
  it.each([
    ['min/max over length, grouped, having', 'from S#window.length(1000) select symbol, max(price) as mx, min(price) as mn group by symbol having mx > 10 insert into O;', ['k0.add(', 'k1.remove(', 'if (having(row) !== true) return;']],
    ['having with its own aggregator, time window', 'from S#window.time(1 sec) select symbol, max(volume) as m group by symbol having count() > 1 insert into O;', ['values[1] = s[1];', 'if (having(row) !== true) return;']],
    ['having without a window or grouping', 'from S[ok] select sum(price) as s having s > 50 insert into O;', ['if (having(row) !== true) return;']],
    ['maxForever over length: removal keeps the group', 'from S#window.length(4) select symbol, maxForever(price) as m group by symbol insert into O;', ['x.n--;']],
    ['minForever without a window', 'from S select minForever(price) as m, count() as c insert into O;', ['k0.add(']],
    ['arguments other than attributes over length: the expiry reads the whole row back', 'from S#window.length(3) select symbol, sum(price * 2) as s group by symbol insert into O;', ['queue.readInto(0, xrow.data);', 'a0(xrow)']],
    ['length window: the expiry reads its values in the chunk, the arrival is written there', 'from S#window.length(3) select symbol, avg(price) as a group by symbol insert into O;', ['hc.settle();', 'const x1 = m3 === null', 'cols.appendWritable()']],
    ['time window: the same reads and writes', 'from S#window.time(1 sec) select symbol, sum(volume) as v group by symbol insert into O;', ['hc.settle();', 'cols.appendWritable()']],
    ['distinctCount and stdDev over time, having', 'from S#window.time(2 sec) select symbol, stdDev(price) as d, distinctCount(volume) as k group by symbol having k > 1 insert into O;', ['k1.remove(', 'having(row)']],
  ])('%s', (_name, query, fragments) => {
    const steps = generatedSteps(`${S} ${query}`);
    expect(steps).toHaveLength(1);
    for (const f of fragments) expect(steps[0]).toContain(f);
  });

  it('a checkpoint taken fused restores interpreted and the other way round (min/max, having, forever)', () => {
    const app = `${S} from S#window.length(5) select symbol, max(price) as mx, min(price) as mn group by symbol having mx > 10 insert into O;
      from S#window.time(1 sec) select symbol, maxForever(price) as mx, min(price) as mn group by symbol having count() > 1 insert into O;
      from S select symbol, minForever(price) as mx, max(price) as mn having distinctCount(symbol) > 2 insert into O;`;
    expect(generatedSteps(app)).toHaveLength(3);
    crossCheckpoints(app, 11);
  });
});

describe('generated steps with having', () => {
  it('a projection with having is generated and gives what the operators give', () => {
    const app = `${S} from S[volume > 0] select symbol, price * 2 as p, volume having p > 5 and symbol != 'b' insert into O;`;
    const rows = [['a', 1, 1, true], ['b', 4, 2, true], ['c', 3.5, 3, false], [null, 9, 4, true], ['e', 2.5, 0, true], ['f', null, 5, true]];
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    process.env.SIDDHI_KERNELS = 'source';
    try {
      new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
      expect(String(spy.mock.calls[0]?.[0])).toContain('if (having(row) !== true) return;');
    } finally {
      delete process.env.SIDDHI_KERNELS;
      spy.mockRestore();
    }
    const fused = run(app, rows).out;
    expect(fused).toEqual(run(app, rows, 'off').out);
    expect(fused.map((r) => r[2])).toEqual(['c', null]);
  });
});

describe('aggregate kernel equals the planned operators', () => {
  it.each(AGGREGATE_APPS)('%s', (query) => {
    const app = `${S} ${query}`;
    for (const seed of [1, 2, 3]) {
      const { rows, times } = randomRows(seed, 300);
      const outputs = [undefined, 'off' as const].map((mode) => {
        const { rt, out } = run(app, [], mode);
        rows.forEach((r, i) => rt.getInputHandler('S').send(r, times[i]));
        rt.advanceTime(times[times.length - 1]! + 5000);
        return out;
      });
      expect(outputs[0]).toEqual(outputs[1]);
    }
  });

  it('a checkpoint taken fused restores interpreted and the other way round, with the same output after', () => {
    crossCheckpoints(`${S} from S#window.time(1 sec) select symbol, sum(price) as s group by symbol insert into O;
      from S#window.length(3) select symbol, avg(price) as s group by symbol insert into O;
      from S#window.timeBatch(1 sec) select symbol, sum(price) as s group by symbol insert into O;`, 9);
  });

  it('windows read back null and numeric values from their columns as the operators do, across restores of encoded checkpoints', () => {
    const app = `${S} from S#window.length(7) select symbol, avg(price) as a, sum(volume) as v, count(price) as c group by symbol insert into O;
      from S#window.time(2 sec) select symbol, avg(volume) as a, sum(volume) as v, count(price) as c group by symbol insert into O;`;
    const { rows, times } = randomRows(12, 160);
    // Nulls in the numeric columns too: the window keeps them beside the numbers (the columns' masks).
    rows.forEach((r, i) => { if (i % 5 === 2) r[1] = null; if (i % 7 === 3) r[2] = null; });
    const reference = run(app, [], 'off');
    rows.forEach((r, i) => reference.rt.getInputHandler('S').send(r, times[i]));
    let current = run(app, []);
    const out: unknown[][] = [];
    for (let i = 0; i < rows.length; i++) {
      if (i % 23 === 11) {
        // A fresh runtime from the encoded checkpoint: its windows' columns come back compact and decode on first use.
        const saved = current.rt.snapshot();
        out.push(...current.out);
        current = run(app, []);
        current.rt.restore(saved);
      }
      current.rt.getInputHandler('S').send(rows[i]!, times[i]);
    }
    out.push(...current.out);
    expect(out).toEqual(reference.out);
  });

  it('a restore mid-batch in the same runtime is followed by the same timeBatch output as without it', () => {
    const app = `${S} from S#window.timeBatch(1 sec) select symbol, count() as c, sum(volume) as v group by symbol insert into O;`;
    const { rows, times } = randomRows(4, 200);
    const reference = run(app, [], 'off');
    rows.forEach((r, i) => reference.rt.getInputHandler('S').send(r, times[i]));
    const a = run(app, []);
    rows.slice(0, 100).forEach((r, i) => a.rt.getInputHandler('S').send(r, times[i]));
    const saved = a.rt.snapshot();
    const seen = a.out.length;
    // Rows the restore takes back: the batch's groups counted them, the restored window must not.
    rows.slice(100, 103).forEach((r, i) => a.rt.getInputHandler('S').send(r, times[100 + i]));
    a.out.length = seen;
    a.rt.restore(saved);
    rows.slice(100).forEach((r, i) => a.rt.getInputHandler('S').send(r, times[100 + i]));
    expect(a.out).toEqual(reference.out);
  });
});

/** Runs seeded rows through `app` with a checkpoint half way, taken fused and restored interpreted and the other way round: same output as one interpreted run. */
function crossCheckpoints(app: string, seed: number): void {
  const { rows, times } = randomRows(seed, 120);
  const reference = run(app, [], 'off');
  rows.forEach((r, i) => reference.rt.getInputHandler('S').send(r, times[i]));
  expect(reference.out.length).toBeGreaterThan(0);
  for (const [first, second] of [[undefined, 'off'], ['off', undefined]] as const) {
    const a = run(app, [], first);
    rows.slice(0, 60).forEach((r, i) => a.rt.getInputHandler('S').send(r, times[i]));
    const b = run(app, [], second);
    b.rt.restore(a.rt.snapshot());
    rows.slice(60).forEach((r, i) => b.rt.getInputHandler('S').send(r, times[60 + i]));
    expect([...a.out, ...b.out]).toEqual(reference.out);
  }
}
