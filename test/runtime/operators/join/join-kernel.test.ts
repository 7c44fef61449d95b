// The fused join kernel against the planned chain (SIDDHI_KERNELS=off) on
// seeded random input: the same output chunks, event for event, for each shape
// the kernel takes (outer sides, filters, extra conditions, having, numeric
// keys with null and NaN, a self-join, unidirectional), and the same again
// when the fused run is checkpointed and restored into a fresh runtime midway.
// Shapes it must not take are checked to stay unfused.

import { afterEach, describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../../../src/index.js';
import { expectEqual } from '../../../expect-equal.js';

const DEFS = 'define stream A (k string, v int, n double); define stream B (k string, w int, n double);';

const SHAPES: Record<string, string> = {
  inner: 'from A#window.length(5) join B#window.length(4) on A.k == B.k select A.k, A.v, B.w insert into O;',
  reversed: 'from A#window.length(3) join B#window.length(6) on B.k == A.k select B.w, A.v, A.k insert into O;',
  leftOuterFiltered: 'from A[v > 2]#window.length(3) left outer join B[w != 4]#window.length(3) on A.k == B.k and A.v < B.w select A.k, A.v, B.w insert into O;',
  fullOuterNumeric: 'from A#window.length(4) full outer join B#window.length(2) on A.n == B.n select A.v, B.w, A.n insert current events into O;',
  having: 'from A#window.length(6) right outer join B#window.length(5) on A.k == B.k select A.k, A.v + B.w as s, eventTimestamp(B) as t having s > 5 or s is null insert into O;',
  self: 'from A#window.length(4) as x join A#window.length(2) as y on x.k == y.k select x.v, y.v as v2 insert into O;',
  unidirectional: 'from A#window.length(3) unidirectional join B#window.length(3) on A.k == B.k select A.v, B.w insert into O;',
  conjuncts: 'from A#window.length(4) join B#window.length(4) on A.v > B.w and A.k == B.k and A.n != B.n select A.v, B.w insert into O;',
  // Only the length side is fused; the time side goes through the planned Join, sharing its key index.
  // O has a reader besides its callback: the generated step emits through the junction, not to the sole callback.
  read: 'from A#window.length(5) join B#window.length(4) on A.k == B.k select A.k, A.v, B.w insert into O; from O select k insert into P;',
  mixed: 'from A#window.time(8) join B#window.length(4) on A.k == B.k select A.v, B.w insert into O;',
};

/** Seeded input: [stream, timestamp, row]; keys from a small set so lists hold several rows; n has nulls and NaN. */
function input(seed: number, count: number): [string, number, unknown[]][] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: count }, (_, i) => [
    random() < 0.5 ? 'A' : 'B', 1000 + i,
    [pick(['x', 'y', 'z', null]), Math.floor(random() * 8), pick([1, 2, 2.5, null, Number.NaN])],
  ]);
}

type Chunk = [number, unknown[], boolean][];

interface RunOptions {
  readonly fused: boolean;
  readonly restoreAt?: number;
  readonly query?: string;
  /** O's callback: records each chunk (default), records it and throws, or none at all. */
  readonly callback?: 'records' | 'throws' | 'none';
}

/** The chunks the callbacks got, the errors reported, and runtime.metrics()'s stream figures at the end. */
function runAll(app: string, events: [string, number, unknown[]][], opts: RunOptions) {
  const before = process.env.SIDDHI_KERNELS;
  const open = () => {
    if (!opts.fused) process.env.SIDDHI_KERNELS = 'off';
    try {
      const rt = new SiddhiManager().createSiddhiAppRuntime(`${DEFS} ${app}`, { playback: true });
      rt.onError((e) => errors.push(e.message));
      if (opts.callback !== 'none') {
        rt.addCallback('O', (es) => {
          chunks.push(es.map((e) => [e.timestamp, [...e.data], e.isExpired]));
          if (opts.callback === 'throws') throw new Error(`callback failed at ${es[0]!.timestamp}`);
        });
      }
      if (opts.query !== undefined) rt.addQueryCallback(opts.query, (_ts, ins) => chunks.push(ins.map((e) => [e.timestamp, ['query', ...e.data], e.isExpired])));
      rt.start();
      return rt;
    } finally {
      if (before === undefined) delete process.env.SIDDHI_KERNELS;
      else process.env.SIDDHI_KERNELS = before;
    }
  };
  const chunks: Chunk[] = [];
  const errors: string[] = [];
  let rt = open();
  events.forEach(([stream, ts, row], i) => {
    if (i === opts.restoreAt) {
      const bytes = rt.snapshot();
      rt.shutdown();
      rt = open();
      rt.restore(bytes);
    }
    rt.getInputHandler(stream).send(row, ts);
  });
  const streams = rt.metrics().streams;
  rt.shutdown();
  return { chunks, errors, streams };
}

function run(app: string, events: [string, number, unknown[]][], opts: RunOptions): Chunk[] {
  return runAll(app, events, opts).chunks;
}

describe('join kernel', () => {
  afterEach(() => expect(process.env.SIDDHI_KERNELS).not.toBe('off'));

  it.each(Object.entries(SHAPES))('%s: fused output equals the planned chain, also across a restore', (_name, app) => {
    for (const seed of [1, 2, 3]) {
      const events = input(seed, 400);
      const planned = run(app, events, { fused: false });
      expect(planned.length).toBeGreaterThan(10);
      expectEqual(run(app, events, { fused: true }), planned);
      expectEqual(run(app, events, { fused: true, restoreAt: 150 + seed * 40 }), planned);
    }
  });

  it('gives a query callback, beside the stream callback, the same chunks fused or not', () => {
    for (const seed of [4, 5]) {
      const events = input(seed, 300);
      const planned = run(SHAPES.inner!, events, { fused: false, query: 'query1' });
      expect(planned.some((c) => c[0]![1][0] === 'query')).toBe(true);
      expectEqual(run(SHAPES.inner!, events, { fused: true, query: 'query1' }), planned);
    }
  });

  it('counts events in and out of each stream as the planned chain does (runtime.metrics())', () => {
    for (const [name, app] of Object.entries(SHAPES)) {
      const events = input(6, 300);
      const planned = runAll(app, events, { fused: false });
      expect(planned.streams.O!.out, name).toBeGreaterThan(10);
      expect(runAll(app, events, { fused: true }).streams, name).toEqual(planned.streams);
    }
  });

  it('reports a throwing callback and goes on as the planned chain does (same chunks, errors and counts)', () => {
    for (const name of ['inner', 'self', 'read'] as const) {
      const events = input(7, 300);
      const planned = runAll(SHAPES[name]!, events, { fused: false, callback: 'throws' });
      expect(planned.errors.length, name).toBe(planned.chunks.length);
      expect(planned.errors.length, name).toBeGreaterThan(10);
      expectEqual(runAll(SHAPES[name]!, events, { fused: true, callback: 'throws' }), planned, name);
    }
  });

  it('counts an output stream with neither callback nor reader as the planned chain does', () => {
    for (const name of ['inner', 'self', 'fullOuterNumeric'] as const) {
      const events = input(8, 300);
      const planned = runAll(SHAPES[name]!, events, { fused: false, callback: 'none' });
      expect(planned.streams.O!.in, name).toBeGreaterThan(10);
      expect(planned.streams.O!.out, name).toBe(0);
      expect(runAll(SHAPES[name]!, events, { fused: true, callback: 'none' }).streams, name).toEqual(planned.streams);
    }
  });

  it('generates a plain side\'s step and inlines it into the stream\'s send(); other outputs keep the interpreted step', () => {
    const sends = (app: string) => {
      const lines: string[] = [];
      const error = console.error;
      const before = process.env.SIDDHI_KERNELS;
      process.env.SIDDHI_KERNELS = 'source';
      console.error = (line: string) => void lines.push(line);
      try {
        const rt = new SiddhiManager().createSiddhiAppRuntime(`${DEFS} ${app}`, { playback: true });
        rt.start();
        rt.getInputHandler('A');
        rt.getInputHandler('B');
        rt.shutdown();
      } finally {
        console.error = error;
        if (before === undefined) delete process.env.SIDDHI_KERNELS;
        else process.env.SIDDHI_KERNELS = before;
      }
      return lines.filter((l) => l.includes('function send(') && l.includes('kernel.store('));
    };
    const probing = (app: string) => sends(app).filter((l) => l.includes('other.find(key)'));
    const inner = probing(SHAPES.inner!);
    expect(inner).toHaveLength(2);
    expect(inner[0]).toContain('const out = [d[0], d[1], queue.valueAt(at, 1)];');
    expect(inner[1]).toContain('const out = [queue.valueAt(at, 0), queue.valueAt(at, 1), d[1]];');
    expect(sends(SHAPES.leftOuterFiltered!)).toHaveLength(0);
    expect(sends(SHAPES.having!)).toHaveLength(0);
    // The unidirectional side's arrivals are only stored.
    expect(sends(SHAPES.unidirectional!)).toHaveLength(2);
    expect(probing(SHAPES.unidirectional!)).toHaveLength(1);
  });

  it('fuses the shapes above and leaves others to the planned chain', () => {
    const fused = (app: string) => {
      const before = process.env.SIDDHI_KERNELS;
      const lines: string[] = [];
      const error = console.error;
      process.env.SIDDHI_KERNELS = 'print';
      console.error = (line: string) => void lines.push(line);
      try {
        new SiddhiManager().createSiddhiAppRuntime(`${DEFS} ${app}`, { playback: true }).shutdown();
      } finally {
        console.error = error;
        if (before === undefined) delete process.env.SIDDHI_KERNELS;
        else process.env.SIDDHI_KERNELS = before;
      }
      return lines.filter((l) => l.includes('kernel join')).length;
    };
    expect(fused(SHAPES.inner!)).toBe(2);
    expect(fused(SHAPES.self!)).toBe(2);
    expect(fused(SHAPES.mixed!)).toBe(1);
    // Expired pairs, no key equality, an aggregate, a named window: not this kernel's.
    expect(fused('from A#window.length(5) join B#window.length(4) on A.k == B.k select A.v, B.w insert all events into O;')).toBe(0);
    expect(fused('from A#window.length(5) join B#window.length(4) on A.v < B.w select A.v, B.w insert into O;')).toBe(0);
    expect(fused('from A#window.length(5) join B#window.length(4) on A.k == B.k select count() as c insert into O;')).toBe(0);
    expect(fused('define window W (k string, w int, n double) length(3); from B insert into W; from A#window.length(5) join W on A.k == W.k select A.v, W.w insert into O;')).toBe(0);
  });
});
