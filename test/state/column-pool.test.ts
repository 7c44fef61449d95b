import { beforeEach, describe, expect, it } from 'vitest';
import { InMemoryStore, SiddhiManager, type SiddhiAppRuntime } from '../../src/index.js';
import { SiddhiStateError } from '../../src/errors.js';
import { decodeCheckpoint } from '../../src/state/index.js';
import { emptyColumnPool, lendingColumns, pooledColumnBytes } from '../../src/state/column-pool.js';
import { LoggedColumns } from '../../src/state/logged-columns.js';
import { throughEnvelope } from './helpers.js';
import { expectEqual } from '../expect-equal.js';

// 20,000 rows: the price column (160 KB) and the timestamps' offsets (80 KB) are pooled sizes.
const ROWS = 20_000;
const APP = "@app:name('Pool') define stream S (symbol string, price double, volume long); " +
  `from S#window.length(${ROWS}) select symbol, price, volume insert into O;`;

function open(store = new InMemoryStore()): { rt: SiddhiAppRuntime; out: unknown[][] } {
  const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true, store });
  const out: unknown[][] = [];
  rt.addCallback('O', (events) => events.forEach((e) => out.push([...e.data])));
  rt.start();
  return { rt, out };
}

function send(rt: SiddhiAppRuntime, from: number, to: number, salt = 0): void {
  const h = rt.getInputHandler('S');
  for (let i = from; i < to; i++) h.send([`s${i % 7}`, i * 0.25 + salt, i + (salt === 0 ? 0 : 1)], 1000 + i);
}

function cells(bytes: Uint8Array): unknown {
  return decodeCheckpoint(bytes).cells.map((c) => [c.id, c.state]);
}

describe('restored columns handed back at shutdown (column-pool.ts)', () => {
  // The pool is the process's: with isolate off, files run before this one in the worker leave offers in it
  // (a buffer of this test's sizes would be taken, near the 64 MiB bound older ones dropped).
  beforeEach(emptyColumnPool);

  it('a shut-down restored runtime hands its columns to the next restore, which restores the same state', () => {
    const { rt: source } = open();
    send(source, 0, ROWS + 100);
    const bytes = source.snapshot();
    const before = pooledColumnBytes();

    const { rt: first } = open();
    first.restore(bytes);
    expect(pooledColumnBytes()).toBe(before);
    first.shutdown();
    const handedBack = pooledColumnBytes() - before;
    expect(handedBack).toBeGreaterThanOrEqual(ROWS * 8);

    const second = open();
    second.rt.restore(bytes);
    expect(pooledColumnBytes()).toBe(before);
    // The reused memory holds this restore's state: the same rows expire, in the same order.
    const { out: expected } = (() => {
      const o: unknown[][] = [];
      source.addCallback('O', (events) => events.forEach((e) => o.push([...e.data])));
      return { out: o };
    })();
    send(source, ROWS + 100, ROWS + 300);
    send(second.rt, ROWS + 100, ROWS + 300);
    expect(second.out).toEqual(expected);
    expectEqual(cells(second.rt.snapshot()), cells(source.snapshot()));
    second.rt.shutdown();
    source.shutdown();
  });

  it('a capture keeps the restored columns: a persist still encoding after shutdown saves the restored state', async () => {
    const store = new InMemoryStore();
    const { rt: source } = open();
    send(source, 0, ROWS);
    const bytes = source.snapshot();
    const { rt: other } = open();
    send(other, 0, ROWS, 0.5);
    const otherBytes = other.snapshot();

    const { rt: restored } = open(store);
    restored.restore(bytes);
    const before = pooledColumnBytes();
    const saved = restored.persist({ mode: 'full', compression: 'none' });
    restored.shutdown();
    expect(pooledColumnBytes()).toBe(before);
    // Another restore before the persist encodes: had the columns been handed back, it would overwrite them.
    const { rt: meanwhile } = open();
    meanwhile.restore(otherBytes);
    await saved;

    const { rt: back } = open(store);
    await back.restoreLastRevision();
    expectEqual(cells(back.snapshot()), cells(source.snapshot()));
    for (const rt of [source, other, meanwhile, back]) rt.shutdown();
  });

  it('a shut-down runtime keeps its restored rows for a snapshot until a restore reuses their memory, then refuses to capture', async () => {
    const { rt: source } = open();
    send(source, 0, ROWS);
    const bytes = source.snapshot();
    const { rt } = open();
    rt.restore(bytes);
    rt.shutdown();
    // Offered, not taken yet: a snapshot withdraws the offer and has every row.
    const before = pooledColumnBytes();
    expectEqual(cells(rt.snapshot()), cells(source.snapshot()));
    expect(pooledColumnBytes()).toBeLessThan(before);

    const { rt: again } = open();
    again.restore(bytes);
    again.shutdown();
    const { rt: next } = open();
    next.restore(bytes);
    expect(() => again.snapshot()).toThrow(SiddhiStateError);
    expect(() => again.snapshot()).toThrow(/later restore has reused their memory/);
    await expect(again.persist()).rejects.toThrow(SiddhiStateError);
    expectEqual(cells(next.snapshot()), cells(source.snapshot()));
    for (const r of [source, rt, next]) r.shutdown();
  });

  it('columns swapped into another container are no longer handed back by either', () => {
    const source = new LoggedColumns(['f64']);
    for (let i = 0; i < ROWS; i++) source.setNumber(0, source.append(), i + 0.5);
    const snapshot = source.capture('full');
    const state = lendingColumns(() => throughEnvelope(snapshot));
    const before = pooledColumnBytes();
    // Without the swap, the container would hand them back.
    const alone = new LoggedColumns(['f64']);
    alone.restore(lendingColumns(() => throughEnvelope(snapshot)));
    alone.releaseColumns();
    expect(pooledColumnBytes()).toBe(before + ROWS * 8);
    expect(alone.length).toBe(ROWS);
    const a = new LoggedColumns(['f64']);
    const b = new LoggedColumns(['f64']);
    a.restore(state);
    a.swap(b);
    a.releaseColumns();
    b.releaseColumns();
    expect(pooledColumnBytes()).toBe(before + ROWS * 8);
    expect(b.length).toBe(ROWS);
    expect(b.getNumber(0, b.slot(ROWS - 1))).toBe(ROWS - 0.5);
  });

  it('a runtime restored again and again lists each window once for the handback, not once per restore', () => {
    const { rt: source } = open();
    send(source, 0, ROWS + 100);
    const bytes = source.snapshot();
    const { rt } = open();
    for (let i = 0; i < 12; i++) rt.restore(bytes);
    const claims = (rt as unknown as { parts: { checkpoints: { claims: unknown[] } } }).parts.checkpoints.claims;
    // One window, one claim per restore: before the last restore's own claim, the list held only the window, once.
    expect(claims.length).toBeLessThanOrEqual(2);
    rt.shutdown();
    source.shutdown();
  });
});
