// Runtimes restored from format 5 checkpoints (chained zstd frames) with their
// lazy frames left compressed, run on past the chained frames: the rows they
// expire are those the writer expires (own-memory-decoder.ts settleFrame).

import { describe, expect, it } from 'vitest';
import { InMemoryStore, SiddhiManager, type SiddhiAppRuntime } from '../../src/index.js';
import { initZstd } from '../../src/state/index.js';
import { headerBytes } from '../../src/state/checkpoint-frame.js';
import { decodeNextInOwnMemory } from '../../src/state/compression.js';

// 150,000 rows: the price column (8 bytes a row, 1.2 MB) still takes a lazy
// frame and a chained one after it (a 1 MiB frame holds 131,072 rows); the
// version-5 checks below fail if a change of layout leaves none chained.
const W = 150_000;
const app = "@app:name('Chained')\ndefine stream Trades (symbol string, price double, volume long);\n" +
  `from Trades#window.length(${W}) select symbol, price, volume, sum(price) as s insert expired events into Out;\n`;
const price = (i: number) => Math.round(Math.sin(i % 90_000) * 1e6) / 100 + (i % 3);

/**
 * What a runtime put out, flat: each event's timestamp, isExpired and its four
 * values (Out's attributes), one after another. Compared value by value
 * (Object.is, stricter than comparing JSON), and cheaper than a JSON string
 * per event over the 300,000 events the runtimes put out.
 */
type Flat = unknown[];

/** The first index at which `b` differs from `a` (the shorter length when one starts the other), or -1. */
function firstDifference(a: Flat, b: Flat): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : n;
}

function start(store?: InMemoryStore): { rt: SiddhiAppRuntime; out: Flat } {
  const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true, ...(store ? { store } : {}) });
  const out: Flat = [];
  rt.addCallback('Out', (events) => {
    for (const e of events) {
      if (e.data.length !== 4) throw new Error(`Out event of ${e.data.length} values`);
      out.push(e.timestamp, e.isExpired, ...e.data);
    }
  });
  rt.start();
  return { rt, out };
}

function feed(rt: SiddhiAppRuntime, from: number, to: number): void {
  const h = rt.getInputHandler('Trades');
  for (let i = from; i < to; i++) h.send(['S' + (i % 7), price(i), i], 1000 + i);
}

/** Runs the writer and the restored runtime on for `n` events and returns the rows each put out. */
function runBoth(a: SiddhiAppRuntime, aOut: Flat, b: SiddhiAppRuntime, bOut: Flat, from: number, n: number): void {
  aOut.length = 0;
  bOut.length = 0;
  feed(a, from, from + n);
  feed(b, from, from + n);
}

describe('a runtime restored from chained frames, run on', () => {
  it('expires the rows of its chained frames as they were written (a snapshot restored lazily)', async () => {
    await initZstd();
    const a = start();
    feed(a.rt, 0, W);
    const bytes = a.rt.snapshot();
    expect(headerBytes(bytes).version).toBe(5);
    const b = start();
    decodeNextInOwnMemory();
    b.rt.restore(bytes);
    // Past the whole window: every restored row, in every frame, is expired (and read) once.
    runBoth(a.rt, a.out, b.rt, b.out, W, W);
    expect(b.out.length).toBe(a.out.length);
    expect(firstDifference(a.out, b.out)).toBe(-1);
    a.rt.shutdown();
    b.rt.shutdown();
  });

  it('restores a delta written as format 5 in its chain and runs on past the window', async () => {
    await initZstd();
    const store = new InMemoryStore();
    const a = start(store);
    feed(a.rt, 0, 10_000);
    const base = await a.rt.persist({ mode: 'full', compression: 'zstd' });
    feed(a.rt, 10_000, W + 50_000);
    const delta = await a.rt.persist({ mode: 'delta', compression: 'zstd' });
    expect(headerBytes((await store.load('Chained', base))!).version).toBeLessThan(5);
    expect(headerBytes((await store.load('Chained', delta))!).version).toBe(5);
    const b = start(store);
    decodeNextInOwnMemory();
    expect(await b.rt.restoreLastRevision()).toBe(delta);
    runBoth(a.rt, a.out, b.rt, b.out, W + 50_000, W);
    expect(b.out.length).toBe(a.out.length);
    expect(firstDifference(a.out, b.out)).toBe(-1);
    a.rt.shutdown();
    b.rt.shutdown();
  });
});
