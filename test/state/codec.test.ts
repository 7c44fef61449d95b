import { describe, expect, it } from 'vitest';
import {
  decodeCheckpoint, headerExtent, initZstd, packCheckpoint, packCheckpointAsync, readCheckpointHeader, sealCheckpoint, sealCheckpointAsync,
  LoggedColumns, type Captured, type Compression,
} from '../../src/state/index.js';
import { Packr } from 'msgpackr';
import { SiddhiStateError } from '../../src/errors.js';
import { frameCheckpoint } from '../../src/state/checkpoint-frame.js';
import { compressBody } from '../../src/state/compression.js';
import { CHECKED_MAX_CELLS } from '../../src/state/codec.js';
import { expectEqual } from '../expect-equal.js';

const app = { appName: 'Trades', fingerprint: 'abc123' };

function sample(): Captured {
  const rows: unknown[] = [];
  for (let i = 0; i < 200; i++) rows.push([1000 + i, ['IBM', i * 1.5, i, i % 2 === 0, null, 'ü€😀'], 0]);
  return {
    revision: '000000000001000-000000',
    parent: null,
    mode: 'full',
    createdAt: 1000,
    inputs: { StockStream: 200, Other: 0 },
    meta: { note: 'x' },
    cells: [
      { id: 'q1/0:window.length', kind: 'window.length', version: 1, mode: 'full', state: { f: rows } },
      {
        id: 'q2/1:groupBy',
        kind: 'select.groupBy',
        version: 2,
        mode: 'full',
        state: {
          groups: new Map<unknown, unknown>([['IBM', { sum: 0.1 + 0.2, n: 3 }], [7, [1, 'a', null]]]),
          seen: new Set([1, 'a', 2.5]),
          doubles: [1e300, -1.5e-300, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, Number.MIN_VALUE, NaN, Infinity, -Infinity, 12345678901234],
          plain: { a: 1, b: [true, false] },
          nothing: undefined,
        },
      },
      { id: 'empty', kind: 'k', version: 1, mode: 'delta', state: null },
    ],
  };
}

function expectRefused(bytes: Uint8Array): void {
  let error: unknown;
  try {
    decodeCheckpoint(bytes);
  } catch (e) {
    error = e;
  }
  // expect() only on a miss: this runs for every flipped byte and truncation.
  if (!(error instanceof SiddhiStateError)) expect(error).toBeInstanceOf(SiddhiStateError);
}

describe('checkpoint envelope', () => {
  for (const compression of ['none', 'lz4', 'zstd'] as Compression[]) {
    it(`round trips with ${compression}`, async () => {
      const captured = sample();
      const bytes = await sealCheckpointAsync(packCheckpoint(captured, app), compression);
      expect([...bytes.subarray(0, 4)]).toEqual([0x53, 0x44, 0x43, 0x4b]);
      const decoded = decodeCheckpoint(bytes);
      expect(decoded.header).toMatchObject({
        ...app, revision: captured.revision, parent: null, createdAt: 1000, mode: 'full',
        codec: 'msgpackr', compression, cellCount: 3, inputs: { StockStream: 200, Other: 0 }, meta: { note: 'x' },
      });
      expect(decoded.cells).toEqual(captured.cells);
      const groups = decoded.cells[1]!.state as any;
      expect(groups.groups).toBeInstanceOf(Map);
      expect(groups.seen).toBeInstanceOf(Set);
      expect(groups.plain).not.toBeInstanceOf(Map);
      expect(groups.groups.get('IBM').sum).toBe(0.1 + 0.2);
      expect(groups.doubles[3]).toBe(2 ** 53 + 2);
      expect(readCheckpointHeader(bytes.subarray(0, headerExtent(bytes))).revision).toBe(captured.revision);
    });
  }

  it('compresses repetitive state', () => {
    const packed = packCheckpoint(sample(), app);
    expect(sealCheckpoint(packed, 'lz4').length).toBeLessThan(sealCheckpoint(packed, 'none').length / 2);
  });

  for (const compression of ['none', 'lz4', 'zstd'] as Compression[]) {
    it(`refuses every single flipped byte and every truncation (${compression})`, async () => {
      const small: Captured = { ...sample(), cells: sample().cells.slice(1) };
      const bytes = await sealCheckpointAsync(packCheckpoint(small, app), compression);
      for (let i = 0; i < bytes.length; i++) {
        for (const mask of [0x01, 0x80, 0xff]) {
          const bad = bytes.slice();
          bad[i]! ^= mask;
          expectRefused(bad);
        }
      }
      for (let n = 0; n < bytes.length; n++) expectRefused(bytes.slice(0, n));
      for (let i = 0; i < bytes.length; i += 7) expectRefused(new Uint8Array([...bytes.subarray(0, i), ...bytes.subarray(i + 1)]));
      expectRefused(new Uint8Array([...bytes, 0]));
      expect(decodeCheckpoint(bytes).cells.length).toBe(2);
    });
  }

  it('names the reason', () => {
    const bytes = sealCheckpoint(packCheckpoint(sample(), app), 'none');
    const wrongMagic = bytes.slice();
    wrongMagic[0] = 0x50;
    expect(() => decodeCheckpoint(wrongMagic)).toThrow(/no 'SDCK' magic/);
    const newer = bytes.slice();
    newer[5] = 9;
    expect(() => decodeCheckpoint(newer)).toThrow(/newer siddhi-ts/);
    const body = bytes.slice();
    body[body.length - 100]! ^= 1;
    expect(() => decodeCheckpoint(body)).toThrow(/checksum/);
    expect(() => decodeCheckpoint(new Uint8Array(3))).toThrow(/too short/);
  });
});

describe('checkpoint body decoding', () => {
  /** A file whose checksums hold around a body that does not decode: what a faulty writer would leave. */
  function framed(header: Record<string, unknown>, stored: Uint8Array): Uint8Array {
    return frameCheckpoint(new Packr({ useRecords: true, moreTypes: true }).pack(header), stored);
  }

  it("refuses a cell whose state does not match its own checksum, even inside a file whose checksums hold", () => {
    const packed = packCheckpoint(sample(), app);
    const packr = new Packr({ useRecords: true, moreTypes: true });
    const rows = packr.unpack(packed.body) as unknown[][];
    const i = groupByRow(rows);
    rows[i]![4] = ((rows[i]![4] as number) ^ 1) >>> 0;
    const header = { ...packed.header, compression: 'none', rawLength: 0 };
    const body = packr.pack(rows);
    expect(() => decodeCheckpoint(framed({ ...header, rawLength: body.length }, body))).toThrow(/checksum mismatch in cell 'q2\/1:groupBy'/);
    expect(decodeCheckpoint(sealCheckpoint(packed)).cells).toEqual(sample().cells);
  });

  /** Where the row of cell 'q2/1:groupBy' is in a cell table (format 3 pads before large rows). */
  function groupByRow(table: readonly unknown[]): number {
    return table.findIndex((r) => Array.isArray(r) && r[0] === 'q2/1:groupBy');
  }

  /** A packed sample whose cell 'q2/1:groupBy' has a wrong checksum, as a body and the header to frame it with. */
  function misassembled(): { header: Record<string, unknown>; body: Uint8Array } {
    const packed = packCheckpoint(sample(), app);
    const packr = new Packr({ useRecords: true, moreTypes: true });
    const rows = packr.unpack(packed.body) as unknown[][];
    const i = groupByRow(rows);
    rows[i]![4] = ((rows[i]![4] as number) ^ 1) >>> 0;
    const body = packr.pack(rows);
    return { header: { ...packed.header, rawLength: body.length }, body };
  }

  it('seals only a body whose every state still matches its checksum, and says so in the header', async () => {
    await initZstd();
    const packed = packCheckpoint(sample(), app);
    for (const compression of ['none', 'lz4', 'zstd'] as Compression[]) {
      expect(readCheckpointHeader(sealCheckpoint(packed, compression)).cellsChecked).toBe(true);
    }
    // What a body assembled in a reused buffer would look like if something wrote into it before sealing.
    const changed = { ...packed, body: packed.body.slice() };
    const table = new Packr({ useRecords: true, moreTypes: true }).unpack(changed.body) as unknown[][];
    const cell = table[groupByRow(table)]![5] as Uint8Array;
    changed.body[cell.byteOffset - changed.body.byteOffset + (cell.length >> 1)]! ^= 0x40;
    expect(() => sealCheckpoint(changed, 'zstd')).toThrow(/state of cell 'q2\/1:groupBy' changed after its checkpoint body was assembled/);
    expect(() => sealCheckpoint(changed, 'none')).toThrow(SiddhiStateError);
  });

  it('leaves a body of many cells to be checked on restore (reading its table back would cost more than it saves)', () => {
    const many: Captured = { ...sample(), cells: Array.from({ length: CHECKED_MAX_CELLS + 1 }, (_, i) => ({ id: `c${i}`, kind: 'k', version: 1, mode: 'full' as const, state: i })) };
    const bytes = sealCheckpoint(packCheckpoint(many, app), 'none');
    expect(readCheckpointHeader(bytes).cellsChecked).toBeUndefined();
    expect(decodeCheckpoint(bytes).cells.map((c) => c.state)).toEqual(many.cells.map((c) => c.state));
  });

  it('checks each state again when its body came through a JavaScript decoder or from a writer that did not check it', () => {
    const { header, body } = misassembled();
    expect(() => decodeCheckpoint(framed({ ...header, compression: 'lz4', cellsChecked: true }, compressBody(body, 'lz4'))))
      .toThrow(/checksum mismatch in cell 'q2\/1:groupBy'/);
    expect(() => decodeCheckpoint(framed({ ...header, compression: 'none' }, body))).toThrow(/checksum mismatch in cell 'q2\/1:groupBy'/);
    expect(() => decodeCheckpoint(framed({ ...header, compression: 'none', cellsChecked: 'yes' }, body))).toThrow(/malformed header/);
  });

  for (const compression of ['lz4', 'zstd'] as Compression[]) {
    it(`refuses a checksummed ${compression} body that does not decompress to its recorded length, and decodes the next one`, async () => {
      await initZstd();
      const packed = packCheckpoint(sample(), app);
      const good = await sealCheckpointAsync(packed, compression);
      const header = { ...packed.header, compression, rawLength: packed.body.length };
      const stored = compressBody(packed.body, compression);
      expect(() => decodeCheckpoint(framed({ ...header, rawLength: packed.body.length - 1 }, stored))).toThrow(SiddhiStateError);
      expect(() => decodeCheckpoint(framed({ ...header, rawLength: packed.body.length + 1 }, stored))).toThrow(SiddhiStateError);
      expect(() => decodeCheckpoint(framed(header, stored.subarray(0, stored.length >> 1)))).toThrow(SiddhiStateError);
      expect(decodeCheckpoint(good).cells).toEqual(sample().cells);
    });
  }

  for (const compression of ['none', 'zstd'] as Compression[]) {
    it(`gives cell states their own bytes, not views of the file or the decoder's memory (${compression})`, async () => {
      await initZstd();
      const blob = Buffer.from([1, 2, 3, 4]);
      const captured: Captured = { ...sample(), cells: [{ id: 'b', kind: 'k', version: 1, mode: 'full', state: { blob, f: new Float64Array([1.5, 2.5]) } }] };
      const bytes = await sealCheckpointAsync(packCheckpoint(captured, app), compression);
      const state = decodeCheckpoint(bytes).cells[0]!.state as { blob: Uint8Array; f: Float64Array };
      bytes.fill(0);
      decodeCheckpoint(await sealCheckpointAsync(packCheckpoint(sample(), app), compression));
      expect([...state.blob]).toEqual([1, 2, 3, 4]);
      expect([...state.f]).toEqual([1.5, 2.5]);
    });
  }

  it('packs large states of concurrent checkpoints apart (a large state may reuse the buffer of the one before)', async () => {
    const large = (seed: number) => Float64Array.from({ length: 200_000 }, (_, i) => seed + i * 0.25);
    const capture = (seed: number, id: string): Captured => ({
      ...sample(),
      cells: [
        { id: `${id}-small`, kind: 'k', version: 1, mode: 'full', state: { seed } },
        { id, kind: 'k', version: 1, mode: 'full', state: { f: large(seed) } },
        { id: `${id}-after`, kind: 'k', version: 1, mode: 'full', state: [seed, 'x'.repeat(5000)] },
      ],
    });
    const check = (body: ReturnType<typeof packCheckpoint>, seed: number) => {
      const cells = decodeCheckpoint(sealCheckpoint(body)).cells.map((c) => c.state);
      expectEqual(cells[0], { seed });
      expectEqual((cells[1] as { f: Float64Array }).f, large(seed));
      expectEqual(cells[2], [seed, 'x'.repeat(5000)]);
    };
    // The first packs learn which cells are large; the next ones may pack those into the kept buffer.
    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([packCheckpointAsync(capture(round, 'a'), app, 0), packCheckpointAsync(capture(round + 10, 'b'), app, 0)]);
      const c = packCheckpoint(capture(round + 20, 'a'), app);
      check(a, round);
      check(b, round + 10);
      check(c, round + 20);
    }
  });
});

describe('file format', () => {
  /** A window of `rows` rows: non-integer prices, one-byte flags, symbols (a dictionary): each a column blob from 64 rows. */
  function windowState(rows: number): unknown {
    const c = new LoggedColumns(['f64', 'u8', 'any']);
    for (let i = 0; i < rows; i++) {
      const s = c.append();
      c.setNumber(0, s, i + 0.5);
      c.setU8(1, s, i % 3);
      c.setValue(2, s, ['IBM', 'ORCL'][i % 2]);
    }
    return c.capture('full');
  }

  function sealed(rows: number, compression: Compression): Uint8Array {
    const captured: Captured = { ...sample(), cells: [{ id: 'small', kind: 'k', version: 1, mode: 'full', state: { n: 1 } }, { id: 'w', kind: 'window.length', version: 1, mode: 'full', state: windowState(rows) }] };
    return sealCheckpoint(packCheckpoint(captured, app), compression);
  }

  /** The form bytes of the column blobs (msgpack ext 32 of type 0x63) in an uncompressed body. */
  function blobForms(bytes: Uint8Array): number[] {
    const forms: number[] = [];
    for (let i = 0; i + 6 < bytes.length; i++) if (bytes[i] === 0xc9 && bytes[i + 5] === 0x63) forms.push(bytes[i + 6]!);
    return forms;
  }

  it('writes a body that needs no aligning (small states) as format 2, readable by a format 2 reader', async () => {
    await initZstd();
    for (const compression of ['none', 'zstd'] as const) {
      const bytes = sealed(100, compression);
      expect(Buffer.from(bytes).readUInt16BE(4)).toBe(2);
      expect(decodeCheckpoint(bytes).cells[1]!.state).toEqual(packedAndBack(windowState(100)));
    }
    // No padded blob (form bit 0x80, which format 2 readers do not know) nor padding in the cell table.
    const forms = blobForms(sealed(100, 'none'));
    expect(forms.length).toBe(3);
    expect(forms.every((f) => f < 0x80)).toBe(true);
  });

  it('writes a body with a large state as format 3, its large column blobs padded', () => {
    const bytes = sealed(2000, 'none');
    expect(Buffer.from(bytes).readUInt16BE(4)).toBe(3);
    // The prices (16 KB) padded; the flags (2 KB) and symbol indexes (2 KB) not.
    expect(blobForms(bytes).map((f) => f >= 0x80)).toEqual([true, false, false]);
    expect(decodeCheckpoint(bytes).cells[1]!.state).toEqual(packedAndBack(windowState(2000)));
  });
});

/** A state as decodeCheckpoint gives it back (column blobs decoded). */
function packedAndBack(state: unknown): unknown {
  return decodeCheckpoint(sealCheckpoint(packCheckpoint({ ...sample(), cells: [{ id: 'x', kind: 'k', version: 1, mode: 'full', state }] }, app))).cells[0]!.state;
}
