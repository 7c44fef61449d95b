// The storage unit of LoggedColumns: a fixed run of rows, one array per
// column. Captures share chunks instead of copying them (copy-on-write, see
// logged-columns.ts); columns-snapshot.ts encodes the shared rows later.

import { expand, type OffsetColumn, type PendingColumn } from './column-blob.js';
import type { ColumnKind } from './logged-columns.js';

export const CHUNK_BITS = 12;
/** Rows per chunk once a container holds more than one; a lone first chunk may be smaller. */
export const CHUNK_SIZE = 1 << CHUNK_BITS;
export const CHUNK_MASK = CHUNK_SIZE - 1;

// Codes in an f64 column's side mask; the mask exists once a non-number arrived.
export const NUMBER = 0;
export const NULL = 1;
export const OTHER = 2;

let captureEpoch = 0;

/**
 * Every capture starts a new epoch. A chunk made in the current epoch is
 * private to its container; an older one may be held by a snapshot, so its
 * captured rows must not be written (the container copies it first).
 */
export function currentEpoch(): number {
  return captureEpoch;
}

export function nextEpoch(): void {
  captureEpoch++;
}

/** All-null side arrays, one per width, shared by chunks until their first exception (setSide). */
const NO_SIDES: (null[] | undefined)[] = [];

function noSides(width: number): null[] {
  return (NO_SIDES[width] ??= new Array<null>(width).fill(null));
}

export class Chunk {
  readonly epoch = captureEpoch;
  /** f64 columns: null, or 0 = number / 1 = null / 2 = value in `others`. Made on demand (setSide); shared while all null. */
  masks: readonly (Uint8Array | null)[];
  others: readonly (unknown[] | null)[];

  constructor(
    readonly cap: number,
    readonly f64: readonly Float64Array[],
    readonly u8: readonly Uint8Array[],
    /** Read these three through numbers(col), bytes(col), values(col): a restored chunk may not have decoded them yet. */
    readonly any: readonly unknown[][],
    masks?: (Uint8Array | null)[],
    others?: (unknown[] | null)[],
  ) {
    this.masks = masks ?? noSides(f64.length);
    this.others = others ?? noSides(f64.length);
  }

  /** Column `col` of kind 'f64' (read and write columns through these three: a restored chunk decodes its columns on first use). */
  numbers(col: number): Float64Array {
    return this.f64[col]!;
  }

  /** Column `col` of kind 'u8'. */
  bytes(col: number): Uint8Array {
    return this.u8[col]!;
  }

  /** Column `col` of kind 'any'. */
  values(col: number): unknown[] {
    return this.any[col]!;
  }

  /** Makes every column real before rows are written straight into the arrays (appendRow does): a restored chunk decodes. */
  settle(): void {}

  /** The mask of column `col`, made now if absent (the shared all-null list is copied first). */
  maskOf(col: number): Uint8Array {
    const m = this.masks[col];
    if (m) return m;
    const masks = this.masks.slice();
    this.masks = masks;
    return (masks[col] = new Uint8Array(this.cap));
  }

  /** The side values of column `col`, made now if absent. */
  othersOf(col: number): unknown[] {
    const o = this.others[col];
    if (o) return o;
    const others = this.others.slice();
    this.others = others;
    return (others[col] = new Array<unknown>(this.cap));
  }

  /**
   * An empty chunk with room for `cap` rows. One list holds every column, read
   * as `f64`, `u8` or `any` by column kind: two lists fewer per chunk (small
   * windows, one per partition key, make many chunks). `plain` (up to
   * PLAIN_CAP rows): numbers in plain arrays, which V8 keeps unboxed, at about
   * a third of a typed array's cost (~80 vs ~220 bytes for four rows).
   */
  static empty(kinds: readonly ColumnKind[], cap: number, plain = false): Chunk {
    const cols = kinds.map((k) => (k === 'any' ? new Array<unknown>(cap)
      : plain ? plainNumbers(cap, k === 'f64')
        : k === 'f64' ? new Float64Array(cap) : new Uint8Array(cap)));
    return new Chunk(cap, cols as Float64Array[], cols as Uint8Array[], cols as unknown[][]);
  }

  /** Moves rows [from, from + n) to [0, n) in place (a private chunk only), letting go of what the old places held. */
  moveToFront(kinds: readonly ColumnKind[], from: number, n: number): void {
    kinds.forEach((k, col) => {
      if (k === 'f64') this.numbers(col).copyWithin(0, from, from + n);
      else if (k === 'u8') this.bytes(col).copyWithin(0, from, from + n);
      else moveValues(this.values(col), from, n);
      this.masks[col]?.copyWithin(0, from, from + n);
      const o = this.others[col];
      if (o) moveValues(o, from, n);
    });
  }

  /** A private chunk of `cap` rows holding rows [from, from + n) of this one at 0 (`plain`: see empty). */
  copy(kinds: readonly ColumnKind[], cap: number, from: number, n: number, plain = false): Chunk {
    const to = Chunk.empty(kinds, cap, plain);
    kinds.forEach((k, col) => {
      if (k === 'f64') copyNumbers(to.f64[col]!, 0, this.numbers(col), from, n);
      else if (k === 'u8') copyNumbers(to.u8[col]!, 0, this.bytes(col), from, n);
      else {
        const a = this.values(col);
        const t = to.any[col]!;
        for (let i = 0; i < n; i++) t[i] = a[from + i];
      }
      const m = this.masks[col];
      if (m) to.maskOf(col).set(m.subarray(from, from + n));
      const o = this.others[col];
      if (o) {
        const t = to.othersOf(col);
        for (let i = 0; i < n; i++) t[i] = o[from + i];
      }
    });
    return to;
  }
}

/**
 * An 'any' column restored as a dictionary: `dict[codes[r]]` is row r's value.
 * Codes are checked against the dictionary when the restore reads them.
 */
export interface CodedColumn {
  readonly dict: readonly unknown[];
  readonly codes: Uint8Array | Uint16Array;
}

/**
 * The columns of a restore kept in their compact forms, shared by its chunks;
 * per column undefined where the chunks' own arrays hold it.
 */
export interface CompactColumns {
  /** f64 columns as int32 offsets (timestamps, counts). */
  readonly offsets: readonly (OffsetColumn | undefined)[];
  /** u8 columns of one value. */
  readonly uniform: readonly (number | undefined)[];
  /** 'any' columns of few distinct values (symbols, keys). */
  readonly coded: readonly (CodedColumn | undefined)[];
  /** Number columns (plain or offsets) whose values are still compressed: a chunk decodes its rows of them first. */
  readonly pending?: readonly PendingColumn[];
}

/**
 * A restored chunk whose compact columns are decoded on first use: a restore
 * then writes half the bytes (offsets instead of values, no value arrays, no
 * filled bytes), and touching fresh memory is most of a large restore's cost.
 * Always full when made; LoggedColumns settles it before it takes new rows
 * (a chunk kept by clear() or shift(), or a spare), since rows are written
 * straight into its arrays.
 */
export class RestoredChunk extends Chunk {
  /** Its rows are rows [at, at + cap) of these; null once decoded. */
  private compact: CompactColumns | null;

  constructor(
    cap: number,
    f64: Float64Array[],
    u8: Uint8Array[],
    any: unknown[][],
    compact: CompactColumns,
    private readonly at: number,
  ) {
    super(cap, f64, u8, any);
    this.compact = compact;
  }

  override numbers(col: number): Float64Array {
    this.settle();
    return this.f64[col]!;
  }

  override bytes(col: number): Uint8Array {
    this.settle();
    return this.u8[col]!;
  }

  override values(col: number): unknown[] {
    this.settle();
    return this.any[col]!;
  }

  override settle(): void {
    if (this.compact !== null) this.decode(this.compact);
  }

  private decode(c: CompactColumns): void {
    const { cap, at } = this;
    const f64 = this.f64 as Float64Array[];
    const u8 = this.u8 as Uint8Array[];
    const any = this.any as unknown[][];
    // Before anything is read, and before the chunk counts as decoded: a decoder failing here fails every read.
    if (c.pending !== undefined) for (const p of c.pending) p.settleRows(at, cap);
    this.compact = null;
    c.offsets.forEach((o, col) => {
      if (o !== undefined) f64[col] = expand(o.base, o.offsets, at, cap);
    });
    c.uniform.forEach((u, col) => {
      if (u !== undefined) u8[col] = new Uint8Array(cap).fill(u);
    });
    c.coded.forEach((d, col) => {
      if (d === undefined) return;
      const { dict, codes } = d;
      const out = new Array<unknown>(cap);
      for (let r = 0; r < cap; r++) out[r] = dict[codes[at + r]!];
      any[col] = out;
    });
  }
}

/** Chunks of up to this many rows may be plain (Chunk.empty): the windows of partition keys (LoggedColumns' `small`). */
export const PLAIN_CAP = 16;

/**
 * A plain array standing in for a typed column (same indexing, numbers only).
 * Filled with a fraction first: its elements kind is then doubles, so
 * writing a timestamp or price later does not convert it.
 */
function plainNumbers(cap: number, doubles: boolean): Float64Array | Uint8Array {
  const a = new Array<number>(cap);
  if (doubles) a.fill(0.5);
  return a.fill(0) as unknown as Float64Array;
}

/** Copies `n` numbers of column `src` from `from` into `dst` at `at`; typed to typed is a block copy. */
export function copyNumbers(dst: Float64Array | Uint8Array, at: number, src: Float64Array | Uint8Array, from: number, n: number): void {
  if (ArrayBuffer.isView(dst) && ArrayBuffer.isView(src)) dst.set(src.subarray(from, from + n), at);
  else for (let i = 0; i < n; i++) dst[at + i] = src[from + i]!;
}

function moveValues(a: unknown[], from: number, n: number): void {
  for (let i = 0; i < n; i++) a[i] = a[from + i];
  for (let i = n; i < from + n; i++) a[i] = undefined;
}

export const EMPTY_F64 = new Float64Array(0);
export const EMPTY_U8 = new Uint8Array(0);
export const EMPTY_ANY: unknown[] = [];
