// A FIFO ring of rows stored as columns (Float64Array / Uint8Array / plain
// array), logged like LoggedQueue so a delta ships only dropped + appended rows.
// Event windows keep their contents here through runtime/event-queue.ts.

import { SiddhiStateError } from '../errors.js';
import type { CaptureMode } from './cell.js';

/** 'f64': numbers (nulls and other values kept exactly on the side); 'u8': small ints; 'any': anything. */
export type ColumnKind = 'f64' | 'u8' | 'any';

/**
 * Captured rows: whole contents, or (with `drop`) a delta against the previous
 * capture. `c` holds one copied column per kind, in row order; `x[col]` lists
 * the non-number values of an f64 column as `[row, value, row, value, …]`.
 * Smaller forms where they fit: an f64 column of integers close to its first
 * value (timestamps, counts) as `{ b: first, i: Int32Array of offsets }`; a u8
 * column of one value as `{ u: value }`; an 'any' column of few distinct
 * strings (symbols, keys) as a dictionary `{ d: values, i: indexes }`.
 */
export interface ColumnsCapture {
  /** The column kinds as letters ('f', 'u', 'a'), checked on restore. */
  readonly k: string;
  readonly n: number;
  readonly c: readonly unknown[];
  readonly x: readonly (unknown[] | null)[];
  readonly drop?: number;
}

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

/** Below this many rows a column is captured as it is. */
const PACK_MIN_ROWS = 64;

/** Integers within int32 of the first value, as offsets (exact: no -0, NaN or fractions). */
function packNumbers(a: Float64Array): Float64Array | { b: number; i: Int32Array } {
  const n = a.length;
  if (n < PACK_MIN_ROWS || !Number.isInteger(a[0])) return a;
  const b = a[0]!;
  const i = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const v = a[r]!;
    const d = v - b;
    if ((d | 0) !== d || (v === 0 && 1 / v < 0)) return a;
    i[r] = d;
  }
  return { b, i };
}

function asNumbers(raw: unknown, n: number): Float64Array {
  const o = raw as { b?: unknown; i?: unknown } | null;
  if (o === null || typeof o !== 'object' || ArrayBuffer.isView(o) || typeof o.b !== 'number') return asTyped(raw, n, Float64Array);
  const i = asTyped(o.i, n, Int32Array);
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = o.b + i[r]!;
  return out;
}

function packBytes(a: Uint8Array): Uint8Array | { u: number } {
  if (a.length < PACK_MIN_ROWS) return a;
  const u = a[0]!;
  for (let r = 1; r < a.length; r++) if (a[r] !== u) return a;
  return { u };
}

function asBytes(raw: unknown, n: number): Uint8Array {
  const u = (raw as { u?: unknown } | null)?.u;
  return typeof u === 'number' ? new Uint8Array(n).fill(u) : asTyped(raw, n, Uint8Array);
}

const DICTIONARY_MIN_ROWS = PACK_MIN_ROWS;
const DICTIONARY_MAX = 65536;

/**
 * Rows [0, n) of a ring column starting at slot `a` (`first` of them before the
 * wrap) as a dictionary, or undefined when they are not few distinct strings,
 * booleans or nulls (values a Map tells apart exactly, unlike -0 and 0).
 */
function encodeDictionary(arr: unknown[], a: number, first: number, n: number): { d: unknown[]; i: Uint8Array | Uint16Array } | undefined {
  if (n < DICTIONARY_MIN_ROWS) return undefined;
  const ids = new Map<unknown, number>();
  const d: unknown[] = [];
  const i = new Uint16Array(n);
  for (let r = 0; r < n; r++) {
    const v = arr[r < first ? a + r : r - first];
    let id = ids.get(v);
    if (id === undefined) {
      if ((typeof v !== 'string' && typeof v !== 'boolean' && v !== null) || d.length === DICTIONARY_MAX || d.length > (n >> 2)) return undefined;
      ids.set(v, (id = d.length));
      d.push(v);
    }
    i[r] = id;
  }
  return { d, i: d.length <= 256 ? Uint8Array.from(i) : i };
}

/** An 'any' column as captured: the values, or a dictionary (see `encodeDictionary`). */
function asValues(raw: unknown, n: number, col: number): unknown[] {
  if (Array.isArray(raw)) return raw.length === n ? raw : badColumn(col);
  const dict = raw as { d?: unknown; i?: unknown } | null;
  if (dict === null || typeof dict !== 'object' || !Array.isArray(dict.d)) return badColumn(col);
  const d = dict.d;
  const i = d.length <= 256 ? asTyped(dict.i, n, Uint8Array) : asTyped(dict.i, n, Uint16Array);
  const out = new Array<unknown>(n);
  for (let r = 0; r < n; r++) {
    const id = i[r]!;
    out[r] = id < d.length ? d[id] : badColumn(col);
  }
  return out;
}

/**
 * The decoded form of a typed column: the typed array itself (the codec's
 * msgpackr has `moreTypes`), or its raw bytes from a plain msgpack decoder.
 */
function asTyped<T extends Float64Array | Uint8Array | Uint16Array | Int32Array>(raw: unknown, n: number, Type: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): T {
  if (!ArrayBuffer.isView(raw) || raw.byteLength !== n * Type.BYTES_PER_ELEMENT) return badColumn(-1);
  if (raw instanceof Type && raw.constructor === Type && raw.byteOffset === 0 && raw.buffer.byteLength === raw.byteLength) return raw;
  // A view into a larger buffer (or raw bytes): copy, so the column neither pins nor aliases it.
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  return new Type(Uint8Array.prototype.slice.call(bytes).buffer as ArrayBuffer);
}

function badColumn(col: number): never {
  throw new SiddhiStateError(`malformed column${col >= 0 ? ` ${col}` : ''} in a captured window state`);
}
