import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pack, unpack } from 'msgpackr';
import { LoggedColumns, type ColumnKind, type ColumnsCapture, type ColumnsSnapshot } from '../../src/state/index.js';
import { throughEnvelope } from './helpers.js';
import { expectEqual } from '../expect-equal.js';
import { ColumnBlob, OffsetColumn } from '../../src/state/column-blob.js';

// Rows of (f64, u8, any, f64): numbers with NaN/±0/∞, nulls and stray values in the f64 columns.
const KINDS: ColumnKind[] = ['f64', 'u8', 'any', 'f64'];
const num = fc.oneof(
  { weight: 6, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom('x', true, -0, Number.NaN) },
);
const anyValue = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.constant(null), fc.boolean());
const rowArb = fc.tuple(num, fc.integer({ min: 0, max: 255 }), anyValue, num);
type Row = [unknown, number, unknown, unknown];

type Op =
  | { op: 'push'; row: Row }
  | { op: 'shift'; n: number }
  | { op: 'clear' }
  | { op: 'capture'; mode: 'full' | 'delta' }
  | { op: 'failover' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: rowArb.map((row) => ({ op: 'push' as const, row: row as Row })) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 5 }).map((n) => ({ op: 'shift' as const, n })) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
  { weight: 3, arbitrary: fc.constantFrom('full' as const, 'delta' as const).map((mode) => ({ op: 'capture' as const, mode })) },
  { weight: 1, arbitrary: fc.constant({ op: 'failover' as const }) },
);

function push(c: LoggedColumns, row: Row): void {
  const s = c.append();
  c.setNumber(0, s, row[0]);
  c.setU8(1, s, row[1]);
  c.setValue(2, s, row[2]);
  c.setNumber(3, s, row[3]);
}

function rows(c: LoggedColumns): Row[] {
  return Array.from({ length: c.length }, (_, i) => {
    const s = c.slot(i);
    return [c.getNumber(0, s), c.getU8(1, s), c.getValue(2, s), c.getNumber(3, s)];
  });
}

function replay(chain: readonly ColumnsCapture[], small = false): LoggedColumns {
  const c = new LoggedColumns(KINDS, small);
  for (const s of chain) c.restore(s);
  return c;
}

/** A capture as a checkpoint carries it: encoded through the codec (msgpackr calls toJSON). */
const enveloped = (s: ColumnsSnapshot | ColumnsCapture): ColumnsCapture => throughEnvelope(s as ColumnsCapture);

/** toEqual treats NaN as equal to NaN and tells -0 from 0, which is what "exact" means here (so does isDeepStrictEqual). */
const same = (a: Row[], b: Row[]) => expectEqual(a, b);

describe('LoggedColumns', () => {
  // small: a partition key's window, whose chunks of up to 16 rows keep numbers in plain arrays.
  it.each([false, true])('restoring the last full capture plus later deltas equals the live rows (small %s)', (small) => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 150 }), (ops) => {
        let live = new LoggedColumns(KINDS, small);
        const model: Row[] = [];
        let chain: ColumnsCapture[] = [];
        const replica = new LoggedColumns(KINDS, small);
        const capture = (mode: 'full' | 'delta') => {
          const c = enveloped(live.capture(mode));
          if (c.drop === undefined) chain = [c];
          else chain.push(c);
          // expectEqual: an expect() per step of 300 runs was a good part of the test's time.
          expectEqual(chain[0]!.drop, undefined);
          replica.restore(enveloped(c));
          same(rows(replica), model);
          same(rows(replay(chain.map((x) => throughEnvelope(x)))), model);
        };
        for (const o of ops) {
          switch (o.op) {
            case 'push':
              push(live, o.row);
              model.push(o.row);
              break;
            case 'shift':
              for (let i = 0; i < o.n && live.length > 0; i++) {
                live.shift();
                model.shift();
              }
              break;
            case 'clear':
              live.clear();
              model.length = 0;
              break;
            case 'capture':
              capture(o.mode);
              break;
            case 'failover':
              capture('delta');
              live = replay(chain.map((x) => throughEnvelope(x)), small);
              break;
          }
          expectEqual(live.length, model.length);
        }
        same(rows(live), model);
      }),
      { numRuns: 300 },
    );
  });

  it.each([false, true])('a capture keeps the rows of its moment while the container goes on (copy-on-write, across chunks; small %s)', (small) => {
    type BigOp =
      | { op: 'bulk'; n: number; seed: number }
      | { op: 'shift'; n: number }
      | { op: 'overwrite'; at: number; row: Row }
      | { op: 'clear' }
      | { op: 'swap' }
      | { op: 'capture'; mode: 'full' | 'delta' };
    const bigOp: fc.Arbitrary<BigOp> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ op: fc.constant('bulk' as const), n: fc.integer({ min: 1, max: 6000 }), seed: fc.nat() }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant('shift' as const), n: fc.integer({ min: 1, max: 6000 }) }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant('overwrite' as const), at: fc.nat(), row: rowArb.map((r) => r as Row) }) },
      { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
      { weight: 1, arbitrary: fc.constant({ op: 'swap' as const }) },
      { weight: 3, arbitrary: fc.constantFrom('full' as const, 'delta' as const).map((mode) => ({ op: 'capture' as const, mode })) },
    );
    const rowOf = (seed: number, i: number): Row => [
      i % 97 === 0 ? null : seed + i * 0.5, (seed + i) & 255, i % 5 === 0 ? `k${i % 7}` : i, i % 89 === 0 ? 'x' : i,
    ];
    const overwrite = (c: LoggedColumns, at: number, row: Row) => {
      const s = c.slot(at);
      c.setNumber(0, s, row[0]);
      c.setU8(1, s, row[1]);
      c.setValue(2, s, row[2]);
      c.setNumber(3, s, row[3]);
    };
    fc.assert(
      fc.property(fc.array(bigOp, { maxLength: 12 }), (ops) => {
        const live = new LoggedColumns(KINDS, small);
        const other = new LoggedColumns(KINDS, small);
        let model: Row[] = [];
        let otherModel: Row[] = [];
        const held: [ColumnsSnapshot, Row[]][] = [];
        let chain: ColumnsCapture[] = [];
        for (const o of ops) {
          if (o.op === 'bulk') {
            for (let i = 0; i < o.n; i++) {
              push(live, rowOf(o.seed, i));
              model.push(rowOf(o.seed, i));
            }
          } else if (o.op === 'shift') {
            for (let i = 0; i < o.n && live.length > 0; i++) live.shift();
            model.splice(0, o.n);
          } else if (o.op === 'overwrite') {
            if (model.length === 0) continue;
            const at = o.at % model.length;
            overwrite(live, at, o.row);
            model[at] = o.row;
          } else if (o.op === 'clear') {
            live.clear();
            model = [];
          } else if (o.op === 'swap') {
            live.swap(other);
            [model, otherModel] = [otherModel, model];
            chain = [];
          } else {
            const snap = live.capture(o.mode);
            const c = enveloped(snap);
            chain = c.drop === undefined ? [c] : [...chain, c];
            if (chain[0]!.drop === undefined) same(rows(replay(chain)), model);
            if (c.drop === undefined) held.push([snap, model.slice()]);
          }
          expect(live.length).toBe(model.length);
        }
        same(rows(live), model);
        for (const [snap, at] of held) same(rows(replay([enveloped(snap)])), at);
      }),
      { numRuns: 40 },
    );
  });

  it.each([false, true])('a captured row written after the lone small chunk grew makes the next capture full (it once went into a delta unseen; small %s)', (small) => {
    const live = new LoggedColumns(KINDS, small);
    const model: Row[] = [[1, 1, 'a', 1]];
    push(live, model[0]!);
    const chain = [enveloped(live.capture('full'))];
    for (let i = 0; i < 16; i++) {
      const row: Row = [i, i, `r${i}`, i];
      push(live, row);
      model.push(row);
    }
    const changed: Row = [0, 0, null, 'x'];
    const s = live.slot(0);
    live.setNumber(0, s, changed[0]);
    live.setU8(1, s, changed[1]);
    live.setValue(2, s, changed[2]);
    live.setNumber(3, s, changed[3]);
    model[0] = changed;
    chain.push(enveloped(live.capture('delta')));
    same(rows(replay(chain)), model);
  });

  it.each([[false, 3], [true, 3], [false, 10_000]])('leaves a restored capture as it was and treats its rows as captured (small %s, %d rows)', (small, n) => {
    const live = new LoggedColumns(KINDS, small);
    const model: Row[] = [];
    for (let i = 0; i < n; i++) {
      const row: Row = [i + 0.5, i & 255, `v${i}`, i];
      push(live, row);
      model.push(row);
    }
    const full = enveloped(live.capture('full'));
    // A restore's shifts, appends and writes must not reach the decoded arrays: a second restore of them gives the same rows.
    const first = replay([full], small);
    first.shift();
    first.shift();
    push(first, [9, 9, 'new', 9]);
    first.setValue(2, first.slot(0), 'changed');
    same(rows(replay([full], small)), model);
    // A restored row written is a change a delta cannot express: the next capture is full.
    const restored = replay([full], small);
    const changed: Row = [-1, 1, 'w', -1];
    const s = restored.slot(n - 1);
    restored.setNumber(0, s, changed[0]);
    restored.setU8(1, s, changed[1]);
    restored.setValue(2, s, changed[2]);
    restored.setNumber(3, s, changed[3]);
    model[n - 1] = changed;
    const next = enveloped(restored.capture('delta'));
    expect(next.drop).toBeUndefined();
    same(rows(replay([full, next], small)), model);
  });

  it('ships only the change in a delta, as typed-array copies', () => {
    const c = new LoggedColumns(['f64', 'any']);
    for (let i = 0; i < 100; i++) {
      const s = c.append();
      c.setNumber(0, s, i + 0.5);
      c.setValue(1, s, `s${i}`);
    }
    const snapshot = c.capture('delta');
    const full = snapshot.toJSON();
    expect(full.drop).toBeUndefined();
    expect(full.n).toBe(100);
    expect((full.c[0] as ColumnBlob).parts[0]).toBeInstanceOf(Float64Array);
    expect(throughEnvelope(full).c[0]).toBeInstanceOf(Float64Array);
    c.shift();
    c.shift();
    const s = c.append();
    c.setNumber(0, s, null);
    c.setValue(1, s, 'last');
    const delta = c.capture('delta').toJSON();
    expect(delta).toEqual({ k: 'fa', n: 1, drop: 2, c: [new Float64Array([0]), ['last']], x: [[0, null], null] });
    expect(c.capture('delta').toJSON()).toMatchObject({ n: 0, drop: 0 });
    // The capture shares the rows copy-on-write: later writes to captured rows do not reach it.
    c.setNumber(0, c.slot(0), 99);
    expect((snapshot.toJSON().c[0] as ColumnBlob).decoded()[2]).toBe(2.5);
  });

  it('applies deltas that drop whole chunks and append across chunk boundaries (a restore replica equals the live rows)', () => {
    const row = (i: number): Row => [i % 97 === 0 ? null : i % 89 === 0 ? 'x' : i * 1.5, i & 0xff, `s${i % 5}`, i % 13 === 0 ? Number.NaN : 1e12 + i];
    const live = new LoggedColumns(KINDS);
    let next = 0;
    for (; next < 10_000; next++) push(live, row(next));
    const replica = new LoggedColumns(KINDS);
    replica.restore(enveloped(live.capture('full')));
    // Each step drops and appends more than a chunk (4096 rows), starting mid-chunk.
    for (const [drop, add] of [[5000, 4500], [4097, 9000], [1, 4096], [8191, 3], [3000, 12_000]] as const) {
      for (let i = 0; i < drop; i++) live.shift();
      for (let i = 0; i < add; i++, next++) push(live, row(next));
      const delta = enveloped(live.capture('delta'));
      expect(delta.drop).toBe(drop);
      replica.restore(delta);
      same(rows(replica), rows(live));
    }
  });

  it('falls back to a full capture when the delta is not smaller', () => {
    const c = new LoggedColumns(['f64']);
    for (let i = 0; i < 4; i++) c.setNumber(0, c.append(), i);
    c.capture('full');
    for (let i = 0; i < 4; i++) c.shift();
    for (let i = 0; i < 3; i++) c.setNumber(0, c.append(), 10 + i);
    expect(c.capture('delta').toJSON()).toMatchObject({ n: 3, c: [new Float64Array([10, 11, 12])] });
    expect(c.capture('delta').drop).toBe(0);
  });

  it('keeps NaN, -0, null and other values in an f64 column apart', () => {
    const c = new LoggedColumns(['f64']);
    const values = [Number.NaN, -0, null, 0, undefined, 'str', Infinity];
    for (const v of values) c.setNumber(0, c.append(), v);
    const r = new LoggedColumns(['f64']);
    r.restore(throughEnvelope(c.capture('full')));
    const out = Array.from({ length: r.length }, (_, i) => r.getNumber(0, r.slot(i)));
    expect(out.map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual([Number.NaN, '-0', null, 0, undefined, 'str', Infinity]);
  });

  it('moves rows to the front, grows by doubling and gives memory back after a burst', () => {
    const c = new LoggedColumns(['f64', 'any']);
    let next = 0;
    let first = 0;
    const add = () => {
      const s = c.append();
      c.setNumber(0, s, next);
      c.setValue(1, s, next++);
    };
    for (let i = 0; i < 10; i++) add();
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 7; i++) add();
      for (let i = 0; i < 7; i++, first++) c.shift();
    }
    for (let i = 0; i < 20_000; i++) add();
    for (let i = 0; i < 19_990; i++, first++) c.shift();
    expect(c.length).toBe(next - first);
    for (let i = 0; i < c.length; i++) {
      expect(c.getNumber(0, c.slot(i))).toBe(first + i);
      expect(c.getValue(1, c.slot(i))).toBe(first + i);
    }
    // Emptied chunks are dropped (one kept as a spare): at most two hold the last rows.
    expect((c as unknown as { chunks: unknown[] }).chunks.length).toBeLessThanOrEqual(2);
  });

  it('captures a column of few distinct strings as a dictionary, and restores it exactly', () => {
    const fill = (values: (i: number) => unknown, n: number) => {
      const c = new LoggedColumns(['any']);
      for (let i = 0; i < n; i++) c.setValue(0, c.append(), values(i));
      return c;
    };
    const cases: [(i: number) => unknown, number, string][] = [
      [(i) => [`S${i % 7}`, null, true, false][i % 4], 1000, 'Uint8Array'],
      [(i) => `K${i % 300}`, 2000, 'Uint16Array'],
      [(i) => (i === 500 ? 1.5 : `S${i % 3}`), 1000, 'plain'],
      [(i) => `unique${i}`, 1000, 'plain'],
    ];
    for (const [values, n, form] of cases) {
      const c = fill(values, n);
      for (let i = 0; i < 10; i++) c.shift(); // start mid-ring
      for (let i = 0; i < 10; i++) c.setValue(0, c.append(), values(n + i));
      const cap = c.capture('full').toJSON();
      const col = cap.c[0] as { i?: ColumnBlob };
      expect(Array.isArray(col) ? 'plain' : col.i!.parts[0]!.constructor.name).toBe(form);
      const expected = Array.from({ length: n }, (_, i) => values(i + 10));
      for (const decoded of [throughEnvelope(cap), unpack(pack(cap)) as ColumnsCapture]) {
        const r = new LoggedColumns(['any']);
        r.restore(decoded);
        const got = Array.from({ length: r.length }, (_, i) => r.getValue(0, r.slot(i)));
        expect(got).toEqual(expected);
      }
    }
  });

  it.each([false, true])('a restored dictionary column decodes a chunk on first use; reads, writes, shifts, appends and captures see the rows (small %s)', (small) => {
    type AfterOp = { op: 'shift'; n: number } | { op: 'overwrite'; at: number } | { op: 'push'; n: number } | { op: 'clear' } | { op: 'capture' };
    const afterOp: fc.Arbitrary<AfterOp> = fc.oneof(
      fc.record({ op: fc.constant('shift' as const), n: fc.integer({ min: 1, max: 5000 }) }),
      fc.record({ op: fc.constant('overwrite' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('push' as const), n: fc.integer({ min: 1, max: 5000 }) }),
      fc.constant({ op: 'clear' as const }),
      fc.constant({ op: 'capture' as const }),
    );
    const rowOf = (i: number): Row => [i, i & 255, [`S${i % 5}`, null, true][i % 3], i * 0.5];
    fc.assert(
      fc.property(fc.integer({ min: 64, max: 9000 }), fc.array(afterOp, { maxLength: 8 }), (n, ops) => {
        const source = new LoggedColumns(KINDS, small);
        let model = Array.from({ length: n }, (_, i) => rowOf(i));
        for (const row of model) push(source, row);
        let live = replay([enveloped(source.capture('full'))], small);
        let next = n;
        for (const o of ops) {
          if (o.op === 'shift') {
            for (let i = 0; i < o.n && live.length > 0; i++) live.shift();
            model.splice(0, o.n);
          } else if (o.op === 'overwrite') {
            if (model.length === 0) continue;
            const at = o.at % model.length;
            const s = live.slot(at);
            live.setValue(2, s, 'new');
            model[at] = [model[at]![0], model[at]![1], 'new', model[at]![3]];
          } else if (o.op === 'push') {
            for (let i = 0; i < o.n; i++, next++) {
              push(live, rowOf(next));
              model.push(rowOf(next));
            }
          } else if (o.op === 'clear') {
            live.clear();
            model = [];
          } else {
            live = replay([enveloped(live.capture('full'))], small);
          }
          expect(live.length).toBe(model.length);
        }
        same(rows(live), model);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses a dictionary column whose codes point past its values', () => {
    const c = new LoggedColumns(['any']);
    for (let i = 0; i < 100; i++) c.setValue(0, c.append(), `S${i % 3}`);
    const cap = unpack(pack(c.capture('full'))) as ColumnsCapture;
    const col = cap.c[0] as { d: unknown[]; i: Uint8Array };
    col.i[50] = 3;
    expect(() => new LoggedColumns(['any']).restore(cap)).toThrow(/malformed column 0/);
  });

  it('captures integer columns as int32 offsets and constant byte columns as one value, exactly', () => {
    const cases: [(i: number) => number, string][] = [
      [(i) => 1.7e12 + i * 3, 'offsets'],
      [(i) => 500 - i, 'offsets'],
      [(i) => (i === 700 ? -0 : i), 'Float64Array'],
      [(i) => (i === 700 ? 0.5 : i), 'Float64Array'],
      [(i) => (i === 700 ? 2 ** 40 : i), 'Float64Array'],
      [(i) => (i === 0 ? Number.NaN : i), 'Float64Array'],
      [(i) => (i === 700 ? 5e-324 : i + 1), 'Float64Array'],
    ];
    for (const [values, form] of cases) {
      const c = new LoggedColumns(['f64', 'u8']);
      for (let i = 0; i < 1000; i++) {
        const s = c.append();
        c.setNumber(0, s, values(i));
        c.setU8(1, s, 1);
      }
      const cap = c.capture('full').toJSON();
      const col = cap.c[0] as ColumnBlob;
      expect(col.base === undefined ? col.parts[0]!.constructor.name : 'offsets').toBe(form);
      // Offsets decode to offsets (a restore expands them chunk by chunk when first read).
      expect(throughEnvelope(cap).c[0]).toBeInstanceOf(form === 'offsets' ? OffsetColumn : Float64Array);
      expect(cap.c[1]).toEqual({ u: 1 });
      for (const decoded of [throughEnvelope(cap), unpack(pack(cap)) as ColumnsCapture]) {
        const r = new LoggedColumns(['f64', 'u8']);
        r.restore(decoded);
        // Compared as SameValue (NaN is NaN, -0 is not 0), in one expectEqual instead of 2,000 expect() calls.
        const got = Array.from({ length: 1000 }, (_, i) => [r.getNumber(0, r.slot(i)), r.getU8(1, r.slot(i))]);
        expectEqual(got, Array.from({ length: 1000 }, (_, i) => [values(i), 1]));
      }
    }
  });

  it('restores compact columns (offsets, one byte value, a dictionary) lazily: any chunk read first, written, captured or shifted gives the rows', () => {
    // Three chunks and a partial fourth: timestamps as offsets, one type byte, symbols as a dictionary, prices as they are.
    const n = 3 * 4096 + 700;
    const row = (i: number): Row => [1.7e12 + i, 1, `S${i % 7}`, i * 0.25 + 0.1];
    const kinds: ColumnKind[] = ['f64', 'u8', 'any', 'f64'];
    const fill = () => {
      const c = new LoggedColumns(kinds);
      for (let i = 0; i < n; i++) push(c, row(i));
      return c;
    };
    const original = fill().capture('full');
    const bytes = pack(original);
    const restored = () => {
      const c = new LoggedColumns(kinds);
      c.restore(enveloped(original));
      return c;
    };
    // A capture straight after the restore, before any row was read, packs as the original did.
    // expectEqual: toEqual walks the ~300 KB byte by byte, and runs only to judge and show a difference.
    expectEqual(Buffer.from(pack(restored().capture('full'))), Buffer.from(bytes));
    // Rows read out of order, a row of the third chunk changed, rows appended and shifted.
    const c = restored();
    const rowAt = (i: number) => {
      const at = c.slot(i);
      return [c.getNumber(0, at), c.getU8(1, at), c.getValue(2, at), c.getNumber(3, at)];
    };
    for (const i of [2 * 4096 + 5, 17, n - 1, 4096]) expect(rowAt(i)).toEqual(row(i));
    c.setNumber(3, c.slot(2 * 4096 + 9), -1);
    for (let i = 0; i < 5000; i++) c.shift();
    push(c, row(n));
    const expected = Array.from({ length: n + 1 }, (_, i) => row(i)).slice(5000);
    expected[2 * 4096 + 9 - 5000]![3] = -1;
    same(rows(c), expected);
    same(rows(replay([enveloped(c.capture('full'))])), expected);
  });

  it('swaps contents in O(1); both next captures are full', () => {
    const a = new LoggedColumns(['f64', 'any']);
    const b = new LoggedColumns(['f64', 'any']);
    for (let i = 0; i < 5; i++) {
      const s = a.append();
      a.setNumber(0, s, i === 2 ? null : i);
      a.setValue(1, s, `r${i}`);
    }
    const ra = new LoggedColumns(['f64', 'any']);
    const rb = new LoggedColumns(['f64', 'any']);
    ra.restore(throughEnvelope(a.capture('full')));
    rb.restore(throughEnvelope(b.capture('full')));
    a.swap(b);
    expect([a.length, b.length]).toEqual([0, 5]);
    const ca = a.capture('delta');
    const cb = b.capture('delta');
    expect([ca.drop, cb.drop]).toEqual([undefined, undefined]);
    ra.restore(throughEnvelope(ca));
    rb.restore(throughEnvelope(cb));
    const values = (c: LoggedColumns) => Array.from({ length: c.length }, (_, i) => [c.getNumber(0, c.slot(i)), c.getValue(1, c.slot(i))]);
    expect(values(ra)).toEqual([]);
    expect(values(rb)).toEqual([[0, 'r0'], [1, 'r1'], [null, 'r2'], [3, 'r3'], [4, 'r4']]);
    expect(() => a.swap(new LoggedColumns(['f64']))).toThrow(/cannot swap/);
  });

  it('restores typed columns from plain msgpack bytes and refuses another layout', () => {
    const c = new LoggedColumns(['f64', 'u8']);
    const s = c.append();
    c.setNumber(0, s, 1.25);
    c.setU8(1, s, 3);
    const r = new LoggedColumns(['f64', 'u8']);
    r.restore(unpack(pack(c.capture('full'))));
    expect([r.getNumber(0, r.slot(0)), r.getU8(1, r.slot(0))]).toEqual([1.25, 3]);
    expect(() => new LoggedColumns(['any', 'u8']).restore(c.capture('full'))).toThrow(/column layout 'fu'/);
  });
});
