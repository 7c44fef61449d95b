// What LoggedColumns.capture returns: rows [start, start + n) of a list of
// chunks it shares with the container (O(chunks) to take). The checkpoint
// codec calls toJSON (msgpackr does) after the pause and gets the captured
// form of column-forms.ts, byte for byte what a copying capture produced.

import { CHUNK_BITS, CHUNK_MASK, NUMBER, NULL, copyNumbers, type Chunk } from './columns-chunk.js';
import { encodeDictionary, packBytes, packNumbers, type ColumnsCapture } from './column-forms.js';
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

  /** The captured form (a fresh encoding each call). */
  toJSON(): ColumnsCapture {
    const n = this.n;
    const c: unknown[] = new Array(this.kinds.length);
    const x: (unknown[] | null)[] = new Array(this.kinds.length).fill(null);
    this.kinds.forEach((k, col) => {
      if (k === 'f64') {
        const out = new Float64Array(n);
        this.segments((ch, from, count, at) => copyNumbers(out, at, ch.f64[col]!, from, count));
        c[col] = packNumbers(out);
        x[col] = this.exceptions(col);
      } else if (k === 'u8') {
        const out = new Uint8Array(n);
        this.segments((ch, from, count, at) => copyNumbers(out, at, ch.u8[col]!, from, count));
        c[col] = packBytes(out);
      } else {
        const out = new Array<unknown>(n);
        this.segments((ch, from, count, at) => {
          const a = ch.values(col);
          for (let i = 0; i < count; i++) out[at + i] = a[from + i];
        });
        c[col] = encodeDictionary(out, 0, n, n) ?? out;
      }
    });
    return this.drop === undefined ? { k: this.tag, n, c, x } : { k: this.tag, n, c, x, drop: this.drop };
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
