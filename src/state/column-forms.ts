// The captured forms of LoggedColumns: the capture layout, and the compact
// encodings of a column (integer offsets, one repeated byte, a dictionary) with
// their checked decoders. Used by logged-columns.ts on capture and restore.

import { SiddhiStateError } from '../errors.js';
import { ColumnBlob, expand, OffsetColumn, PendingColumn, viewsOwnBody } from './column-blob.js';
import type { CodedColumn } from './columns-chunk.js';

/**
 * Captured rows: whole contents, or (with `drop`) a delta against the previous
 * capture. `c` holds one copied column per kind, in row order; `x[col]` lists
 * the non-number values of an f64 column as `[row, value, row, value, …]`.
 * Smaller forms where they fit: an f64 column of integers close to its first
 * value (timestamps, counts) as int32 offsets; a u8 column of one value as
 * `{ u: value }`; an 'any' column of few distinct strings (symbols, keys) as a
 * dictionary `{ d: values, i: indexes }`. From 64 rows a typed column is a
 * ColumnBlob, which decodes to the plain typed array (offsets expanded);
 * checkpoints written before it carry msgpackr typed arrays and offsets as
 * `{ b: first, i: Int32Array }`, which restore reads too.
 */
export interface ColumnsCapture {
  /** The column kinds as letters ('f', 'u', 'a'), checked on restore. */
  readonly k: string;
  readonly n: number;
  readonly c: readonly unknown[];
  readonly x: readonly (unknown[] | null)[];
  readonly drop?: number;
}

/** Below this many rows a column is captured as it is. */
const PACK_MIN_ROWS = 64;

/**
 * A float64 column given as runs (`n` values in all): integers within int32
 * of the first value as offsets (exact: no -0, NaN or fractions); from
 * PACK_MIN_ROWS rows a ColumnBlob of the runs themselves (see column-blob.ts).
 */
export function packNumbers(parts: readonly Float64Array[], n: number): Float64Array | ColumnBlob {
  if (n < PACK_MIN_ROWS) return concat(parts, new Float64Array(n));
  const b = parts[0]![0]!;
  if (!Number.isInteger(b)) return new ColumnBlob(parts);
  for (const a of parts) {
    for (let r = 0; r < a.length; r++) {
      const v = a[r]!;
      const d = v - b;
      // b + d must give v back exactly: 1 + 5e-324 - 1 rounds to an integer offset but decodes to 0.
      if ((d | 0) !== d || b + d !== v || (v === 0 && 1 / v < 0)) return new ColumnBlob(parts);
    }
  }
  return new ColumnBlob(parts, b);
}

export function asNumbers(packed: unknown, n: number): Float64Array {
  const v = asNumberColumn(packed, n);
  return v instanceof OffsetColumn ? v.expand() : v;
}

/** Like `asNumbers`, but a column decoded from offsets stays so, for RestoredChunk to expand on first use. */
export function asNumberColumn(packed: unknown, n: number): Float64Array | OffsetColumn {
  if (packed instanceof PendingColumn) packed = packed.value();
  if (packed instanceof OffsetColumn) return packed.offsets.length === n ? packed : badColumn(-1);
  const raw = unwrap(packed);
  const o = raw as { b?: unknown; i?: unknown } | null;
  if (o === null || typeof o !== 'object' || ArrayBuffer.isView(o) || typeof o.b !== 'number') return asTyped(raw, n, Float64Array);
  return expand(o.b, asTyped(o.i, n, Int32Array));
}

/** A byte column given as runs (`n` values in all): one repeated value as `{ u }`, from PACK_MIN_ROWS rows a ColumnBlob of the runs. */
export function packBytes(parts: readonly Uint8Array[], n: number): Uint8Array | ColumnBlob | { u: number } {
  if (n < PACK_MIN_ROWS) return concat(parts, new Uint8Array(n));
  const u = parts[0]![0]!;
  for (const a of parts) for (let r = 0; r < a.length; r++) if (a[r] !== u) return new ColumnBlob(parts);
  return { u };
}

function concat<T extends Float64Array | Uint8Array>(parts: readonly T[], out: T): T {
  let at = 0;
  for (const a of parts) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

export function asBytes(packed: unknown, n: number): Uint8Array {
  const v = asByteColumn(packed, n);
  return typeof v === 'number' ? new Uint8Array(n).fill(v) : v;
}

/** Like `asBytes`, but a column of one value is that value, for RestoredChunk to fill on first use. */
export function asByteColumn(packed: unknown, n: number): Uint8Array | number {
  const raw = unwrap(packed);
  const u = (raw as { u?: unknown } | null)?.u;
  return typeof u === 'number' ? u : asTyped(raw, n, Uint8Array);
}

const DICTIONARY_MIN_ROWS = PACK_MIN_ROWS;
const DICTIONARY_MAX = 65536;

/** Values [from, from + count) of an array. */
export type ValueRun = readonly [values: readonly unknown[], from: number, count: number];

/**
 * An 'any' column given as runs (`n` values in all) as a dictionary, or
 * undefined when they are not few distinct strings, booleans or nulls (values
 * a Map tells apart exactly, unlike -0 and 0).
 */
export function encodeDictionary(runs: readonly ValueRun[], n: number): { d: unknown[]; i: ColumnBlob } | undefined {
  if (n < DICTIONARY_MIN_ROWS) return undefined;
  const ids = new Map<unknown, number>();
  const d: unknown[] = [];
  // Bytes until a 257th value shows up.
  let i: Uint8Array | Uint16Array = new Uint8Array(n);
  let r = 0;
  for (const [a, from, count] of runs) {
    for (let k = from; k < from + count; k++, r++) {
      const v = a[k];
      let id = ids.get(v);
      if (id === undefined) {
        if ((typeof v !== 'string' && typeof v !== 'boolean' && v !== null) || d.length === DICTIONARY_MAX || d.length > (n >> 2)) return undefined;
        ids.set(v, (id = d.length));
        d.push(v);
        if (id === 256) i = Uint16Array.from(i);
      }
      i[r] = id;
    }
  }
  return { d, i: new ColumnBlob(i) };
}

/** An 'any' column as captured: the values, or a dictionary (see `encodeDictionary`). */
export function asValues(raw: unknown, n: number, col: number): unknown[] {
  const v = asValueColumn(raw, n, col);
  if (Array.isArray(v)) return v;
  const { dict, codes } = v;
  const out = new Array<unknown>(n);
  for (let r = 0; r < n; r++) out[r] = dict[codes[r]!];
  return out;
}

/** Like `asValues`, but a dictionary stays coded (its codes checked), for RestoredChunk to decode on first use. */
export function asValueColumn(raw: unknown, n: number, col: number): unknown[] | CodedColumn {
  if (Array.isArray(raw)) return raw.length === n ? raw : badColumn(col);
  const dict = raw as { d?: unknown; i?: unknown } | null;
  if (dict === null || typeof dict !== 'object' || !Array.isArray(dict.d)) return badColumn(col);
  const d = dict.d;
  const codes = d.length <= 256 ? asTyped(unwrap(dict.i), n, Uint8Array) : asTyped(unwrap(dict.i), n, Uint16Array);
  return codesBelow(codes, d.length) ? { dict: d, codes } : badColumn(col);
}

/** Whether every code is below `limit`: four byte codes per step where it can (a 1M-row window's codes are checked on every restore). */
function codesBelow(codes: Uint8Array | Uint16Array, limit: number): boolean {
  const n = codes.length;
  if (limit > (codes instanceof Uint8Array ? 0xff : 0xffff)) return true;
  let r = 0;
  if (codes instanceof Uint8Array && limit <= 0x80 && codes.byteOffset % 4 === 0) {
    // Adding 0x80 - limit to a byte below 0x80 sets its top bit exactly when it is >= limit, without a carry;
    // a byte from 0x80 up has its top bit set already (any carry out of it then only adds to a "no").
    const words = new Int32Array(codes.buffer, codes.byteOffset, n >> 2);
    const add = (0x80 - limit) * 0x01010101;
    let acc = 0;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      acc |= (w + add) | w;
    }
    if ((acc & 0x80808080) !== 0) return false;
    r = words.length << 2;
  }
  for (; r < n; r++) if (codes[r]! >= limit) return false;
  return true;
}

/**
 * The decoded form of a typed column: the typed array itself (the codec's
 * msgpackr has `moreTypes`), or its raw bytes from a plain msgpack decoder.
 */
function asTyped<T extends Float64Array | Uint8Array | Uint16Array | Int32Array>(raw: unknown, n: number, Type: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): T {
  if (!ArrayBuffer.isView(raw) || raw.byteLength !== n * Type.BYTES_PER_ELEMENT) return badColumn(-1);
  if (raw instanceof Type && raw.constructor === Type && ((raw.byteOffset === 0 && raw.buffer.byteLength === raw.byteLength) || viewsOwnBody(raw))) return raw;
  // A view into a larger buffer (or raw bytes): copy, so the column neither pins nor aliases it (a body of its own it may, and pins it whole: see ownBody).
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  return new Type(Uint8Array.prototype.slice.call(bytes).buffer as ArrayBuffer);
}

/** A blob not packed yet (a restore straight from a capture) reads as what packing would give; one not decoded yet, once decoded. */
function unwrap(raw: unknown): unknown {
  return raw instanceof ColumnBlob ? raw.decoded() : raw instanceof PendingColumn ? raw.value() : raw;
}

function badColumn(col: number): never {
  throw new SiddhiStateError(`malformed column${col >= 0 ? ` ${col}` : ''} in a captured window state`);
}
