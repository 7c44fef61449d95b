// The packed form of a large typed column in a checkpoint (msgpack extension
// 0x63): its bytes, decoded into the array the column keeps: a view of the
// decoded body when the body lies in memory of its own (see ownBody), else one
// copy (msgpackr's own typed arrays are copied once more to align them); int32
// offsets stay offsets until a restored chunk is first read (OffsetColumn).
// column-forms.ts wraps captured columns in it; restore reads the decoded arrays.

import { addExtension, Unpackr } from 'msgpackr';
import { ALIGNED_MIN_BYTES } from './cell-table.js';
import { columnBuffer, lendView } from './column-pool.js';
import { isOwnBody, noteOwnBody } from './own-bodies.js';
import { lazyInRange, noteLazyColumn, settleOwnRange } from './own-memory-decoder.js';

export const COLUMN_EXTENSION = 0x63;

const F64 = 0;
const OFFSETS = 1;
const U8 = 2;
const U16 = 3;
/**
 * Format 3 sets this bit on the form: a pad count p (0-7), p zero bytes, the
 * form's contents, then 7 - p zero bytes, so the values start 8-aligned in a
 * body whose cell bytes start 8-aligned (codec.ts lays them out so). Only
 * blobs of at least ALIGNED_MIN_BYTES of values are padded: the state holding
 * one is then large enough to be padded in the cell table too, so a body
 * without padding there has none anywhere and is written as format 2.
 */
const PADDED = 0x80;
const PAD = 7;

export type BlobArray = Float64Array | Int32Array | Uint8Array | Uint16Array;

/**
 * A typed column to pack, as one array or as runs packed one after another (a
 * window's chunk segments, not gathered first). With `base`, int32 offsets
 * from it stand for float64 values: given as Int32Arrays, or as Float64Arrays
 * whose every value is `base` plus an exact int32 (packNumbers checks).
 */
export class ColumnBlob {
  readonly parts: readonly BlobArray[];

  constructor(
    array: BlobArray | readonly BlobArray[],
    readonly base?: number,
  ) {
    this.parts = ArrayBuffer.isView(array) ? [array] : array;
  }

  /** What the packed blob decodes to (offsets expanded), without packing it: a restore from an unpacked capture. Always a copy. */
  decoded(): Float64Array | Uint8Array | Uint16Array {
    const first = this.parts[0];
    const offsets = this.base !== undefined || first instanceof Int32Array;
    const Type = offsets || first instanceof Float64Array ? Float64Array : first instanceof Uint16Array ? Uint16Array : Uint8Array;
    const out = new Type(this.parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of this.parts) {
      if (p instanceof Int32Array) out.set(expand(this.base ?? 0, p), at);
      else out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/**
 * Padded form byte, pad (a form byte alone for a small blob), then (offsets) the base as a little-endian float64,
 * then the values' bytes (platform order, as msgpackr's typed arrays), then the
 * rest of the pad. The pad aligns the values within msgpackr's buffer, whose
 * packs start 8-aligned; a reader checks the alignment it gets.
 */
function packBlob(blob: ColumnBlob, allocateForWrite: (size: number) => { target: Uint8Array; position: number }): void {
  const parts = blob.parts;
  const first = parts[0];
  const form = blob.base !== undefined || first instanceof Int32Array ? OFFSETS
    : first instanceof Uint8Array ? U8 : first instanceof Uint16Array ? U16 : F64;
  let values = 0;
  for (const p of parts) values += form === OFFSETS ? p.length * 4 : p.byteLength;
  const head = form === OFFSETS ? 8 : 0;
  const padded = values >= ALIGNED_MIN_BYTES;
  const length = (padded ? 2 + PAD : 1) + head + values;
  const { target, position } = allocateForWrite(6 + length);
  const pad = padded ? (8 - ((target.byteOffset + position + 8 + head) & 7)) & 7 : 0;
  let p = position;
  target[p++] = 0xc9; // ext 32
  target[p++] = length >>> 24;
  target[p++] = (length >>> 16) & 0xff;
  target[p++] = (length >>> 8) & 0xff;
  target[p++] = length & 0xff;
  target[p++] = COLUMN_EXTENSION;
  if (padded) {
    target[p++] = form | PADDED;
    target[p++] = pad;
    target.fill(0, p, p + pad);
    p += pad;
  } else target[p++] = form;
  const base = blob.base ?? 0;
  if (form === OFFSETS) {
    new DataView(target.buffer, target.byteOffset + p, 8).setFloat64(0, base, true);
    p += 8;
  }
  for (const a of parts) {
    if (form === OFFSETS && a instanceof Float64Array) p = writeOffsets(target, p, a, base);
    else {
      target.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), p);
      p += a.byteLength;
    }
  }
  if (padded) target.fill(0, p, p + PAD - pad);
}

/** Writes `values[r] - base` as int32s at `p` through a small aligned scratch block; returns the end. */
function writeOffsets(target: Uint8Array, p: number, values: Float64Array, base: number): number {
  const n = values.length;
  for (let at = 0; at < n; at += BLOCK.length) {
    const count = Math.min(BLOCK.length, n - at);
    for (let r = 0; r < count; r++) BLOCK[r] = values[at + r]! - base;
    target.set(BLOCK_BYTES.subarray(0, count * 4), p);
    p += count * 4;
  }
  return p;
}

/**
 * A float64 column as decoded from offsets: `base + offsets[r]` is row r's
 * value. A restore keeps it so and expands a chunk's rows when the chunk is
 * first read (see RestoredChunk): touching fresh memory is most of a large
 * restore's cost, and the offsets are half the values' bytes.
 */
export class OffsetColumn {
  constructor(
    readonly base: number,
    readonly offsets: Int32Array,
  ) {}

  /** The values, as a new array. */
  expand(): Float64Array {
    return expand(this.base, this.offsets);
  }
}

/**
 * Marks `body` as lying in memory of its own that nothing writes until no
 * column views it any more (own-bodies.ts says when): its columns may view it
 * instead of copying (a 1M-event window's ~17 MB, each fresh page of which
 * costs a first-touch fault). Writers never write restored rows in place
 * (LoggedColumns copies a captured chunk before its first write). A view keeps
 * the whole memory reachable (the file, the body and the decoder's context:
 * ~20 MB for a 1M-event window) until the last restored column viewing it is
 * gone or, when its app is shut down, a later restore takes the memory.
 */
export function ownBody(body: Uint8Array): void {
  noteOwnBody(body.buffer);
}

/** Whether `a` views a body marked by ownBody (a restored column that may stay a view). */
export function viewsOwnBody(a: ArrayBufferView): boolean {
  return isOwnBody(a.buffer);
}

/**
 * A number column whose values lie in a lazy frame of its body (formats 4 and 5,
 * own-memory-decoder.ts) not decoded yet: `value()` decodes them first; a
 * restored chunk reads `unsettled()` and decodes its own rows on first use
 * (RestoredChunk), so a restore touches none of those pages.
 */
export class PendingColumn {
  constructor(
    private readonly column: Float64Array | OffsetColumn,
    private readonly buffer: ArrayBufferLike,
    /** Byte offset of the first value in `buffer`. */
    private readonly at: number,
  ) {}

  /** The column, every value decoded. */
  value(): Float64Array | OffsetColumn {
    this.settleRows(0, this.column instanceof OffsetColumn ? this.column.offsets.length : this.column.length);
    return this.column;
  }

  /** The column as it will be: its values may not be read before settleRows covered them. */
  unsettled(): Float64Array | OffsetColumn {
    return this.column;
  }

  /** Decodes the values of rows [from, from + n) (throws if the decoder fails: see settleOwnRange). */
  settleRows(from: number, n: number): void {
    const width = this.column instanceof OffsetColumn ? 4 : 8;
    settleOwnRange(this.buffer, this.at + from * width, this.at + (from + n) * width);
  }
}

/** Blobs of at least this many bytes of numbers go to lazy frames (codec.ts: formats 4 and 5). */
const LAZY_MIN_BYTES = 1 << 18;

/** Set while numberColumnRanges scans a state: where its blobs' values are, relative to the body. */
let scan: { readonly body: Uint8Array; readonly out: [number, number][] } | undefined;
const scanner = new Unpackr({ useRecords: true, moreTypes: true });

/**
 * Byte ranges of `body` holding the values of the large number columns in
 * `state` (a cell's packed state, viewing `body`), sorted: the parts of a body
 * a restore may leave compressed until they are read. Their headers (and an
 * offsets column's base) are outside the ranges.
 */
export function numberColumnRanges(state: Uint8Array, body: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  scan = { body, out };
  try {
    scanner.unpack(state);
  } finally {
    scan = undefined;
  }
  return out;
}

/** `data` views the checkpoint body: a copy, or (ownBody, aligned) a view of it, a PendingColumn while that is not decoded yet. */
export function unpackBlob(data: Uint8Array): Float64Array | OffsetColumn | Uint8Array | Uint16Array | PendingColumn | null {
  let from = 1;
  let end = data.length;
  const form = data[0]! & ~PADDED;
  if ((data[0]! & PADDED) !== 0) {
    const pad = data[1]!;
    if (data.length < 2 + PAD || pad > PAD) throw new Error('malformed column padding');
    from = 2 + pad;
    end = data.length - (PAD - pad);
  }
  const valuesAt = data.byteOffset + from + (form === OFFSETS ? 8 : 0);
  const valuesEnd = data.byteOffset + end;
  if (scan !== undefined) {
    const { body, out } = scan;
    if ((form === F64 || form === OFFSETS) && valuesEnd - valuesAt >= LAZY_MIN_BYTES && data.buffer === body.buffer) {
      out.push([valuesAt - body.byteOffset, valuesEnd - body.byteOffset]);
    }
    return null;
  }
  if (isOwnBody(data.buffer) && lazyInRange(data.buffer, valuesAt, valuesEnd)) {
    // Noted: the restore refuses a body whose lazy frames hold anything else (codec.ts).
    noteLazyColumn(data.buffer, valuesAt, valuesEnd);
    // Left compressed only where the column can view it (aligned numbers); anything else is decoded now.
    if ((form === F64 && valuesAt % 8 === 0) || (form === OFFSETS && valuesAt % 4 === 0)) {
      return new PendingColumn(unpackForm(data, form, from, end) as Float64Array | OffsetColumn, data.buffer, valuesAt);
    }
    settleOwnRange(data.buffer, valuesAt, valuesEnd);
  }
  return unpackForm(data, form, from, end);
}

function unpackForm(data: Uint8Array, form: number, from: number, end: number): Float64Array | OffsetColumn | Uint8Array | Uint16Array {
  switch (form) {
    case F64:
      return copyOut(data, from, end, Float64Array);
    case OFFSETS: {
      if (end - from < 8 || (end - from - 8) % 4 !== 0) throw new Error('malformed column offsets');
      const base = new DataView(data.buffer, data.byteOffset + from, 8).getFloat64(0, true);
      // Kept as offsets (half the bytes of the values) until a restored chunk is first read.
      return new OffsetColumn(base, copyOut(data, from + 8, end, Int32Array));
    }
    case U8:
      return copyOut(data, from, end, Uint8Array);
    case U16:
      return copyOut(data, from, end, Uint16Array);
    default:
      throw new Error(`unknown column form ${data[0]}`);
  }
}

function copyOut<T extends Float64Array | Int32Array | Uint8Array | Uint16Array>(
  data: Uint8Array, from: number, end: number, Type: { new (b: ArrayBuffer, at: number, n: number): T; BYTES_PER_ELEMENT: number },
): T {
  const bytes = end - from;
  if (bytes < 0 || bytes % Type.BYTES_PER_ELEMENT !== 0) throw new Error('malformed column bytes');
  const at = data.byteOffset + from;
  if (isOwnBody(data.buffer) && at % Type.BYTES_PER_ELEMENT === 0) return lendView(new Type(data.buffer as ArrayBuffer, at, bytes / Type.BYTES_PER_ELEMENT));
  // Not zeroed first (every byte is written next); during a restore, memory an earlier restore's columns gave back (column-pool.ts).
  const out = columnBuffer(bytes);
  new Uint8Array(out).set(data.subarray(from, end));
  return new Type(out, 0, bytes / Type.BYTES_PER_ELEMENT);
}

/** A Float64Array of `base + offsets[r]` for rows [from, from + n) (offset-coded numbers, as a column blob or a packed column keeps them). */
export function expand(base: number, offsets: Int32Array, from = 0, n = offsets.length - from): Float64Array {
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = base + offsets[from + r]!;
  return out;
}

const BLOCK = new Int32Array(4096);
const BLOCK_BYTES = new Uint8Array(BLOCK.buffer);

addExtension({ Class: ColumnBlob, type: COLUMN_EXTENSION, pack: packBlob as never, unpack: unpackBlob });
