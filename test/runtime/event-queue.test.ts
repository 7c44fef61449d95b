import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CURRENT, EVENT_CODEC, EXPIRED, StreamEvent } from '../../src/runtime/event.js';
import { EventQueue, headReadLines, migrateQueueV1, type EventQueueCapture } from '../../src/runtime/event-queue.js';
import { LoggedColumns, LoggedQueue } from '../../src/state/index.js';
import { throughEnvelope } from '../state/helpers.js';
import { expectEqual } from '../expect-equal.js';

const SCHEMA = [
  { name: 'symbol', type: 'string' as const },
  { name: 'price', type: 'double' as const },
  { name: 'volume', type: 'long' as const },
  { name: 'ok', type: 'bool' as const },
  { name: 'o', type: 'object' as const },
];

const eventArb = fc
  .tuple(
    fc.integer({ min: 0, max: 2 ** 45 }),
    fc.option(fc.string({ maxLength: 5 })),
    fc.option(fc.double()),
    fc.option(fc.integer()),
    fc.option(fc.boolean()),
    fc.option(fc.dictionary(fc.string({ maxLength: 2 }), fc.integer(), { maxKeys: 2 })),
  )
  .map(([ts, ...data]) => new StreamEvent(ts, data, CURRENT));

const view = (e: StreamEvent) => [e.timestamp, e.type, e.data];

describe('EventQueue', () => {
  it('gives back the pushed events value for value, through captures and restores', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(eventArb, fc.nat(3)), { maxLength: 60 }), (steps) => {
        const q = new EventQueue(SCHEMA);
        const model: StreamEvent[] = [];
        let chain: EventQueueCapture[] = [];
        steps.forEach(([e, shifts], i) => {
          q.push(e);
          model.push(e);
          for (let k = 0; k < shifts && model.length > 0; k++) expect(view(q.shift()!)).toEqual(view(model.shift()!));
          const c = throughEnvelope(q.capture(i % 5 === 0 ? 'full' : 'delta'));
          chain = 'drop' in c && c.drop !== undefined ? [...chain, c] : [c];
        });
        const r = new EventQueue(SCHEMA);
        for (const c of chain) r.restore(c);
        expectEqual([...r].map(view), model.map(view));
        expectEqual(q.toArray().map(view), model.map(view));
      }),
      { numRuns: 200 },
    );
  });

  it('writes a row over a reused slot whole: no null or side value of the earlier row shows through', () => {
    const q = new EventQueue(SCHEMA);
    const other = new EventQueue(SCHEMA);
    const rows = (): unknown[] => q.toArray().map(view);
    q.pushRow(1, ['a', null, 7n, true, { k: 1 }], CURRENT);
    q.pushRow(2, ['b', 'x', null, null, null], CURRENT);
    // A cleared lone private chunk is kept for the next rows (swap moves it there and back).
    other.swap(q);
    other.clear();
    q.swap(other);
    q.pushRow(3, ['c', 1.5, 2, false, 'o'], EXPIRED);
    q.pushRow(4, ['d', 2.5, 3, true, null], CURRENT);
    expect(rows()).toEqual([[3, EXPIRED, ['c', 1.5, 2, false, 'o']], [4, CURRENT, ['d', 2.5, 3, true, null]]]);
    // Rows appended after a capture leave the captured ones as they were.
    const captured = throughEnvelope(q.capture('full'));
    q.pushRow(5, ['e', null, 4, true, 1], CURRENT);
    q.dropHead();
    const r = new EventQueue(SCHEMA);
    r.restore(captured);
    expect(r.toArray().map(view)).toEqual([[3, EXPIRED, ['c', 1.5, 2, false, 'o']], [4, CURRENT, ['d', 2.5, 3, true, null]]]);
    expect(rows()).toEqual([[4, CURRENT, ['d', 2.5, 3, true, null]], [5, CURRENT, ['e', null, 4, true, 1]]]);
  });

  it('builds expiries from the head without touching the original events', () => {
    const q = new EventQueue(SCHEMA);
    const data = ['IBM', 75.5, 100, true, { a: 1 }];
    const e = new StreamEvent(1000, data, CURRENT);
    q.push(e);
    q.push(new StreamEvent(1500, ['WSO2', null, 7, false, null], CURRENT));
    expect(q.peekTimestamp()).toBe(1000);
    expect(q.timestampAt(1)).toBe(1500);
    expect(q.valueAt(1, 0)).toBe('WSO2');
    expect(q.valueAt(1, 1)).toBeNull();
    const x = q.shiftAs(EXPIRED, 2000);
    expect(x).toMatchObject({ timestamp: 2000, type: EXPIRED, data });
    expect(x.data).not.toBe(data);
    expect(x.data[4]).toBe(data[4]); // objects are kept by reference, like before
    expect(e).toMatchObject({ timestamp: 1000, type: CURRENT });
    expect(q.drainAs(EXPIRED, 3000).map(view)).toEqual([[3000, EXPIRED, ['WSO2', null, 7, false, null]]]);
    expect(q.length).toBe(0);
  });

  it('keeps whole rows when it has no schema', () => {
    const q = new EventQueue([]);
    q.push(new StreamEvent(1, ['a', 1, 2], CURRENT));
    q.push(new StreamEvent(2, ['b'], CURRENT));
    const r = new EventQueue([]);
    r.restore(throughEnvelope(q.capture('full')));
    expect(r.drain().map(view)).toEqual([[1, CURRENT, ['a', 1, 2]], [2, CURRENT, ['b']]]);
  });

  it('restores version-1 row captures (LoggedQueue of events) after migrateQueueV1', () => {
    const old = new LoggedQueue<StreamEvent>(EVENT_CODEC);
    const rows = [0, 1, 2, 3].map((i) => new StreamEvent(1000 + i, [`s${i}`, i + 0.5, i, i % 2 === 0, null], CURRENT));
    rows.forEach((e) => old.push(e));
    const base = throughEnvelope(old.capture('full'));
    old.shift();
    old.push(new StreamEvent(2000, ['z', 9.5, 9, false, null], CURRENT));
    const delta = throughEnvelope(old.capture('delta'));
    const q = new EventQueue(SCHEMA);
    q.restore(migrateQueueV1(base));
    q.restore(migrateQueueV1(delta));
    expect(q.toArray().map(view)).toEqual(old.toArray().map(view));
    // The next delta starts from the restored state.
    expect(q.capture('delta')).toMatchObject({ n: 0, drop: 0 });
  });

  it('keeps rows written into a restored chunk that was emptied before any of its rows were read', () => {
    // Numeric columns stay offset-coded after a restore until first read: a chunk
    // reused for new rows (clear, shift of the last row, a second restore) must be decoded first.
    const attrs = [{ name: 'price', type: 'double' as const }, { name: 'qty', type: 'long' as const }];
    const source = new EventQueue(attrs);
    for (let i = 0; i < 300; i++) source.pushRow(1000 + i, [i + 0.5, i], CURRENT);
    const state = throughEnvelope(source.capture('full'));
    const emptied: ((q: EventQueue) => void)[] = [
      (q) => q.clear(),
      (q) => { while (q.length > 0) q.shift(); },
      (q) => q.restore({ rows: [] } as unknown as EventQueueCapture),
    ];
    for (const empty of emptied) {
      const q = new EventQueue(attrs);
      q.restore(state as EventQueueCapture);
      empty(q);
      q.pushRow(999_999, [42.25, 77], CURRENT);
      q.pushRow(1_000_000, [1.5, 2], CURRENT);
      expect([q.length, q.at(0).timestamp, q.at(0).data, q.at(1).timestamp, q.at(1).data]).toEqual([2, 999_999, [42.25, 77], 1_000_000, [1.5, 2]]);
    }
  });
});

describe('headReadLines', () => {
  it('reads the head row of a restored chunk whose columns are still compact (settles it first)', () => {
    // An event queue's columns: timestamp, type, then symbol (any) and volume (f64). Enough rows for a
    // checkpoint to carry timestamps and volumes as offsets and symbols as a dictionary, which a restore
    // keeps compact until a chunk is first read.
    const kinds = ['f64', 'u8', 'any', 'f64'] as const;
    const live = new LoggedColumns([...kinds]);
    for (let i = 0; i < 3 * 4096 + 700; i++) {
      const s = live.append();
      live.setNumber(0, s, 1.7e12 + i);
      live.setU8(1, s, 0);
      live.setValue(2, s, `S${i % 7}`);
      live.setNumber(3, s, 1000 + i);
    }
    for (let i = 0; i < 4100; i++) live.shift();
    const restored = new LoggedColumns([...kinds]);
    restored.restore(throughEnvelope(live.capture('full')));
    const read = new Function('cols', [...headReadLines(['any', 'f64'], 'cols', [['sym', 0], ['vol', 1]]), 'return [sym, vol];'].join('\n')) as (c: LoggedColumns) => unknown[];
    expect(read(restored)).toEqual(['S5', 5100]);
  });
});
