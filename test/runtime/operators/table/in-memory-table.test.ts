// InMemoryTable: primary keys (one or several attributes), @index maps kept in
// step with inserts, replaces and deletes, and rebuilt on restore; the
// planner's finds use the key or the index instead of scanning.

import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { InMemoryTable } from '../../../../src/runtime/operators/table/in-memory-table.js';
import { SiddhiManager } from '../../../../src/index.js';
import { expectEqual } from '../../../expect-equal.js';

const attributes = [
  { name: 'symbol', type: 'string' as const },
  { name: 'venue', type: 'string' as const },
  { name: 'volume', type: 'long' as const },
];

function table(primaryKey: number[], indexes: number[]): InMemoryTable {
  return new InMemoryTable({ name: 'T', attributes, primaryKey, indexes });
}

const keysAt = (t: InMemoryTable, position: number, value: unknown) => [...(t.indexed(position, value) ?? [])];

describe('InMemoryTable', () => {
  it('rejects a duplicate primary key, single or composite', () => {
    const single = table([0], []);
    expect(single.insert(1, ['IBM', 'NY', 1])).toBe(true);
    expect(single.insert(2, ['IBM', 'LN', 2])).toBe(false);
    expect(single.size).toBe(1);
    const pair = table([0, 1], []);
    expect(pair.insert(1, ['IBM', 'NY', 1])).toBe(true);
    expect(pair.insert(2, ['IBM', 'LN', 2])).toBe(true);
    expect(pair.insert(3, ['IBM', 'NY', 3])).toBe(false);
    expect(pair.get(pair.keyOfValues(['IBM', 'LN']))?.data).toEqual(['IBM', 'LN', 2]);
  });

  it('keeps @index maps in step with inserts, replaces and deletes', () => {
    const t = table([], [1]);
    t.insert(1, ['IBM', 'NY', 1]);
    t.insert(2, ['WSO2', 'NY', 2]);
    t.insert(3, ['GOOG', 'LN', 3]);
    expect(keysAt(t, 1, 'NY')).toEqual([0, 1]);
    t.replace(1, ['WSO2', 'LN', 2]);
    expect(keysAt(t, 1, 'NY')).toEqual([0]);
    expect(keysAt(t, 1, 'LN')).toEqual([2, 1]);
    t.delete(0);
    expect(t.indexed(1, 'NY')).toBeUndefined();
  });

  it('moves a row whose primary key changes, unless the new key is taken', () => {
    const t = table([0], [2]);
    t.insert(1, ['IBM', 'NY', 1]);
    t.insert(2, ['WSO2', 'NY', 2]);
    expect(t.replace('IBM', ['WSO2', 'NY', 5])).toBe(false);
    expect(t.replace('IBM', ['MSFT', 'NY', 5])).toBe(true);
    expect(t.get('IBM')).toBeUndefined();
    expect(t.get('MSFT')?.key).toBe('MSFT');
    expect(keysAt(t, 2, 5)).toEqual(['MSFT']);
  });

  it('refuses a whole update when one moved single primary key is taken', () => {
    const t = new InMemoryTable({ name: 'T', attributes, primaryKey: [2], indexes: [] });
    t.insert(1, ['WSO2', 'NY', 200]);
    t.insert(2, ['IBM', 'NY', 100]);
    const rows = [t.get(200)!, t.get(100)!];
    const outcome = t.updateRows(rows, [['WSO2', 'LN', 200], ['IBM', 'LN', 200]]);
    expect(outcome.taken).toEqual(['IBM', 'LN', 200]);
    expect(t.get(200)?.data).toEqual(['WSO2', 'NY', 200]);
    expect(t.get(100)?.data).toEqual(['IBM', 'NY', 100]);
    // Rows are checked in order: a key freed by an earlier row may be taken by a later one.
    const chain = t.updateRows([t.get(100)!, t.get(200)!], [['IBM', 'NY', 300], ['WSO2', 'NY', 100]]);
    expect(chain).toEqual({ dropped: [] });
    expect(t.get(100)?.data).toEqual(['WSO2', 'NY', 100]);
    expect(t.get(300)?.data).toEqual(['IBM', 'NY', 300]);
    expect(t.get(200)).toBeUndefined();
  });

  it('updates a row whose primary key is NaN in place (one key, as the rows map sees it; not a move onto a taken key)', () => {
    const t = new InMemoryTable({ name: 'T', attributes, primaryKey: [2], indexes: [] });
    t.insert(1, ['A', 'NY', NaN]);
    t.insert(2, ['B', 'NY', 5]);
    expect(t.replace(NaN, ['A', 'LN', NaN])).toBe(true);
    expect(t.get(NaN)?.data).toEqual(['A', 'LN', NaN]);
    expect(t.updateRows([t.get(NaN)!, t.get(5)!], [['A', 'SG', NaN], ['B', 'SG', 5]])).toEqual({ dropped: [] });
    expect(t.get(NaN)?.data).toEqual(['A', 'SG', NaN]);
    expect(t.get(5)?.data).toEqual(['B', 'SG', 5]);
    // A key that moves beside the NaN row is checked as before; NaN is no longer freed and retaken.
    expect(t.updateRows([t.get(NaN)!, t.get(5)!], [['A', 'TK', NaN], ['B', 'TK', 6]])).toEqual({ dropped: [] });
    expect(t.get(NaN)?.data).toEqual(['A', 'TK', NaN]);
    expect(t.get(6)?.data).toEqual(['B', 'TK', 6]);
    const keys: unknown[] = [];
    t.scan((r) => keys.push(r.key));
    expect(keys).toEqual([6, NaN]);
  });

  it('drops a re-added row whose new composite key is taken', () => {
    const t = table([0, 1], []);
    t.insert(1, ['IBM', 'NY', 1]);
    t.insert(2, ['IBM', 'LN', 2]);
    const outcome = t.updateRows([t.get(t.keyOfValues(['IBM', 'NY']))!], [['IBM', 'LN', 9]]);
    expect(outcome.dropped).toEqual([['IBM', 'LN', 9]]);
    expect(t.size).toBe(1);
    expect(t.get(t.keyOfValues(['IBM', 'LN']))?.data).toEqual(['IBM', 'LN', 2]);
  });

  it('scans a single numeric primary key in ascending key order, others in insertion order', () => {
    const t = new InMemoryTable({ name: 'T', attributes, primaryKey: [2], indexes: [] });
    const order = (x: InMemoryTable) => { const ks: unknown[] = []; x.scan((r) => ks.push(r.key)); return ks; };
    t.insert(1, ['A', 'NY', 200]);
    t.insert(2, ['B', 'NY', 70]);
    expect(order(t)).toEqual([70, 200]);
    t.insert(3, ['C', 'NY', 300]);
    t.insert(4, ['D', 'NY', 100]);
    expect(order(t)).toEqual([70, 100, 200, 300]);
    t.delete(100);
    t.replace(70, ['B', 'NY', 250]);
    expect(order(t)).toEqual([200, 250, 300]);
    const u = new InMemoryTable({ name: 'T', attributes, primaryKey: [2], indexes: [] });
    u.insert(1, ['Z', 'NY', 1]);
    expect(order(u)).toEqual([1]);
    u.cell.restore(t.cell.capture('full'));
    expect(order(u)).toEqual([200, 250, 300]);
    const bySymbol = table([0], []);
    bySymbol.insert(1, ['WSO2', 'NY', 1]);
    bySymbol.insert(2, ['IBM', 'NY', 2]);
    expect(order(bySymbol)).toEqual(['WSO2', 'IBM']);
  });

  it('keeps ascending key order through any mix of inserts, deletes, key moves and scans', () => {
    // Few keys scanned often (splices, rebuilds) and many scanned rarely (merges).
    for (const [max, length, scanEvery] of [[12, 60, 3], [150, 400, 60]] as const) {
      // Key k's value, ascending in k: -Infinity, negative and fractional ones, Infinity, and NaN last (the reference's order).
      const value = (k: number): number => (k === 0 ? -Infinity : k === max - 1 ? Infinity : k === max ? NaN : (k - max / 2) * 0.5);
      const step = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max }), fc.integer({ min: 0, max }), fc.integer({ min: 0, max: scanEvery }));
      fc.assert(fc.property(fc.array(step, { minLength: length / 2, maxLength: length }), (steps) => {
        const t = new InMemoryTable({ name: 'T', attributes, primaryKey: [2], indexes: [] });
        for (const [op, a, b, scan] of steps) {
          if (op === 0) t.insert(1, ['S', 'V', value(a)]);
          else if (op === 1 && a % 4 === 0) t.delete(value(a));
          else if (op === 1) t.insert(1, ['S', 'V', value(a)]);
          else t.replace(value(a), ['S', 'V', value(b)]);
          if (scan !== 0) continue;
          const keys: unknown[] = [];
          t.scan((r) => keys.push(r.key));
          const expected: number[] = [];
          for (let k = 0; k <= max; k++) if (t.get(value(k))) expected.push(value(k));
          expectEqual(keys, expected);
        }
      }), { numRuns: 200 });
    }
  });

  it('rebuilds indexes and row keys on restore, full and delta', () => {
    const t = table([], [0]);
    t.insert(1, ['IBM', 'NY', 1]);
    const full = t.cell.capture('full');
    t.insert(2, ['IBM', 'LN', 2]);
    t.delete(0);
    const delta = t.cell.capture('delta');
    const u = table([], [0]);
    u.cell.restore(full);
    u.cell.restore(delta);
    expect(keysAt(u, 0, 'IBM')).toEqual([1]);
    expect(u.get(1)?.key).toBe(1);
    expect(u.insert(3, ['X', 'Y', 3])).toBe(true);
    expect(u.get(2)?.data).toEqual(['X', 'Y', 3]);
  });
});

describe('an update that moves a primary key onto a taken one', () => {
  it('changes no row, reports the failure and keeps running', () => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(`
define stream S (symbol string, volume long);
define stream U (price float, volume long);
@PrimaryKey('volume') define table T (symbol string, price float, volume long);
from S select symbol, 1.0f as price, volume insert into T;
@info(name='upd') from U update T on T.volume <= volume;
`, { playback: true });
    const errors: string[] = [];
    rt.onError((e) => errors.push(String(e)));
    rt.start();
    rt.getInputHandler('S').send(['WSO2', 200], 1);
    rt.getInputHandler('S').send(['IBM', 100], 2);
    rt.getInputHandler('U').send([7.5, 200], 3);
    expect(rt.query('from T select symbol, price, volume').map((e) => e.data).sort()).toEqual([['IBM', 1, 100], ['WSO2', 1, 200]]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("update failed: a row with the primary key of");
    rt.getInputHandler('U').send([7.5, 150], 4);
    expect(rt.query('from T select symbol, price, volume').map((e) => e.data).sort()).toEqual([['IBM', 7.5, 150], ['WSO2', 1, 200]]);
  });
});

describe('finds use the primary key or an index', () => {
  const APP = `
define stream S (symbol string, venue string, volume long);
define stream C (symbol string, venue string);
@PrimaryKey('symbol', 'venue') @Index('volume')
define table T (symbol string, venue string, volume long);
from S insert into T;
@info(name='byKey') from C join T on T.symbol == C.symbol and T.venue == C.venue select T.volume insert into ByKey;
@info(name='byIndex') from S[volume < 0] join T on T.volume == -S.volume select T.symbol insert into ByIndex;
@info(name='scan') from C join T on T.symbol == C.symbol select T.venue insert into Scanned;
`;

  it('scans only when no key or index is covered', () => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true });
    const out: Record<string, unknown[][]> = { ByKey: [], ByIndex: [], Scanned: [] };
    for (const s of Object.keys(out)) rt.addCallback(s, (es) => es.forEach((e) => out[s]!.push([...e.data])));
    rt.start();
    const s = rt.getInputHandler('S');
    s.send(['IBM', 'NY', 10], 1);
    s.send(['IBM', 'LN', 20], 2);
    s.send(['WSO2', 'NY', 30], 3);
    const scan = vi.spyOn(InMemoryTable.prototype, 'scan');
    rt.getInputHandler('C').send(['IBM', 'LN'], 4);
    s.send(['X', 'Y', -30], 5);
    expect(out.ByKey).toEqual([[20]]);
    expect(out.ByIndex).toEqual([['WSO2']]);
    expect(out.Scanned).toEqual([['NY'], ['LN']]);
    // Only the 'scan' query scanned (once, for the C event).
    expect(scan).toHaveBeenCalledTimes(1);
    scan.mockRestore();
  });
});
