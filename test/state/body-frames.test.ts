import { describe, expect, it } from 'vitest';
import { SiddhiStateError } from '../../src/errors.js';
import { decodeCheckpoint, initZstd, LoggedColumns, packCheckpoint, readCheckpointHeader, sealCheckpoint, type ColumnsCapture } from '../../src/state/index.js';
import { CHAIN_FRAMES, CHAINED, EAGER, frameRanges, LAZY, LAZY_FRAME_BYTES, MIN_PREFIX, placeFrames, TAIL_BYTES } from '../../src/state/body-frames.js';
import { Packr } from 'msgpackr';
import { filled, KINDS, ROWS, rowsOf } from './big-columns.js';
import { frameCheckpoint, headerBytes, storedBody } from '../../src/state/checkpoint-frame.js';
import { PendingColumn } from '../../src/state/column-blob.js';
import { lendingColumns } from '../../src/state/column-pool.js';
import { decodeNextInOwnMemory } from '../../src/state/compression.js';
import { lazyInRange } from '../../src/state/own-memory-decoder.js';

// Format 4: a large zstd body's number columns in frames of their own, which a restore leaves compressed until a
// chunk reading them is first used (body-frames.ts, own-memory-decoder.ts).

const EVERY_CHUNK = Array.from({ length: Math.ceil(ROWS / 4096) }, (_, k) => k * 4096).concat(ROWS - 1);

const expected = rowsOf(filled(), EVERY_CHUNK);

/** i => Math.sin(i % period), from a table: the tests read each of up to 2M rows' value three times. */
function periodicSine(period: number): (i: number) => number {
  const table = Float64Array.from({ length: period }, (_, i) => Math.sin(i));
  return (i) => table[i % period]!;
}

/**
 * The first of rows 0..n-1 whose value `read` gives is not `value(i)`, or -1: a loop, not an array of n
 * indexes (or a typed array copied into one) to call every() on, which cost more than the reads.
 */
function firstWrong(n: number, read: (i: number) => unknown, value: (i: number) => number): number {
  for (let i = 0; i < n; i++) if (read(i) !== value(i)) return i;
  return -1;
}

/** A checkpoint of one `n`-row float64 column (`value(i)`, sin(i) by default) beside a small cell. */
async function sines(n: number, value: (i: number) => number = Math.sin): Promise<Uint8Array> {
  await initZstd();
  const c = new LoggedColumns(['f64']);
  for (let i = 0; i < n; i++) c.setNumber(0, c.append(), value(i));
  const cells = [
    { id: 'small', kind: 'k', version: 1, mode: 'full' as const, state: { n: 1 } },
    { id: 'w', kind: 'window.length', version: 1, mode: 'full' as const, state: c.capture('full') },
  ];
  return sealCheckpoint(packCheckpoint({ revision: '000000000001000-000000', parent: null, mode: 'full', createdAt: 1000, cells }, { appName: 'Big', fingerprint: 'f' }), 'zstd');
}

async function checkpoint(): Promise<Uint8Array> {
  await initZstd();
  const cells = [
    { id: 'small', kind: 'k', version: 1, mode: 'full' as const, state: { n: 1 } },
    { id: 'w', kind: 'window.length', version: 1, mode: 'full' as const, state: filled().capture('full') },
  ];
  return sealCheckpoint(packCheckpoint({ revision: '000000000001000-000000', parent: null, mode: 'full', createdAt: 1000, cells }, { appName: 'Big', fingerprint: 'f' }), 'zstd');
}

/** A restore's decode of the window's state: its memory's lazy frames stay compressed. */
function decodeForRestore(bytes: Uint8Array): ColumnsCapture {
  decodeNextInOwnMemory();
  return lendingColumns(() => decodeCheckpoint(bytes)).cells[1]!.state as ColumnsCapture;
}

function pricesOf(state: ColumnsCapture): Float64Array {
  const c = state.c[0];
  expect(c).toBeInstanceOf(PendingColumn);
  return (c as PendingColumn).unsettled() as Float64Array;
}

describe('format 4 bodies', () => {
  it('frames each large region lazily, its tail apart, with eager frames between', () => {
    expect(frameRanges(1000, [])).toEqual([[0, 1000, EAGER]]);
    const end = 100 + 3 * TAIL_BYTES;
    expect(frameRanges(end + 10, [[100, end]])).toEqual([[0, 100, EAGER], [100, end - TAIL_BYTES, LAZY], [end - TAIL_BYTES, end, LAZY], [end, end + 10, EAGER]]);
    expect(placeFrames([10, 5, 0, 20, 7, 1], 30, 12)).toEqual([
      { rawAt: 0, rawLength: 10, storedAt: 0, storedLength: 5, lazy: false, chained: false },
      { rawAt: 10, rawLength: 20, storedAt: 5, storedLength: 7, lazy: true, chained: false },
    ]);
    expect(placeFrames([10, 5, 0, 20, 7, 1], 31, 12)).toBeUndefined();
    expect(placeFrames([10, 5, 3], 10, 5)).toBeUndefined();
  });

  it('chains each lazy frame of a region after its first to the one before, not its tail (format 5 only, after a lazy frame)', () => {
    const end = 100 + 2 * LAZY_FRAME_BYTES + 3 * TAIL_BYTES;
    expect(frameRanges(end, [[100, end]]).map(([, , kind]) => kind)).toEqual([EAGER, LAZY, CHAINED, CHAINED, LAZY]);
    const list = [10, 5, 1, 20, 7, 2];
    expect(placeFrames(list, 30, 12, true)![1]).toEqual({ rawAt: 10, rawLength: 20, storedAt: 5, storedLength: 7, lazy: true, chained: true });
    expect(placeFrames(list, 30, 12)).toBeUndefined();
    expect(placeFrames([10, 5, 0, 20, 7, 2], 30, 12, true)).toBeUndefined();
    expect(placeFrames([20, 7, 2], 20, 7, true)).toBeUndefined();
    // A prefix shorter than MIN_PREFIX bytes: the dictionary check would read past it, into the chained frame's own place.
    expect(placeFrames([7, 3, 1, 20, 7, 2], 27, 10, true)).toBeUndefined();
    expect(placeFrames([MIN_PREFIX, 3, 1, 20, 7, 2], MIN_PREFIX + 20, 10, true)![1]!.chained).toBe(true);
  });

  it('cuts a large region into frames of at most 1 MiB from its start, so no 4096-row chunk straddles two', () => {
    const start = 40;
    const end = start + 8 * 1_000_003; // a million and three float64s
    const ranges = frameRanges(end + 7, [[start, end]]);
    const lazy = ranges.filter(([, , l]) => l);
    expect(lazy.every(([s, e]) => e - s <= LAZY_FRAME_BYTES && e - s > 0)).toBe(true);
    expect(LAZY_FRAME_BYTES).toBeLessThanOrEqual(1 << 20);
    // Every frame starts at a whole chunk of float64s (32 KiB) and of offsets (16 KiB) from the region's start.
    expect(lazy.every(([s]) => (s - start) % (4096 * 8) === 0)).toBe(true);
    expect(lazy.at(-1)![1]).toBe(end);
    expect(end - lazy.at(-1)![0]).toBeLessThanOrEqual(TAIL_BYTES);
    expect(ranges.map(([s, e]) => e - s).reduce((a, b) => a + b)).toBe(end + 7);
  });

  it('decodes only the frame holding the rows a restored chunk reads', async () => {
    const n = 300_000;
    const bytes = await sines(n);
    const state = decodeForRestore(bytes);
    const values = pricesOf(state);
    const r = new LoggedColumns(['f64']);
    r.restore(state);
    expect(r.getNumber(0, r.slot(0))).toBe(Math.sin(0));
    const byteOfRow = (i: number) => values.byteOffset + 8 * i;
    // The head frame is decoded; the rows of the next chunk after it are not.
    const rowsPerFrame = LAZY_FRAME_BYTES / 8;
    expect(lazyInRange(values.buffer, byteOfRow(rowsPerFrame - 1), byteOfRow(rowsPerFrame))).toBe(false);
    expect(lazyInRange(values.buffer, byteOfRow(rowsPerFrame), byteOfRow(rowsPerFrame + 1))).toBe(true);
    expect(lazyInRange(values.buffer, byteOfRow(2 * 4096), byteOfRow(n))).toBe(true);
    expect(r.getNumber(0, r.slot(n - 1))).toBe(Math.sin(n - 1));
    expect(r.getNumber(0, r.slot(200_000))).toBe(Math.sin(200_000));
  });

  it('writes a region of several lazy frames as format 5, chained, and decodes a chained frame read first after the one before it', async () => {
    const n = 300_000;
    // Repeating every 50,000 rows: a chained frame's first rows match only its prefix.
    const value = periodicSine(50_000);
    const bytes = await sines(n, value);
    expect(headerBytes(bytes).version).toBe(5);
    expect(readCheckpointHeader(bytes).frames!.filter((_, i) => i % 3 === 2)).toEqual([EAGER, LAZY, CHAINED, CHAINED, LAZY, EAGER]);
    const state = decodeForRestore(bytes);
    const values = pricesOf(state);
    const rowsPerFrame = LAZY_FRAME_BYTES / 8;
    const byteOfRow = (i: number) => values.byteOffset + 8 * i;
    const r = new LoggedColumns(['f64']);
    r.restore(state);
    expect(lazyInRange(values.buffer, byteOfRow(0), byteOfRow(1))).toBe(true);
    // Row 200,000 lies in the chained frame: the frame before it is decoded first (its prefix).
    expect(r.getNumber(0, r.slot(200_000))).toBe(value(200_000));
    expect(lazyInRange(values.buffer, byteOfRow(0), byteOfRow(rowsPerFrame))).toBe(false);
    expect(firstWrong(n, (i) => r.getNumber(0, r.slot(i)), value)).toBe(-1);
    // Outside a restore the body is decoded whole, chained frames too.
    decodeCheckpoint(bytes);
    const whole = decodeCheckpoint(bytes).cells[1]!.state as ColumnsCapture;
    expect(whole.c[0]).toBeInstanceOf(Float64Array);
    expect((whole.c[0] as Float64Array).every((v, i) => v === value(i))).toBe(true);
  });

  it('starts a region\'s chain again every CHAIN_FRAMES frames, so a first read deep in a column decodes at most that many', async () => {
    const n = 2_000_000;
    const rowsPerFrame = LAZY_FRAME_BYTES / 8;
    const value = periodicSine(70_000);
    const bytes = await sines(n, value);
    const kinds = readCheckpointHeader(bytes).frames!.filter((_, i) => i % 3 === 2);
    const region = Array.from({ length: Math.floor((8 * n - 1) / LAZY_FRAME_BYTES) + 1 }, (_, k) => (k % CHAIN_FRAMES === 0 ? LAZY : CHAINED));
    expect(kinds).toEqual([EAGER, ...region, LAZY, EAGER]);
    const state = decodeForRestore(bytes);
    const values = pricesOf(state);
    const r = new LoggedColumns(['f64']);
    r.restore(state);
    const frame = 14;
    expect(r.getNumber(0, r.slot(frame * rowsPerFrame + 5))).toBe(value(frame * rowsPerFrame + 5));
    const pending = region.map((_, k) => lazyInRange(values.buffer, values.byteOffset + k * LAZY_FRAME_BYTES, values.byteOffset + k * LAZY_FRAME_BYTES + 8));
    const decoded = pending.flatMap((p, k) => (p ? [] : [k]));
    // Frames 8 to 14: the read's own and those before it back to where its chain starts.
    expect(decoded).toEqual(Array.from({ length: frame % CHAIN_FRAMES + 1 }, (_, k) => frame - (frame % CHAIN_FRAMES) + k));
    expect(decoded.length).toBeLessThanOrEqual(CHAIN_FRAMES);
    expect(firstWrong(n, (i) => r.getNumber(0, r.slot(i)), value)).toBe(-1);
    const whole = decodeCheckpoint(bytes).cells[1]!.state as ColumnsCapture;
    expect((whole.c[0] as Float64Array).every((v, i) => v === value(i))).toBe(true);
  });

  it('does not chain a frame to one whose first bytes read as a zstd dictionary', async () => {
    const n = 300_000;
    const rowsPerFrame = LAZY_FRAME_BYTES / 8;
    // 0x3ff00000_ec30a437: its little-endian bytes start 37 a4 30 ec, the magic of a zstd dictionary.
    const magic = new Float64Array(new BigUint64Array([0x3ff00000ec30a437n]).buffer)[0]!;
    const value = (i: number) => (i === rowsPerFrame ? magic : Math.sin(i));
    const bytes = await sines(n, value);
    // The frame starting at that row is chained to the one before; the next one is written lazy on its own.
    expect(readCheckpointHeader(bytes).frames!.filter((_, i) => i % 3 === 2)).toEqual([EAGER, LAZY, CHAINED, LAZY, LAZY, EAGER]);
    const r = new LoggedColumns(['f64']);
    r.restore(decodeForRestore(bytes));
    expect(firstWrong(n, (i) => r.getNumber(0, r.slot(i)), value)).toBe(-1);
  });

  it('fails every read of a frame chained to one that does not decode', async () => {
    const bytes = await sines(300_000);
    const header = readCheckpointHeader(bytes);
    const stored = storedBody(bytes, headerBytes(bytes).end);
    const frames = placeFrames(header.frames!, header.rawLength, stored.length, true)!;
    const state = decodeForRestore(bytes);
    const values = pricesOf(state);
    const first = frames.find((f) => f.lazy)!;
    const memory = Buffer.from(values.buffer);
    const at = memory.indexOf(Buffer.from(stored.subarray(first.storedAt, first.storedAt + first.storedLength)));
    expect(at).toBeGreaterThanOrEqual(0);
    memory[at] = memory[at]! ^ 0xff;
    const r = new LoggedColumns(['f64']);
    r.restore(state);
    expect(() => r.getNumber(0, r.slot(200_000))).toThrow(/could not be decoded/);
    expect(() => r.getNumber(0, r.slot(200_000))).toThrow(/could not be decoded/);
  });

  it('writes a zstd body with large number columns as format 4, their values in lazy frames, and decodes it whole outside a restore', async () => {
    const bytes = await checkpoint();
    expect(headerBytes(bytes).version).toBe(4);
    const frames = readCheckpointHeader(bytes).frames!;
    // Prices and the timestamps' offsets, each a head and a tail; the byte column and the dictionary's codes stay eager.
    expect(frames.filter((_, i) => i % 3 === 2 && frames[i] === 1)).toHaveLength(4);
    const state = decodeCheckpoint(bytes).cells[1]!.state as ColumnsCapture;
    expect(state.c[0]).toBeInstanceOf(Float64Array);
    const c = new LoggedColumns(KINDS);
    c.restore(state);
    expect(rowsOf(c, EVERY_CHUNK)).toEqual(expected);
  });

  it('leaves a restored window\'s number columns compressed until a chunk is read, then decodes them', async () => {
    const state = decodeForRestore(await checkpoint());
    const prices = pricesOf(state);
    const head = [prices.byteOffset, prices.byteOffset + 8];
    expect(lazyInRange(prices.buffer, head[0]!, head[1]!)).toBe(true);
    const c = new LoggedColumns(KINDS);
    c.restore(state);
    // The restore read the last, partial chunk (its own frame), nothing else.
    expect(lazyInRange(prices.buffer, head[0]!, head[1]!)).toBe(true);
    expect(rowsOf(c, [0])).toEqual([expected[0]]);
    expect(lazyInRange(prices.buffer, head[0]!, head[1]!)).toBe(false);
    expect(rowsOf(c, EVERY_CHUNK)).toEqual(expected);
    // A capture of the restored rows reads back the same.
    const again = new LoggedColumns(KINDS);
    again.restore(c.capture('full'));
    expect(rowsOf(again, EVERY_CHUNK)).toEqual(expected);
  });

  it('fails every read of a lazy frame that does not decode, never reading zeros', async () => {
    const bytes = await checkpoint();
    const { end } = headerBytes(bytes);
    const stored = storedBody(bytes, end);
    const header = readCheckpointHeader(bytes);
    const frames = placeFrames(header.frames!, header.rawLength, stored.length)!;
    const state = decodeForRestore(bytes);
    const prices = pricesOf(state);
    // The first lazy frame (the prices' head) sits compressed in the decoder's memory: damage its magic number there.
    const first = frames.find((f) => f.lazy)!;
    const frame = stored.subarray(first.storedAt, first.storedAt + first.storedLength);
    const memory = Buffer.from(prices.buffer);
    const at = memory.indexOf(Buffer.from(frame));
    expect(at).toBeGreaterThanOrEqual(0);
    memory[at] = memory[at]! ^ 0xff;
    const c = new LoggedColumns(KINDS);
    c.restore(state);
    expect(() => c.getNumber(0, c.slot(0))).toThrow(SiddhiStateError);
    expect(() => c.getNumber(0, c.slot(0))).toThrow(/could not be decoded/);
    // Nor is a checkpoint of them written with zeros.
    expect(() => c.capture('full').toJSON()).toThrow(/could not be decoded/);
  });
});

/** `bytes` with its header's frame list and stored body edited, its checksums made to hold again (a crafted file). */
function reframed(bytes: Uint8Array, edit: (frames: number[], stored: Uint8Array) => void): Uint8Array {
  const header = readCheckpointHeader(bytes);
  const frames = [...header.frames!];
  const stored = storedBody(bytes, headerBytes(bytes).end).slice();
  edit(frames, stored);
  return frameCheckpoint(new Packr({ useRecords: true, moreTypes: true }).pack({ ...header, frames }), stored, 4);
}

describe('format 4 lazy frames, checked at restore', () => {
  it('refuses a lazy frame whose zstd frame does not match the frame list, whose checksums hold', async () => {
    const bytes = await checkpoint();
    const header = readCheckpointHeader(bytes);
    const frames = placeFrames(header.frames!, header.rawLength, storedBody(bytes, headerBytes(bytes).end).length)!;
    const lazy = frames.filter((f) => f.lazy);
    // Each lazy frame's bytes after its first 8 overwritten.
    for (const f of lazy) {
      const crafted = reframed(bytes, (_, stored) => stored.fill(0x5a, f.storedAt + 8, f.storedAt + f.storedLength));
      expect(() => decodeForRestore(crafted)).toThrow(/lazy frame's zstd header/);
    }
    // A frame list that says a lazy frame decodes to fewer bytes, the next eager one to more.
    const at = header.frames!.findIndex((v, i) => i % 3 === 2 && v === 1) - 2;
    const crafted = reframed(bytes, (list) => {
      list[at] = list[at]! - 8;
      list[at + 3] = list[at + 3]! + 8;
    });
    expect(() => decodeForRestore(crafted)).toThrow(/lazy frame's zstd header/);
    // The original restores.
    expect(pricesOf(decodeForRestore(bytes)).length).toBe(ROWS);
  });

  it('refuses chained frames in a format 4 file', async () => {
    const bytes = await sines(300_000);
    const list = readCheckpointHeader(bytes).frames!;
    const crafted = reframed(bytes, () => undefined);
    expect(headerBytes(crafted).version).toBe(4);
    expect(list).toContain(CHAINED);
    expect(() => decodeForRestore(crafted)).toThrow(/frame list does not match/);
    expect(() => decodeCheckpoint(crafted)).toThrow(/frame list does not match/);
  });

  it('refuses a frame list flagging lazy a frame that holds more than number columns\' values', async () => {
    const bytes = await checkpoint();
    const list = readCheckpointHeader(bytes).frames!;
    const eager = list.flatMap((v, i) => (i % 3 === 2 && v === 0 ? [i] : []));
    expect(eager.length).toBeGreaterThan(1);
    for (const i of eager) {
      const crafted = reframed(bytes, (frames) => {
        frames[i] = 1;
      });
      expect(() => decodeForRestore(crafted)).toThrow(SiddhiStateError);
    }
  });
});
