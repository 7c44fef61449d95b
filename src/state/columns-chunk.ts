// The storage unit of LoggedColumns: a fixed run of rows, one array per
// column. Captures share chunks instead of copying them (copy-on-write, see
// logged-columns.ts); columns-snapshot.ts encodes the shared rows later.

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

export class Chunk {
  readonly epoch = captureEpoch;
  /** f64 columns: null, or 0 = number / 1 = null / 2 = value in `others`. Made on demand. */
  readonly masks: (Uint8Array | null)[];
  readonly others: (unknown[] | null)[];

  constructor(
    readonly cap: number,
    readonly f64: readonly Float64Array[],
    readonly u8: readonly Uint8Array[],
    readonly any: readonly unknown[][],
    masks?: (Uint8Array | null)[],
    others?: (unknown[] | null)[],
  ) {
    this.masks = masks ?? f64.map(() => null);
    this.others = others ?? f64.map(() => null);
  }

  /** An empty chunk with room for `cap` rows. */
  static empty(kinds: readonly ColumnKind[], cap: number): Chunk {
    return new Chunk(
      cap,
      kinds.map((k) => (k === 'f64' ? new Float64Array(cap) : EMPTY_F64)),
      kinds.map((k) => (k === 'u8' ? new Uint8Array(cap) : EMPTY_U8)),
      kinds.map((k) => (k === 'any' ? new Array<unknown>(cap) : EMPTY_ANY)),
    );
  }

  /** A private chunk of `cap` rows holding rows [from, from + n) of this one at 0. */
  copy(kinds: readonly ColumnKind[], cap: number, from: number, n: number): Chunk {
    const to = Chunk.empty(kinds, cap);
    kinds.forEach((k, col) => {
      if (k === 'f64') to.f64[col]!.set(this.f64[col]!.subarray(from, from + n));
      else if (k === 'u8') to.u8[col]!.set(this.u8[col]!.subarray(from, from + n));
      else for (let i = 0; i < n; i++) to.any[col]![i] = this.any[col]![from + i];
      const m = this.masks[col];
      if (m) (to.masks[col] = new Uint8Array(cap)).set(m.subarray(from, from + n));
      const o = this.others[col];
      if (o) {
        const t = (to.others[col] = new Array<unknown>(cap));
        for (let i = 0; i < n; i++) t[i] = o[from + i];
      }
    });
    return to;
  }
}

export const EMPTY_F64 = new Float64Array(0);
export const EMPTY_U8 = new Uint8Array(0);
export const EMPTY_ANY: unknown[] = [];
