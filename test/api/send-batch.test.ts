// InputHandler.sendBatch: several events as one chunk, as the reference's
// send(Event[]). Every query below runs fused and interpreted
// (SIDDHI_KERNELS=off), and the outputs must agree with each other and with
// the chunk semantics of SEMANTICS.md (an aggregation emits once per chunk).

import { describe, expect, it } from 'vitest';
import { SiddhiEventError, SiddhiManager, type SiddhiAppRuntime } from '../../src/index.js';
import { withKernels } from '../kernels.js';

const DEF = 'define stream S (k string, v int);';

type Chunk = [number, unknown[], boolean][];

function open(app: string, fused: boolean): { rt: SiddhiAppRuntime; chunks: Chunk[] } {
  const rt = withKernels(fused, () => new SiddhiManager().createSiddhiAppRuntime(`${DEF} ${app}`, { playback: true }));
  const chunks: Chunk[] = [];
  rt.addCallback('O', (es) => chunks.push(es.map((e) => [e.timestamp, [...e.data], e.isExpired])));
  rt.start();
  return { rt, chunks };
}

/** The chunks of `app` after `drive`, fused and interpreted: they must be the same. */
function both(app: string, drive: (rt: SiddhiAppRuntime) => void): Chunk[] {
  const [fused, interpreted] = [true, false].map((f) => {
    const { rt, chunks } = open(app, f);
    drive(rt);
    rt.shutdown();
    return chunks;
  });
  expect(interpreted).toEqual(fused);
  return fused!;
}

const ev = (timestamp: number, k: string, v: number) => ({ timestamp, data: [k, v] });

describe('InputHandler.sendBatch', () => {
  it('an aggregation without group-by emits once per batch (once per event when sent one by one)', () => {
    const app = 'from S select sum(v) as s insert into O;';
    expect(both(app, (rt) => rt.getInputHandler('S').sendBatch([ev(1000, 'a', 1), ev(1001, 'b', 2), ev(1002, 'a', 3)]))).toEqual([
      [[1002, [6], false]],
    ]);
    expect(both(app, (rt) => [ev(1000, 'a', 1), ev(1001, 'b', 2), ev(1002, 'a', 3)].forEach((e) => rt.getInputHandler('S').send(e.data, e.timestamp)))).toEqual([
      [[1000, [1], false]], [[1001, [3], false]], [[1002, [6], false]],
    ]);
  });

  it('a grouped window aggregation emits the last row per group, in first-seen order', () => {
    const app = 'from S#window.length(10) select k, sum(v) as s group by k insert into O;';
    expect(both(app, (rt) => {
      const h = rt.getInputHandler('S');
      h.sendBatch([ev(1000, 'a', 1), ev(1001, 'b', 2), ev(1002, 'a', 3)]);
      h.sendBatch([ev(1003, 'b', 5)]);
    })).toEqual([
      [[1002, ['a', 4], false], [1001, ['b', 2], false]],
      [[1003, ['b', 7], false]],
    ]);
  });

  it('a filter passes the matching events of a batch on as one chunk; rows take the clock time', () => {
    const app = 'from S[v > 1] select k, v insert into O;';
    expect(both(app, (rt) => {
      const h = rt.getInputHandler('S');
      h.sendBatch([ev(1000, 'a', 1), ev(1001, 'b', 2), ev(1002, 'c', 3)]);
      // Rows without a time: the clock's, which the last batch left at 1002.
      h.sendBatch([['d', 4], ['e', 0]]);
      // An untimed event after a timed one: the clock moves to 1003 first, and the untimed one takes it.
      h.sendBatch([{ timestamp: 1003, data: ['x', 7] }, ['y', 8]]);
      // Rows with their times beside them (any array-like of numbers).
      h.sendBatch([['f', 5], ['g', 6]], new Float64Array([1003, 1004]));
    })).toEqual([
      [[1001, ['b', 2], false], [1002, ['c', 3], false]],
      [[1002, ['d', 4], false]],
      [[1003, ['x', 7], false], [1003, ['y', 8], false]],
      [[1003, ['f', 5], false], [1004, ['g', 6], false]],
    ]);
  });

  it('a batch() window takes the batch as one batch and expires it on the next', () => {
    const app = 'from S#window.batch() select k, v insert all events into O;';
    const batched = both(app, (rt) => {
      const h = rt.getInputHandler('S');
      h.sendBatch([ev(1000, 'a', 1), ev(1001, 'b', 2)]);
      h.sendBatch([ev(1002, 'c', 3)]);
    });
    expect(batched[0]).toEqual([[1000, ['a', 1], false], [1001, ['b', 2], false]]);
    // The second batch expires both of the first (one by one, each event was its own batch).
    expect(batched.flat().filter(([, , expired]) => expired).map(([, d]) => d)).toEqual([['a', 1], ['b', 2]]);
  });

  it('in playback the clock moves to the last event first, firing the timers due by then (the reference does so)', () => {
    const app = 'from S#window.timeBatch(1 sec) select count() as c insert into O;';
    expect(both(app, (rt) => {
      const h = rt.getInputHandler('S');
      h.send(['a', 1], 1000);
      // The batch ending at 2000 flushes before 1500 and 2100 arrive: both fall in the next one.
      h.sendBatch([ev(1500, 'b', 2), ev(2100, 'c', 3)]);
      rt.advanceTime(3000);
    })).toEqual([
      // A flush's row is its last event's: 1000 alone, then 1500 and 2100 (counted together) at 3000.
      [[1000, [1], false]],
      [[2100, [2], false]],
    ]);
  });

  it('refuses a batch with a malformed event, naming its position, and sends none of it', () => {
    const { rt, chunks } = open('from S select k, v insert into O;', true);
    const h = rt.getInputHandler('S');
    let error: unknown;
    try {
      h.sendBatch([ev(1000, 'a', 1), ev(1001, 'b', 'two' as unknown as number), ev(1002, 'c', 3)]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SiddhiEventError);
    expect((error as SiddhiEventError).message).toMatch(/stream 'S', attribute 'v' expects int.*event 2 of 3; none was sent/);
    expect((error as SiddhiEventError).attribute).toBe('v');
    expect(() => h.sendBatch([ev(1000, 'a', 1), { timestamp: 1.5, data: ['b', 2] }])).toThrow(/timestamp must be an integer.*event 2 of 2/);
    expect(() => h.sendBatch([['a', 1, 2]])).toThrow(/expects 2 attributes.*event 1 of 1/);
    expect(() => h.sendBatch({} as never)).toThrow(/takes an array of events/);
    expect(() => h.sendBatch([['a', 1], ['b', 2]], [1000])).toThrow(/2 events and 1 timestamps/);
    expect(() => h.sendBatch([['a', 1]], [Number.NaN])).toThrow(/timestamp must be an integer.*event 1 of 1/);
    expect(chunks).toEqual([]);
    expect(h.accepted).toBe(0);
    // The runtime goes on.
    h.sendBatch([ev(1003, 'd', 4)]);
    expect(chunks).toEqual([[[1003, ['d', 4], false]]]);
    expect(h.accepted).toBe(1);
    rt.shutdown();
    expect(() => h.sendBatch([ev(1004, 'e', 5)])).toThrow(/not started/);
  });

  it('with a refused callback, leaves a malformed event out and sends the others as one chunk', () => {
    const { rt, chunks } = open('from S select count() as c, sum(v) as s insert into O;', true);
    const refused: [string, number][] = [];
    const h = rt.getInputHandler('S');
    h.sendBatch([ev(1000, 'a', 1), ev(1001, 'b', 'x' as unknown as number), ev(1002, 'c', 4), { timestamp: 0.5, data: ['d', 8] }], undefined, (e, i) => refused.push([e.attribute ?? 'time', i]));
    expect(refused).toEqual([['v', 1], ['time', 3]]);
    expect(chunks).toEqual([[[1002, [2, 5], false]]]);
    expect(h.accepted).toBe(2);
    rt.shutdown();
  });

  it('counts each event of a batch as accepted, and a restore in a fresh runtime carries on from it', () => {
    const app = 'from S#window.length(3) select sum(v) as s insert into O;';
    const batches = [[ev(1000, 'a', 1), ev(1001, 'b', 2)], [ev(1002, 'c', 3), ev(1003, 'd', 4)], [ev(1004, 'e', 5)]];
    for (const fused of [true, false]) {
      const whole = open(app, fused);
      for (const b of batches) whole.rt.getInputHandler('S').sendBatch(b);
      const first = open(app, fused);
      first.rt.getInputHandler('S').sendBatch(batches[0]!);
      expect(first.rt.getInputHandler('S').accepted).toBe(2);
      const bytes = first.rt.snapshot();
      const second = open(app, fused);
      second.rt.restore(bytes);
      for (const b of batches.slice(1)) second.rt.getInputHandler('S').sendBatch(b);
      expect([...first.chunks, ...second.chunks]).toEqual(whole.chunks);
      expect(whole.chunks).toEqual([[[1001, [3], false]], [[1003, [9], false]], [[1004, [12], false]]]);
      for (const r of [whole, first, second]) r.rt.shutdown();
    }
  });
});
