// A FIFO ring of rows stored as columns (Float64Array / Uint8Array / plain
// array), logged like LoggedQueue so a delta ships only dropped + appended rows.
// Event windows keep their contents here through runtime/event-queue.ts.

import { SiddhiStateError } from '../errors.js';
import type { CaptureMode } from './cell.js';
import { asBytes, asNumbers, asValues, encodeDictionary, packBytes, packNumbers, type ColumnsCapture } from './column-forms.js';

export type { ColumnsCapture } from './column-forms.js';

/** 'f64': numbers (nulls and other values kept exactly on the side); 'u8': small ints; 'any': anything. */
export type ColumnKind = 'f64' | 'u8' | 'any';

// Codes in an f64 column's side mask; the mask exists once a non-number arrived.
const NUMBER = 0;
const NULL = 1;
const OTHER = 2;

export class LoggedColumns {
  private readonly tag: string;
  // Storage by column; a column of another kind holds an empty placeholder, so
  // each access is one load (the push path does a few of them per row).
  private f64: Float64Array[];
  private u8: Uint8Array[];
  private any: unknown[][];
  /** f64 columns: null, or 0 = number / 1 = null / 2 = value in `others`. */
  private masks: (Uint8Array | null)[];
  private others: (unknown[] | null)[];
  private readonly anyColumns: number[] = [];
  private withOthers = 0;
  private cap = 0;
  private head = 0;
  private size = 0;
  /** Rows removed from the head since the last capture. */
  private dropped = 0;
  /** Rows appended since the last capture (some may have been dropped since). */
  private appended = 0;
  /** A change a delta cannot express (contents swapped in); the next capture is full. */
  private dirty = false;

  constructor(readonly kinds: readonly ColumnKind[]) {
    this.tag = kinds.map((k) => k[0]).join('');
    kinds.forEach((k, col) => k === 'any' && this.anyColumns.push(col));
    this.f64 = kinds.map(() => EMPTY_F64);
    this.u8 = kinds.map(() => EMPTY_U8);
    this.any = kinds.map(() => EMPTY_ANY);
    this.masks = kinds.map(() => null);
    this.others = kinds.map(() => null);
  }

  get length(): number {
    return this.size;
  }

  /** Physical slot of row i (0 = head); valid until the next append or shift. */
  slot(i: number): number {
    const s = this.head + i;
    return s < this.cap ? s : s - this.cap;
  }

  /** Appends an empty row and returns its slot; fill every column before reading it. */
  append(): number {
    if (this.size === this.cap) this.resize(Math.max(16, this.cap * 2));
    const s = this.slot(this.size);
    this.size++;
    this.appended++;
    return s;
  }

  /** Removes the head row (read it first). */
  shift(): void {
    if (this.size === 0) return;
    this.release(this.head);
    this.head = this.head + 1 === this.cap ? 0 : this.head + 1;
    this.size--;
    this.dropped++;
    // Give memory back after a burst, keeping shift amortised O(1).
    if (this.cap > 4096 && this.size * 4 < this.cap) this.resize(this.cap >> 1);
  }

  /** Removes every row; the capacity stays for the next batch. */
  clear(): void {
    for (let i = 0; i < this.size; i++) this.release(this.slot(i));
    this.dropped += this.size;
    this.head = 0;
    this.size = 0;
  }

  setNumber(col: number, slot: number, v: unknown): void {
    if (typeof v === 'number') {
      this.f64[col]![slot] = v;
      const m = this.masks[col];
      if (m !== null) m[slot] = NUMBER;
    } else {
      this.setException(col, slot, v);
    }
  }

  getNumber(col: number, slot: number): unknown {
    const m = this.masks[col];
    if (m === null || m[slot] === NUMBER) return this.f64[col]![slot];
    return m[slot] === NULL ? null : this.others[col]![slot];
  }

  /** For f64 columns that only ever get numbers (timestamps): no exception check. */
  setF64(col: number, slot: number, v: number): void {
    this.f64[col]![slot] = v;
  }

  getF64(col: number, slot: number): number {
    return this.f64[col]![slot]!;
  }

  setU8(col: number, slot: number, v: number): void {
    this.u8[col]![slot] = v;
  }

  getU8(col: number, slot: number): number {
    return this.u8[col]![slot]!;
  }

  setValue(col: number, slot: number, v: unknown): void {
    this.any[col]![slot] = v;
  }

  getValue(col: number, slot: number): unknown {
    return this.any[col]![slot];
  }

  capture(mode: CaptureMode): ColumnsCapture {
    const len = this.size;
    const kept = Math.min(this.appended, len);
    // A delta is only worth it when it is smaller than the contents.
    const out = mode === 'full' || this.dirty || kept >= len
      ? this.copyRows(0, len, undefined)
      : this.copyRows(len - kept, kept, this.dropped);
    this.resetLog();
    return out;
  }

  /** Loads a capture; a full one hands its arrays over to this container (no copy). */
  restore(state: ColumnsCapture): void {
    if (state.k !== this.tag) {
      throw new SiddhiStateError(`column layout '${state.k}' does not match this window's '${this.tag}' (the schema changed)`);
    }
    if (state.drop === undefined) this.adopt(state);
    else {
      for (let d = Math.min(state.drop, this.size); d > 0; d--) this.shift();
      this.appendRows(state);
    }
    this.resetLog();
  }

  /** Starts a new delta log: what is held now counts as captured. */
  resetLog(): void {
    this.dropped = 0;
    this.appended = 0;
    this.dirty = false;
  }

  /**
   * Exchanges contents with `other` (same kinds) in O(1): a batch moving from
   * "collecting" to "emitted" without copying rows. Both next captures are full.
   */
  swap(other: LoggedColumns): void {
    if (other.tag !== this.tag) throw new SiddhiStateError(`cannot swap column layouts '${this.tag}' and '${other.tag}'`);
    const a = this as unknown as Record<(typeof SWAPPED)[number], unknown>;
    const b = other as unknown as Record<(typeof SWAPPED)[number], unknown>;
    for (const f of SWAPPED) [a[f], b[f]] = [b[f], a[f]];
    this.dirty = other.dirty = true;
  }

  private setException(col: number, slot: number, v: unknown): void {
    let m = this.masks[col]!;
    if (m === null) m = this.masks[col] = new Uint8Array(this.cap);
    this.f64[col]![slot] = 0;
    if (v === null) m[slot] = NULL;
    else {
      m[slot] = OTHER;
      let o = this.others[col]!;
      if (o === null) {
        o = this.others[col] = new Array<unknown>(this.cap);
        this.withOthers++;
      }
      o[slot] = v;
    }
  }

  /** Drops references held by a slot leaving the ring, so the GC can take them. */
  private release(slot: number): void {
    const cols = this.anyColumns;
    for (let k = 0; k < cols.length; k++) this.any[cols[k]!]![slot] = undefined;
    if (this.withOthers > 0) for (const o of this.others) if (o !== null) o[slot] = undefined;
  }

  /** Re-lays the ring out from slot 0 with room for `cap` rows (cap ≥ size). */
  private resize(cap: number): void {
    const unwrap = <T extends Float64Array | Uint8Array>(a: T, n: T): T => {
      const first = Math.min(this.size, this.cap - this.head);
      n.set(a.subarray(this.head, this.head + first));
      n.set(a.subarray(0, this.size - first), first);
      return n;
    };
    const unwrapAny = (a: unknown[]): unknown[] => {
      const n = new Array<unknown>(cap);
      for (let i = 0; i < this.size; i++) n[i] = a[this.slot(i)];
      return n;
    };
    this.kinds.forEach((k, col) => {
      if (k === 'f64') this.f64[col] = unwrap(this.f64[col]!, new Float64Array(cap));
      else if (k === 'u8') this.u8[col] = unwrap(this.u8[col]!, new Uint8Array(cap));
      else this.any[col] = unwrapAny(this.any[col]!);
      const m = this.masks[col];
      if (m) this.masks[col] = unwrap(m, new Uint8Array(cap));
      const o = this.others[col];
      if (o) this.others[col] = unwrapAny(o);
    });
    this.cap = cap;
    this.head = 0;
  }

  /** Copies rows [from, from + n) into a capture (typed-array slices: immutable once taken). */
  private copyRows(from: number, n: number, drop: number | undefined): ColumnsCapture {
    const c: unknown[] = new Array(this.kinds.length);
    const x: (unknown[] | null)[] = new Array(this.kinds.length).fill(null);
    const a = this.slot(from);
    const first = Math.min(n, this.cap - a);
    const cut = <T extends Float64Array | Uint8Array | unknown[]>(arr: T): T => {
      if (first === n) return arr.slice(a, a + n) as T;
      const head = arr.slice(a, a + first);
      if (Array.isArray(head)) return head.concat((arr as unknown[]).slice(0, n - first)) as T;
      const out = new (arr.constructor as new (n: number) => Float64Array | Uint8Array)(n);
      out.set(head as Float64Array | Uint8Array);
      out.set((arr as Float64Array | Uint8Array).subarray(0, n - first), first);
      return out as T;
    };
    this.kinds.forEach((k, col) => {
      if (k === 'f64') {
        c[col] = packNumbers(cut(this.f64[col]!));
        const m = this.masks[col];
        if (m) x[col] = this.exceptions(col, m, from, n);
      } else if (k === 'u8') c[col] = packBytes(cut(this.u8[col]!));
      else c[col] = encodeDictionary(this.any[col]!, a, first, n) ?? cut(this.any[col]!);
    });
    return drop === undefined ? { k: this.tag, n, c, x } : { k: this.tag, n, c, x, drop };
  }

  private exceptions(col: number, m: Uint8Array, from: number, n: number): unknown[] | null {
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const s = this.slot(from + i);
      if (m[s] !== NUMBER) out.push(i, m[s] === NULL ? null : this.others[col]![s]);
    }
    return out.length > 0 ? out : null;
  }

  /** A full restore takes the decoded columns as they are: no per-row work for numeric columns. */
  private adopt(state: ColumnsCapture): void {
    const n = state.n;
    this.cap = n;
    this.head = 0;
    this.size = n;
    this.withOthers = 0;
    this.kinds.forEach((k, col) => {
      const raw = state.c[col];
      this.masks[col] = null;
      this.others[col] = null;
      if (k === 'f64') this.f64[col] = asNumbers(raw, n);
      else if (k === 'u8') this.u8[col] = asBytes(raw, n);
      else this.any[col] = asValues(raw, n, col);
    });
    this.applyExceptions(state, 0);
  }

  private appendRows(state: ColumnsCapture): void {
    const n = state.n;
    let cap = Math.max(16, this.cap);
    while (cap < this.size + n) cap *= 2;
    if (cap !== this.cap) this.resize(cap);
    const at = this.size;
    this.size += n;
    const start = this.slot(at);
    const first = Math.min(n, this.cap - start);
    this.kinds.forEach((k, col) => {
      const raw = state.c[col];
      if (k === 'any') {
        const src = asValues(raw, n, col);
        for (let i = 0; i < n; i++) this.any[col]![this.slot(at + i)] = src[i];
        return;
      }
      const src = k === 'f64' ? asNumbers(raw, n) : asBytes(raw, n);
      const dst = k === 'f64' ? this.f64[col]! : this.u8[col]!;
      dst.set(src.subarray(0, first), start);
      dst.set(src.subarray(first), 0);
      const m = this.masks[col];
      if (m) for (let i = 0; i < n; i++) m[this.slot(at + i)] = NUMBER;
    });
    this.applyExceptions(state, at);
  }

  private applyExceptions(state: ColumnsCapture, at: number): void {
    state.x.forEach((pairs, col) => {
      if (!pairs) return;
      for (let i = 0; i < pairs.length; i += 2) this.setException(col, this.slot(at + (pairs[i] as number)), pairs[i + 1]);
    });
  }
}

/** The storage fields `swap` exchanges (the delta logs stay with their container). */
const SWAPPED = ['f64', 'u8', 'any', 'masks', 'others', 'withOthers', 'cap', 'head', 'size'] as const;

const EMPTY_F64 = new Float64Array(0);
const EMPTY_U8 = new Uint8Array(0);
const EMPTY_ANY: unknown[] = [];
