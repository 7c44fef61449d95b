import { describe, expect, it, vi } from 'vitest';
import { InMemoryStore, SiddhiEventError, SiddhiManager, SiddhiPlanError, SiddhiStateError } from '../../src/index.js';
import type { Event } from '../../src/index.js';

const APP = `
define stream S (symbol string, price float, volume long);
@info(name = 'q1') from S[price > 10]#window.length(3) select symbol, sum(volume) as total insert into Out;
`;

function collect(runtime: { addCallback(s: string, cb: (e: Event[]) => void): void }, stream: string): unknown[][] {
  const out: unknown[][] = [];
  runtime.addCallback(stream, (events) => out.push(...events.map((e) => [...e.data])));
  return out;
}

describe('SiddhiAppRuntime', () => {
  it('rejects an event of the wrong shape, naming stream and attribute, and keeps running', () => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true });
    const out = collect(rt, 'Out');
    rt.start();
    const h = rt.getInputHandler('S');
    h.send(['IBM', 20, 5], 1000);
    expect(() => h.send(['IBM', 'x', 5], 1001)).toThrow(/stream 'S', attribute 'price' expects float/);
    expect(() => h.send(['IBM', 20], 1002)).toThrow(SiddhiEventError);
    expect(() => h.send(['IBM', 20, 1.5], 1003)).toThrow(/attribute 'volume' expects long/);
    h.send(['IBM', 20, 7], 1004);
    expect(out).toEqual([['IBM', 5], ['IBM', 12]]);
  });

  it('reports a throwing callback and still serves the other callbacks and later events', () => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true });
    const errors: Error[] = [];
    rt.onError((e) => errors.push(e));
    rt.addCallback('Out', () => { throw new Error('boom'); });
    const out = collect(rt, 'Out');
    rt.start();
    rt.getInputHandler('S').send(['A', 20, 1], 1000);
    rt.getInputHandler('S').send(['A', 20, 2], 1001);
    expect(out).toEqual([['A', 1], ['A', 3]]);
    expect(errors).toHaveLength(2);
    expect(errors[0]!.message).toMatch(/boom/);
  });

  it('keeps serving readers when an error handler throws', () => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true });
    const out = collect(rt, 'Out');
    rt.addCallback('Out', () => {
      throw new Error('callback');
    });
    rt.onError(() => {
      throw new Error('handler');
    });
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    rt.start();
    rt.getInputHandler('S').send(['A', 20, 1], 1);
    rt.getInputHandler('S').send(['A', 20, 2], 2);
    expect(out).toEqual([['A', 1], ['A', 3]]);
    expect(spy).toHaveBeenCalledTimes(2);
    spy.mockRestore();
  });

  it('names the unknown stream with the alternatives', () => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true });
    expect(() => rt.getInputHandler('Z')).toThrow(/no input stream 'Z'/);
    expect(() => rt.addCallback('Ot', () => {})).toThrow(/no stream 'Ot'/);
  });

  it('fails planning with the element, line and column', () => {
    const bad = 'define stream S (a int);\nfrom S[b > 1] select a insert into O;';
    try {
      new SiddhiManager().createSiddhiAppRuntime(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SiddhiPlanError);
      const err = e as SiddhiPlanError;
      expect(err.message).toMatch(/query 'query1'.*no attribute 'b'/);
      expect(err.line).toBe(2);
      expect(err.column).toBe(8);
    }
  });

  it('restores a snapshot into a fresh runtime and continues as if uninterrupted', () => {
    const m = new SiddhiManager();
    const a = m.createSiddhiAppRuntime(APP, { playback: true });
    a.start();
    a.getInputHandler('S').send(['A', 20, 1], 1000);
    a.getInputHandler('S').send(['A', 20, 2], 1001);
    const bytes = a.snapshot();
    a.shutdown();
    const b = m.createSiddhiAppRuntime(APP, { playback: true });
    const out = collect(b, 'Out');
    b.start();
    b.restore(bytes);
    b.getInputHandler('S').send(['A', 20, 4], 1002);
    b.getInputHandler('S').send(['A', 20, 8], 1003);
    expect(out).toEqual([['A', 7], ['A', 14]]);
    expect(b.acceptedCounts()).toEqual({ S: 4, Out: 0 });
  });

  it('refuses a damaged snapshot and keeps its state', () => {
    const m = new SiddhiManager();
    const a = m.createSiddhiAppRuntime(APP, { playback: true });
    a.start();
    a.getInputHandler('S').send(['A', 20, 1], 1000);
    const bytes = a.snapshot();
    const damaged = bytes.slice();
    damaged[Math.floor(damaged.length / 2)]! ^= 0x40;
    const b = m.createSiddhiAppRuntime(APP, { playback: true });
    const out = collect(b, 'Out');
    b.start();
    b.getInputHandler('S').send(['B', 20, 100], 1000);
    expect(() => b.restore(damaged)).toThrow(SiddhiStateError);
    expect(() => b.restore(bytes.slice(0, bytes.length - 3))).toThrow(SiddhiStateError);
    b.getInputHandler('S').send(['B', 20, 1], 1001);
    expect(out).toEqual([['B', 100], ['B', 101]]);
  });

  it('refuses a snapshot of another app', () => {
    const m = new SiddhiManager();
    const a = m.createSiddhiAppRuntime(APP, { playback: true });
    a.start();
    const other = m.createSiddhiAppRuntime(APP.replace('length(3)', 'length(4)'), { playback: true });
    other.start();
    expect(() => other.restore(a.snapshot())).toThrow(SiddhiStateError);
  });

  it('persists incremental checkpoints periodically in playback and restores the last revision', async () => {
    const store = new InMemoryStore();
    const text = `@app:name('Periodic') @app:checkpoint(interval='1 sec', mode='incremental', codec='lz4')\n${APP}`;
    const m = new SiddhiManager({ store });
    const a = m.createSiddhiAppRuntime(text, { playback: true });
    a.start();
    for (let i = 0; i < 30; i++) a.getInputHandler('S').send(['A', 20, i], 1000 + i * 200);
    await new Promise((r) => setImmediate(r));
    await a.persist();
    const metrics = a.checkpointMetrics();
    expect(metrics.length).toBeGreaterThan(3);
    expect(metrics.some((x) => x.mode === 'delta')).toBe(true);
    a.shutdown();
    const b = m.createSiddhiAppRuntime(text, { playback: true });
    const out = collect(b, 'Out');
    b.start();
    expect(await b.restoreLastRevision()).toBeDefined();
    b.getInputHandler('S').send(['A', 20, 100], 7000);
    expect(out).toEqual([['A', 28 + 29 + 100]]);
  });

  it('checkpoints once, not once per period, when playback time jumps', async () => {
    const text = `@app:checkpoint(interval='1 sec')\n${APP}`;
    const a = new SiddhiManager().createSiddhiAppRuntime(text, { playback: true });
    a.start();
    a.getInputHandler('S').send(['A', 20, 1], 1_700_000_000_000);
    await a.persist();
    // The overdue tick at 1000, the tick due exactly at the event's time, and the explicit one.
    expect(a.checkpointMetrics().length).toBe(3);
  });

  it('keeps the timers of cells that a lenient restore does not cover', () => {
    const m = new SiddhiManager();
    const old = m.createSiddhiAppRuntime(APP, { playback: true });
    old.start();
    old.getInputHandler('S').send(['A', 20, 1], 10);
    const edited = `${APP}
@info(name = 'q2') from S select symbol output last every 100 milliseconds insert into Last;
define trigger T at every 50 milliseconds;
from T select triggered_time insert into Ticks;`;
    const b = m.createSiddhiAppRuntime(edited, { playback: true });
    const last = collect(b, 'Last');
    const ticks = collect(b, 'Ticks');
    b.start();
    expect(b.restore(old.snapshot(), { lenient: true }).missing.sort()).toEqual(['T:trigger', 'q2/selector/rate']);
    b.getInputHandler('S').send(['B', 20, 1], 20);
    b.advanceTime(120);
    expect(last).toEqual([['B']]);
    expect(ticks).toEqual([[50], [100]]);
  });
});

describe('query callbacks', () => {
  it('receive each output chunk split into current and expired events', () => {
    const app = `define stream S (symbol string, v int);
@info(name = 'win') from S#window.length(2) select symbol, v insert all events into Out;
from S select symbol insert into Plain;`;
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    const calls: [number, unknown[][], unknown[][]][] = [];
    rt.addQueryCallback('win', (ts, inEvents, removeEvents) =>
      calls.push([ts, inEvents.map((e) => [...e.data]), removeEvents.map((e) => [...e.data])]));
    const plain: number[] = [];
    rt.addQueryCallback('query2', (ts) => plain.push(ts));
    expect(() => rt.addQueryCallback('nope', () => {})).toThrow(/no query 'nope'.*/);
    rt.start();
    for (let i = 1; i <= 3; i++) rt.getInputHandler('S').send(['A', i], 1000 * i);
    expect(calls).toEqual([
      [1000, [['A', 1]], []],
      [2000, [['A', 2]], []],
      [3000, [['A', 3]], [['A', 1]]],
    ]);
    expect(plain).toEqual([1000, 2000, 3000]);
  });
});

describe('playback start time', () => {
  it('counts periodic triggers from startTime, so epoch timestamps need no catch-up', () => {
    const app = "define trigger T at every 1 sec; from T select triggered_time as t insert into O;";
    const start = 1_700_000_000_000;
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true, startTime: start });
    const times: unknown[] = [];
    rt.addCallback('O', (events) => times.push(...events.map((e) => e.data[0])));
    rt.start();
    rt.advanceTime(start + 2500);
    expect(times).toEqual([start + 1000, start + 2000]);
  });
});

describe('lenient restore', () => {
  it('starts the cells the checkpoint does not cover empty, as at start', () => {
    const m = new SiddhiManager();
    const old = m.createSiddhiAppRuntime(APP, { playback: true });
    old.start();
    old.getInputHandler('S').send(['A', 20, 1], 10);
    const edited = `${APP}\n@info(name = 'q2') from S#window.length(5) select sum(volume) as total insert into Totals;`;
    const b = m.createSiddhiAppRuntime(edited, { playback: true });
    const totals = collect(b, 'Totals');
    const out = collect(b, 'Out');
    b.start();
    b.getInputHandler('S').send(['B', 20, 100], 5);
    const report = b.restore(old.snapshot(), { lenient: true });
    expect(report.missing).toContain('q2/0:window.length');
    b.getInputHandler('S').send(['C', 20, 2], 20);
    expect(totals).toEqual([[100], [2]]);
    expect(out).toEqual([['B', 100], ['C', 3]]);
  });
});

describe('object attributes', () => {
  it('compares circular objects without throwing and keeps running', () => {
    const app = 'define stream S (o object, p object); from S[o == p] select o insert into O;';
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    const out: unknown[] = [];
    rt.addCallback('O', (events) => out.push(...events.map((e) => e.data[0])));
    rt.start();
    const a: Record<string, unknown> = {};
    a.self = a;
    rt.getInputHandler('S').send([a, { x: 1 }], 1);
    rt.getInputHandler('S').send([a, a], 2);
    rt.getInputHandler('S').send([{ x: 1 }, { x: 1 }], 3);
    expect(out).toEqual([a, { x: 1 }]);
  });
});
