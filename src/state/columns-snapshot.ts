// What LoggedColumns.capture returns: rows [start, start + n) of a list of
// chunks it shares with the container (O(chunks) to take). The checkpoint
// codec calls toJSON (msgpackr does) after the pause and gets the captured
// form of column-forms.ts, byte for byte what a copying capture produced.

import { CHUNK_BITS, CHUNK_MASK, NUMBER, NULL, type Chunk } from './columns-chunk.js';
import { encodeDictionary, packBytes, packNumbers, type ColumnsCapture, type ValueRun } from './column-forms.js';
import type { ColumnKind } from './logged-columns.js';

export class ColumnsSnapshot {
  constructor(
    private readonly tag: string,
    private readonly kinds: readonly ColumnKind[],
    private readonly chunks: readonly Chunk[],
    /** Slot of the first row in `chunks` (as LoggedColumns numbers them). */
    private readonly start: number,
    readonly n: number,
    readonly drop: number | undefined,
  ) {}

  /**
   * The captured form (a fresh encoding each call). Typed columns are handed
   * over as runs viewing the shared chunks (a capture's rows are never written
   * again), so packing them copies each value once.
   */
  toJSON(): ColumnsCapture {
    const n = this.n;
    const c: unknown[] = new Array(this.kinds.length);
    const x: (unknown[] | null)[] = new Array(this.kinds.length).fill(null);
    this.kinds.forEach((k, col) => {
      if (k === 'f64') {
        c[col] = packNumbers(this.runs((ch, from, count) => typedRun(ch.numbers(col), from, count, Float64Array)), n);
        x[col] = this.exceptions(col);
      } else if (k === 'u8') {
        c[col] = packBytes(this.runs((ch, from, count) => typedRun(ch.bytes(col), from, count, Uint8Array)), n);
      } else {
        const runs = this.runs((ch, from, count): ValueRun => [ch.values(col), from, count]);
        c[col] = encodeDictionary(runs, n) ?? runs.flatMap(([a, from, count]) => a.slice(from, from + count));
      }
    });
    return this.drop === undefined ? { k: this.tag, n, c, x } : { k: this.tag, n, c, x, drop: this.drop };
  }

  private runs<T>(f: (chunk: Chunk, from: number, count: number) => T): T[] {
    const out: T[] = [];
    this.segments((ch, from, count) => out.push(f(ch, from, count)));
    return out;
  }

  /** Calls `f` for each run of rows inside one chunk: its rows [from, from + count) are rows [at, at + count) here. */
  private segments(f: (chunk: Chunk, from: number, count: number, at: number) => void): void {
    let at = 0;
    let s = this.start;
    while (at < this.n) {
      const ch = this.chunks[s >> CHUNK_BITS]!;
      const from = s & CHUNK_MASK;
      const count = Math.min(this.n - at, ch.cap - from);
      f(ch, from, count, at);
      at += count;
      s += count;
    }
  }

  /** The non-number values of f64 column `col` as `[row, value, …]`, or null. */
  private exceptions(col: number): unknown[] | null {
    const out: unknown[] = [];
    this.segments((ch, from, count, at) => {
      const m = ch.masks[col];
      if (!m) return;
      for (let i = 0; i < count; i++) {
        const code = m[from + i];
        if (code !== NUMBER) out.push(at + i, code === NULL ? null : ch.others[col]![from + i]);
      }
    });
    return out.length > 0 ? out : null;
  }
}

/** Rows [from, from + count) of a typed column as a view; a plain-array column (a small chunk) as a copy. */
function typedRun<T extends Float64Array | Uint8Array>(a: T, from: number, count: number, Type: { from(a: ArrayLike<number>): T }): T {
  return ArrayBuffer.isView(a) ? a.subarray(from, from + count) as T : Type.from((a as ArrayLike<number> as number[]).slice(from, from + count));
}
