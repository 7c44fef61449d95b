import { afterAll, describe, expect, it } from 'vitest';
import { crc32 } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore, InMemoryStore, SiddhiManager, type SiddhiAppRuntime } from '../../src/index.js';
import { SiddhiStateError } from '../../src/errors.js';
import { decodeCheckpoint, initZstd, readCheckpointHeader, LoggedColumns, packCheckpoint, sealCheckpoint, type ColumnKind, type ColumnsCapture } from '../../src/state/index.js';
import { decodeNextInOwnMemory } from '../../src/state/compression.js';
import { endReads, lendingColumns, readingCaptures } from '../../src/state/column-pool.js';
import { PendingColumn } from '../../src/state/column-blob.js';
import { expectEqual } from '../expect-equal.js';

// A restore's large zstd body is decoded into memory of its own, which its columns view; that memory is decoded
// into again only once nothing can read those views (own-bodies.ts). These check both halves: it is taken again
// when its readers shut down, and never while anything (a capture, a second reader, an unclaimed view, a caller
// of decodeCheckpoint or FileStore.load) may still read it.

const KINDS: ColumnKind[] = ['f64', 'u8', 'any', 'f64'];
const ROWS = 100_000;
const AT = [0, 1, 4095, 4096, 50_000, ROWS - 1];
/** A row of each chunk: reading them decodes every lazy frame of a restored container (format 4), which writes its memory. */
const EVERY_CHUNK = Array.from({ length: Math.ceil(ROWS / 4096) }, (_, k) => k * 4096);

function filled(salt: number): LoggedColumns {
  const c = new LoggedColumns(KINDS);
  for (let i = 0; i < ROWS; i++) {
    const s = c.append();
    c.setNumber(0, s, i * 0.5 + salt);
    c.setU8(1, s, (i + salt) % 7);
    c.setValue(2, s, ['IBM', 'ORCL'][i % 2]);
    c.setNumber(3, s, 1_700_000_000_000 + i);
  }
  return c;
}

function rowsOf(c: LoggedColumns, at: readonly number[] = AT): unknown[][] {
  return at.map((i) => {
    const s = c.slot(i);
    return [c.getNumber(0, s), c.getU8(1, s), c.getValue(2, s), c.getNumber(3, s)];
  });
}

const sealed = new Map<number, Uint8Array>();

/** A full checkpoint of filled(salt), sealed once per salt; each call gets its own copy of the bytes. */
async function checkpoint(salt: number): Promise<Uint8Array> {
  await initZstd();
  let bytes = sealed.get(salt);
  if (bytes === undefined) {
    const state = filled(salt).capture('full');
    const cells = [{ id: 'w', kind: 'window.length', version: 1, mode: 'full' as const, state }];
    bytes = sealCheckpoint(packCheckpoint({ revision: `00000000000100${salt}-000000`, parent: null, mode: 'full', createdAt: 1000, cells }, { appName: 'Big', fingerprint: 'f' }), 'zstd');
    sealed.set(salt, bytes);
  }
  return bytes.slice();
}

const filledRows = new Map<number, unknown[][]>();

/** rowsOf(filled(salt)), built once per salt. */
function rowsOfFilled(salt: number): unknown[][] {
  let rows = filledRows.get(salt);
  if (rows === undefined) filledRows.set(salt, (rows = rowsOf(filled(salt))));
  return rows;
}

/** The window state of `bytes` as a restore decodes it. */
function decodeForRestore(bytes: Uint8Array): ColumnsCapture {
  return lendingColumns(() => decodeCheckpoint(bytes)).cells[0]!.state as ColumnsCapture;
}

/** The memory a decoded state's columns view. */
function findMemory(state: ColumnsCapture): ArrayBufferLike {
  const c = state.c[0];
  const prices = (c instanceof PendingColumn ? c.unsettled() : c) as Float64Array;
  expect(prices.buffer.byteLength).toBeGreaterThan(prices.byteLength * 2);
  return prices.buffer;
}

/** A container restored from `bytes`, and the memory its columns view. */
function restored(bytes: Uint8Array): { c: LoggedColumns; memory: ArrayBufferLike } {
  const state = decodeForRestore(bytes);
  const c = new LoggedColumns(KINDS);
  c.restore(state);
  const memory = findMemory(state);
  rowsOf(c, EVERY_CHUNK);
  return { c, memory };
}

/**
 * `r` with the checksum of its memory now, for the tests that check it is left untouched (the memory is
 * ~17 MB: ~20 ms a checksum, so only where a test reads it).
 */
function checksummed<R extends { memory: ArrayBufferLike }>(r: R): R & { crc: number } {
  return { ...r, crc: crc32(new Uint8Array(r.memory)) };
}

describe('memory of its own decoded into again', () => {
  it('is taken by the next restore once its only reader offered its rows (shut down), which drops them and refuses to capture', async () => {
    const [one, two] = [await checkpoint(1), await checkpoint(2)];
    const first = restored(one);
    expect(rowsOf(first.c)).toEqual(rowsOfFilled(1));
    first.c.releaseColumns();
    // Offered but not taken yet: the rows are still there.
    expect(rowsOf(first.c)).toEqual(rowsOfFilled(1));
    const second = restored(two);
    expect(second.memory === first.memory).toBe(true);
    expect(rowsOf(second.c)).toEqual(rowsOfFilled(2));
    expect(first.c.length).toBe(0);
    expect(() => first.c.capture('full')).toThrow(/later restore has reused their memory/);
    // And again, from the second's reader.
    second.c.releaseColumns();
    const third = restored(one);
    expect(third.memory === first.memory).toBe(true);
    expect(rowsOf(third.c)).toEqual(rowsOfFilled(1));
  });

  it('is taken once its reader restored other rows (the views dropped), without any shutdown', async () => {
    const [one, two] = [await checkpoint(1), await checkpoint(2)];
    const first = checksummed(restored(one));
    const state = decodeForRestore(two);
    // The first reader still reads the first memory: the second body went elsewhere.
    expect(findMemory(state) === first.memory).toBe(false);
    expect(crc32(new Uint8Array(first.memory))).toBe(first.crc);
    first.c.restore(state);
    expect(rowsOf(first.c)).toEqual(rowsOfFilled(2));
    const third = restored(one);
    expect(third.memory === first.memory).toBe(true);
    expect(rowsOf(first.c)).toEqual(rowsOfFilled(2));
  });

  /** Restores `one`, lets `hold` keep its memory readable, offers the rows, restores `two`: the first memory must be untouched. */
  async function keptBy(hold: (first: ReturnType<typeof restored>, state: ColumnsCapture) => () => void): Promise<void> {
    const [one, two] = [await checkpoint(1), await checkpoint(2)];
    const state = decodeForRestore(one);
    const c = new LoggedColumns(KINDS);
    c.restore(state);
    const memory = findMemory(state);
    rowsOf(c, EVERY_CHUNK);
    const first = checksummed({ c, memory });
    const check = hold(first, state);
    first.c.releaseColumns();
    const second = restored(two);
    expect(second.memory === first.memory).toBe(false);
    expect(rowsOf(second.c)).toEqual(rowsOfFilled(2));
    expect(crc32(new Uint8Array(first.memory))).toBe(first.crc);
    check();
  }

  it('is not taken while a capture shares its rows (a snapshot, a pending seal)', async () => {
    await keptBy((first) => {
      const snapshot = first.c.capture('full');
      return () => {
        const back = new LoggedColumns(KINDS);
        back.restore(snapshot);
        expect(rowsOf(back)).toEqual(rowsOfFilled(1));
      };
    });
  });

  it('is not taken after its rows were swapped into another container', async () => {
    await keptBy((first) => {
      const other = new LoggedColumns(KINDS);
      first.c.swap(other);
      return () => expect(rowsOf(other)).toEqual(rowsOfFilled(1));
    });
  });

  it('is not taken while a second container reads the same decoded state', async () => {
    await keptBy((_first, state) => {
      const second = new LoggedColumns(KINDS);
      second.restore(state);
      second.releaseColumns();
      return () => expect(rowsOf(second)).toEqual(rowsOfFilled(1));
    });
  });

  it('is not taken while its reader has not offered its rows (its app still runs)', async () => {
    const [one, two] = [await checkpoint(1), await checkpoint(2)];
    const first = checksummed(restored(one));
    const second = restored(two);
    expect(second.memory === first.memory).toBe(false);
    expect(rowsOf(first.c)).toEqual(rowsOfFilled(1));
    expect(crc32(new Uint8Array(first.memory))).toBe(first.crc);
  });

  it('is not taken when a view was never claimed (a state refused or kept elsewhere)', async () => {
    const [one, two] = [await checkpoint(1), await checkpoint(2)];
    const state = decodeForRestore(one);
    const memory = findMemory(state);
    const crc = crc32(new Uint8Array(memory));
    const second = restored(two);
    expect(second.memory === memory).toBe(false);
    expect(crc32(new Uint8Array(memory))).toBe(crc);
    // The state kept reads as decoded.
    const c = new LoggedColumns(KINDS);
    c.restore(state);
    expect(rowsOf(c)).toEqual(rowsOfFilled(1));
  });

  it('is not taken when decoded outside a restore (the caller keeps the views)', async () => {
    const [one, two] = [await checkpoint(1), await checkpoint(2)];
    decodeNextInOwnMemory();
    const state = decodeCheckpoint(one).cells[0]!.state as ColumnsCapture;
    const memory = findMemory(state);
    const crc = crc32(new Uint8Array(memory));
    const c = new LoggedColumns(KINDS);
    c.restore(state);
    c.releaseColumns();
    const second = restored(two);
    expect(second.memory === memory).toBe(false);
    expect(crc32(new Uint8Array(memory))).toBe(crc);
  });

  it('is not taken after its reader offered its rows and then captured them (the snapshot reads them)', async () => {
    const [one, two] = [await checkpoint(1), await checkpoint(2)];
    const first = checksummed(restored(one));
    first.c.releaseColumns();
    const snapshot = first.c.capture('full');
    const second = restored(two);
    expect(second.memory === first.memory).toBe(false);
    expect(crc32(new Uint8Array(first.memory))).toBe(first.crc);
    const back = new LoggedColumns(KINDS);
    back.restore(snapshot);
    expect(rowsOf(back)).toEqual(rowsOfFilled(1));
  });

  it('is not taken when decoded outside a restore and no container adopted the state (the caller reads it)', async () => {
    const [one, two] = [await checkpoint(1), await checkpoint(2)];
    decodeNextInOwnMemory();
    const state = decodeCheckpoint(one).cells[0]!.state as ColumnsCapture;
    const prices = Float64Array.prototype.slice.call(state.c[0] as Float64Array);
    const second = restored(two);
    expect(second.memory === findMemory(state)).toBe(false);
    expect(Buffer.from((state.c[0] as Float64Array).buffer, (state.c[0] as Float64Array).byteOffset, prices.byteLength).equals(Buffer.from(prices.buffer))).toBe(true);
  });

  it('is taken once the delta it holds was appended to a container (which copies the rows)', async () => {
    const [two] = [await checkpoint(2)];
    const source = filled(3);
    const add = (from: number, shift: boolean) => {
      for (let i = from; i < from + ROWS; i++) {
        const s = source.append();
        source.setNumber(0, s, i * 0.75);
        source.setU8(1, s, i % 5);
        source.setValue(2, s, ['MSFT', 'IBM', 'WSO2'][i % 3]);
        source.setNumber(3, s, 1_800_000_000_000 + i);
        if (shift) source.shift();
      }
    };
    // Twice the rows a delta adds, so the capture is a delta.
    add(0, false);
    const target = new LoggedColumns(KINDS);
    target.restore(source.capture('full'));
    add(ROWS, true);
    const cells = [{ id: 'w', kind: 'window.length', version: 1, mode: 'delta' as const, state: source.capture('delta') }];
    const packed = packCheckpoint({ revision: '000000000002000-000000', parent: '000000000001003-000000', mode: 'delta', createdAt: 2000, cells }, { appName: 'Big', fingerprint: 'f' });
    const delta = decodeForRestore(sealCheckpoint(packed, 'zstd'));
    expect(delta.drop).toBe(ROWS);
    const memory = findMemory(delta);
    target.restore(delta);
    const second = restored(two);
    expect(second.memory === memory).toBe(true);
    expect(rowsOf(second.c)).toEqual(rowsOfFilled(2));
    expect(rowsOf(target, [...AT, ROWS, 2 * ROWS - 1])).toEqual(rowsOf(source, [...AT, ROWS, 2 * ROWS - 1]));
  });

  it('is not taken while the capture of a checkpoint reads it, and is taken once that is encoded', async () => {
    const [one, two] = [await checkpoint(1), await checkpoint(2)];
    const first = restored(one);
    const reads: ArrayBufferLike[] = [];
    const snapshot = readingCaptures(reads, () => first.c.capture('full'));
    first.c.releaseColumns();
    const second = restored(two);
    expect(second.memory === first.memory).toBe(false);
    const back = new LoggedColumns(KINDS);
    back.restore(snapshot);
    expect(rowsOf(back)).toEqual(rowsOfFilled(1));
    endReads(reads);
    const third = restored(two);
    expect(third.memory === first.memory).toBe(true);
    expect(first.c.length).toBe(0);
  });

  it('is taken once a checkpoint whose capture threw half-way is abandoned (nothing will encode it)', async () => {
    const [one, two] = [await checkpoint(1), await checkpoint(2)];
    const first = restored(one);
    const reads: ArrayBufferLike[] = [];
    expect(() => readingCaptures(reads, () => {
      first.c.capture('full');
      throw new Error('a later cell failed');
    })).toThrow(/later cell failed/);
    first.c.releaseColumns();
    const second = restored(two);
    expect(second.memory === first.memory).toBe(true);
    expect(rowsOf(second.c)).toEqual(rowsOfFilled(2));
  });

  it('never changes bytes FileStore.load read into it, when later restores take it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'own-bodies-'));
    try {
      const store = new FileStore(dir);
      await store.save('Big', '000000000001001-000000', await checkpoint(1));
      const two = await checkpoint(2);
      decodeNextInOwnMemory();
      const bytes = (await store.load('Big', '000000000001001-000000'))!;
      const copy = Uint8Array.prototype.slice.call(bytes);
      const first = restored(bytes);
      expect(first.memory === bytes.buffer).toBe(true);
      first.c.releaseColumns();
      const second = restored(two);
      expect(second.memory === first.memory).toBe(true);
      second.c.releaseColumns();
      // Decoding the bytes read there again, from where they lie, into the same memory.
      const third = restored(bytes);
      expect(third.memory === first.memory).toBe(true);
      expect(rowsOf(third.c)).toEqual(rowsOfFilled(1));
      expect(Buffer.from(bytes).equals(Buffer.from(copy))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('memory of its own across runtimes', () => {
  // Just over the 1 MiB from which a body is decoded into memory of its own (~17 B a row).
  const ROWS_APP = 66_000;
  const APP = "@app:name('Own') define stream S (symbol string, price double, volume long); " +
    `from S#window.length(${ROWS_APP}) select symbol, price, volume insert into O;`;

  function open(store?: InMemoryStore): { rt: SiddhiAppRuntime; out: unknown[][] } {
    const rt = new SiddhiManager({ store }).createSiddhiAppRuntime(APP, { playback: true });
    const out: unknown[][] = [];
    rt.addCallback('O', (events) => events.forEach((e) => out.push([...e.data])));
    rt.start();
    return { rt, out };
  }

  function send(rt: SiddhiAppRuntime, from: number, to: number): void {
    const h = rt.getInputHandler('S');
    for (let i = from; i < to; i++) h.send([`s${i % 7}`, i * 0.25, i], 1000 + i);
  }

  /**
   * A source fed once for the tests that only read it, and its snapshot (the
   * tests that run a source on make their own): each test's restores still
   * start from runtimes of their own.
   */
  let fed: { source: SiddhiAppRuntime; bytes: Uint8Array } | undefined;
  function fedSource(): { source: SiddhiAppRuntime; bytes: Uint8Array } {
    if (fed === undefined) {
      const { rt } = open();
      send(rt, 0, ROWS_APP + 100);
      fed = { source: rt, bytes: rt.snapshot() };
    }
    return fed;
  }
  afterAll(() => fed?.source.shutdown());

  function cells(bytes: Uint8Array): unknown {
    return decodeCheckpoint(bytes).cells.map((c) => [c.id, c.state]);
  }

  it('a shut-down runtime hands its memory to the next restore, whose runtime then runs on as the source does; the shut-down one refuses to capture', async () => {
    await initZstd();
    const { rt: source, out: expected } = open();
    send(source, 0, ROWS_APP + 100);
    const bytes = source.snapshot();
    const { rt: first } = open();
    first.restore(bytes);
    first.shutdown();
    const second = open();
    second.rt.restore(bytes);
    expect(() => first.snapshot()).toThrow(SiddhiStateError);
    expected.length = 0;
    send(source, ROWS_APP + 100, ROWS_APP + 400);
    send(second.rt, ROWS_APP + 100, ROWS_APP + 400);
    expect(second.out).toEqual(expected);
    expectEqual(cells(second.rt.snapshot()), cells(source.snapshot()));
    second.rt.shutdown();
    source.shutdown();
  });

  it('a damaged or foreign checkpoint is refused before it takes the memory a shut-down runtime offered, or touches the runtime', async () => {
    await initZstd();
    const { source, bytes } = fedSource();
    const { rt: first } = open();
    first.restore(bytes);
    first.shutdown();
    const damaged = Uint8Array.prototype.slice.call(bytes);
    damaged[damaged.length >> 1]! ^= 1;
    const other = new SiddhiManager().createSiddhiAppRuntime(APP.replace("'Own'", "'Other'"), { playback: true });
    const { rt: target } = open();
    const empty = cells(target.snapshot());
    expect(() => target.restore(damaged)).toThrow(/checksum/);
    expectEqual(cells(target.snapshot()), empty);
    // Refused before decoding: the shut-down runtime's rows are still there.
    expectEqual(cells(first.snapshot()), cells(source.snapshot()));
    // The snapshot withdrew the offer (its capture read the rows): restored again and shut down again, it is offered once more.
    first.restore(bytes);
    first.shutdown();
    // A foreign one is refused on its header, before its body is decoded: the shut-down runtime's rows are still there.
    const otherEmpty = cells(other.snapshot());
    expect(() => other.restore(bytes)).toThrow(/belongs to app 'Own'/);
    expectEqual(cells(other.snapshot()), otherEmpty);
    expectEqual(cells(first.snapshot()), cells(source.snapshot()));
    for (const rt of [other, target]) rt.shutdown();
  });

  it('a runtime restored, persisted and shut down hands its memory to the next restore', async () => {
    await initZstd();
    const { bytes } = fedSource();
    const { rt: first } = open(new InMemoryStore());
    first.restore(bytes);
    send(first, ROWS_APP + 100, ROWS_APP + 200);
    await first.persist();
    first.shutdown();
    const { rt: second } = open();
    second.restore(bytes);
    expect(() => first.snapshot()).toThrow(/later restore has reused their memory/);
    expectEqual(cells(second.snapshot()), cells(bytes));
    second.shutdown();
  });

  it('a pending persist keeps the memory its capture reads until it is encoded', async () => {
    await initZstd();
    const { bytes } = fedSource();
    const { rt: other } = open();
    send(other, 7, ROWS_APP + 107);
    const otherBytes = other.snapshot();
    const store = new InMemoryStore();
    const { rt: first } = open(store);
    first.restore(bytes);
    const persisted = first.persist();
    first.shutdown();
    // Restored before the capture is encoded: the memory it reads is not taken.
    const { rt: second } = open();
    second.restore(otherBytes);
    const revision = await persisted;
    expectEqual(cells((await store.load('Own', revision))!), cells(bytes));
    expectEqual(cells(second.snapshot()), cells(otherBytes));
    for (const rt of [other, second]) rt.shutdown();
  });

  /** The store offeredByShutdown restores from, written once. */
  let chain: { store: InMemoryStore; base: string; delta: string; rows: unknown } | undefined;
  async function persistedChain(): Promise<{ store: InMemoryStore; base: string; delta: string; rows: unknown }> {
    if (chain === undefined) {
      const store = new InMemoryStore();
      const { rt: source } = open(store);
      send(source, 0, ROWS_APP + 100);
      const base = await source.persist({ mode: 'full' });
      send(source, ROWS_APP + 100, 2 * ROWS_APP);
      const delta = await source.persist({ mode: 'delta' });
      chain = { store, base, delta, rows: cells(source.snapshot()) };
      source.shutdown();
    }
    return chain;
  }

  /** A store with a full revision of 'Own' and a large delta on it, and a shut-down runtime restored from them (its rows offered, not captured). */
  async function offeredByShutdown(): Promise<{ store: InMemoryStore; base: string; delta: string; rows: unknown; done: () => void }> {
    await initZstd();
    const { store, base, delta, rows } = await persistedChain();
    const { rt: first } = open(store);
    await first.restoreLastRevision();
    first.shutdown();
    return { store, base, delta, rows, done: () => {
      // Captured last: a capture withdraws the offer.
      expectEqual(cells(first.snapshot()), rows);
    } };
  }

  it('a delta given to restore() is refused before it takes the memory a shut-down runtime offered', async () => {
    const { store, delta, done } = await offeredByShutdown();
    const deltaBytes = (await store.load('Own', delta))!;
    const h = readCheckpointHeader(deltaBytes);
    expect([h.mode, h.compression, h.rawLength > 1 << 20]).toEqual(['delta', 'zstd', true]);
    const { rt: target } = open(store);
    expect(() => target.restore(deltaBytes)).toThrow(/is a delta on top of/);
    done();
    target.shutdown();
  });

  it('a foreign file in the store is refused before it takes the memory a shut-down runtime offered', async () => {
    const { store, base, done } = await offeredByShutdown();
    const other = new SiddhiManager({ store }).createSiddhiAppRuntime(APP.replace("'Own'", "'Other'"), { playback: true });
    await store.save('Other', base, (await store.load('Own', base))!);
    await expect(other.restoreLastRevision()).rejects.toThrow(/belongs to app 'Own'/);
    done();
    other.shutdown();
  });
});
