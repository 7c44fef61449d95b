// A FIFO of rows stored as columns (Float64Array / Uint8Array / plain array)
// in fixed-size chunks, logged like LoggedQueue so a delta ships only dropped +
// appended rows. A capture shares the chunks with its snapshot (O(chunks));
// rows a snapshot holds are never written again: the container copies such a
// chunk first (copy-on-write). Event windows keep their contents here through
// runtime/event-queue.ts.

import { SiddhiStateError } from '../errors.js';
import { logsKept, type CaptureMode } from './cell.js';
import { CHUNK_BITS, CHUNK_MASK, CHUNK_SIZE, Chunk, EMPTY_ANY, EMPTY_F64, EMPTY_U8, NULL, NUMBER, OTHER, PLAIN_CAP, RestoredChunk, copyNumbers, currentEpoch, nextEpoch, type CompactColumns } from './columns-chunk.js';
import { asByteColumn, asBytes, asNumberColumn, asNumbers, asValueColumn, asValues, type ColumnsCapture } from './column-forms.js';
import { ColumnsSnapshot } from './columns-snapshot.js';
import { OffsetColumn, PendingColumn } from './column-blob.js';
import { claimColumn, freeColumns, noteClaim, offerColumns, readColumns, returnColumn, shareColumns, type Offer } from './column-pool.js';

export type { ColumnsCapture } from './column-forms.js';
export { ColumnsSnapshot } from './columns-snapshot.js';

/** 'f64': numbers (nulls and other values kept exactly on the side); 'u8': small ints; 'any': anything. */
export type ColumnKind = 'f64' | 'u8' | 'any';

/** A lone first chunk starts this small and doubles up to CHUNK_SIZE (small windows stay small). */
const MIN_CAP = 4;

export class LoggedColumns {
  private readonly tag: string;
  private readonly anyColumns: readonly number[];
  /** Row i lives at slot head + i: chunk slot >> CHUNK_BITS, offset slot & CHUNK_MASK. */
  private chunks: Chunk[] = [];
  private head = 0;
  private size = 0;
  /** Slots below this may be held by a snapshot (unless their chunk is of the current epoch). */
  private frozen = 0;
  /** An emptied private chunk kept for the next one needed. */
  private spare: Chunk | undefined;
  private withOthers = false;
  /** Rows removed from the head since the last capture. */
  private dropped = 0;
  /** Rows appended since the last capture (some may have been dropped since). */
  private appended = 0;
  /** A change a delta cannot express (contents swapped in); the next capture is full. */
  private dirty = false;
  /**
   * Buffers of a restore's decoded columns that this container adopted and
   * nothing else reads for good (no swap, no capture but a checkpoint's since):
   * offered to later restores when the app's state is released (releaseColumns, at shutdown).
   */
  private held: ArrayBuffer[] | undefined;
  /** Set while `held` is offered: the rows are still here until a restore takes the memory (reclaim). */
  private offer: Offer | undefined;
  /** A restore took the memory of rows this container held: they are gone, and a capture is refused. */
  private reclaimed = false;

  constructor(
    readonly kinds: readonly ColumnKind[],
    /** One of many small containers (a partition key's window): chunks up to PLAIN_CAP rows keep numbers in plain arrays. */
    private readonly small = false,
  ) {
    const layout = layoutOf(kinds);
    this.tag = layout.tag;
    this.anyColumns = layout.anyColumns;
  }

  get length(): number {
    return this.size;
  }

  /** Slot of row i (0 = head); valid until the next append or shift. */
  slot(i: number): number {
    return this.head + i;
  }

  /** Appends an empty row and returns its slot; fill every column before reading it. */
  append(): number {
    const last = this.chunks.length - 1;
    // A literal, not a push: a pushed empty array reserves 17 slots, and partition keys make many containers.
    if (last < 0) this.chunks = [Chunk.empty(this.kinds, MIN_CAP, this.small)];
    else if (this.head + this.size === (last << CHUNK_BITS) + this.chunks[last]!.cap) this.makeRoom();
    this.appended++;
    return this.head + this.size++;
  }

  /**
   * Appends an empty row for direct writes into its chunk (chunkOf(slot), at
   * offset slot & CHUNK_MASK): the copy-on-write check is done once here,
   * not per column. Fill every column, and an f64 column's mask where there is one.
   */
  appendWritable(): number {
    const s = this.append();
    if (s < this.frozen) this.thaw(s);
    return s;
  }

  /** The chunk holding `slot`, valid until the next append or shift; an appended slot's chunk has its columns decoded (see RestoredChunk). */
  chunkOf(slot: number): Chunk {
    return this.chunks[slot >> CHUNK_BITS]!;
  }

  /** Removes the head row (read it first). */
  shift(): void {
    if (this.size === 0) return;
    this.release(this.head);
    this.head++;
    this.size--;
    this.dropped++;
    const first = this.chunks[0]!;
    const firstPrivate = this.isPrivate(0);
    if (this.size === 0 && firstPrivate && this.chunks.length === 1) {
      first.settle();
      this.head = 0;
      this.frozen = 0;
    } else if (this.head === first.cap) {
      this.chunks.shift();
      if (first.cap === CHUNK_SIZE && firstPrivate) {
        first.settle();
        this.spare = first;
      }
      this.head = 0;
      this.frozen = Math.max(0, this.frozen - first.cap);
    }
  }

  /** Removes every row; a private lone chunk stays for the next batch. */
  clear(): void {
    this.dropped += this.size;
    const first = this.chunks[0];
    const keep = first !== undefined && this.chunks.length === 1 && this.isPrivate(0);
    if (keep) {
      for (let i = 0; i < this.size; i++) this.release(this.head + i);
      first.settle();
    }
    this.chunks = keep ? [first] : [];
    this.head = 0;
    this.size = 0;
    this.frozen = 0;
  }

  setNumber(col: number, slot: number, v: unknown): void {
    if (slot < this.frozen) this.thaw(slot);
    const ch = this.chunks[slot >> CHUNK_BITS]!;
    const i = slot & CHUNK_MASK;
    if (typeof v === 'number') {
      ch.numbers(col)[i] = v;
      const m = ch.masks[col];
      if (m !== null) m[i] = NUMBER;
    } else {
      this.setException(ch, col, i, v);
    }
  }

  getNumber(col: number, slot: number): unknown {
    const ch = this.chunks[slot >> CHUNK_BITS]!;
    const i = slot & CHUNK_MASK;
    const m = ch.masks[col];
    if (m === null || m[i] === NUMBER) return ch.numbers(col)[i];
    return m[i] === NULL ? null : ch.others[col]![i];
  }

  /** For f64 columns that only ever get numbers (timestamps): no exception check. */
  setF64(col: number, slot: number, v: number): void {
    if (slot < this.frozen) this.thaw(slot);
    this.chunks[slot >> CHUNK_BITS]!.numbers(col)[slot & CHUNK_MASK] = v;
  }

  getF64(col: number, slot: number): number {
    return this.chunks[slot >> CHUNK_BITS]!.numbers(col)[slot & CHUNK_MASK]!;
  }

  setU8(col: number, slot: number, v: number): void {
    if (slot < this.frozen) this.thaw(slot);
    this.chunks[slot >> CHUNK_BITS]!.bytes(col)[slot & CHUNK_MASK] = v;
  }

  getU8(col: number, slot: number): number {
    return this.chunks[slot >> CHUNK_BITS]!.bytes(col)[slot & CHUNK_MASK]!;
  }

  setValue(col: number, slot: number, v: unknown): void {
    if (slot < this.frozen) this.thaw(slot);
    this.chunks[slot >> CHUNK_BITS]!.values(col)[slot & CHUNK_MASK] = v;
  }

  getValue(col: number, slot: number): unknown {
    return this.chunks[slot >> CHUNK_BITS]!.values(col)[slot & CHUNK_MASK];
  }

  /** Shares the rows with a snapshot in O(chunks); the snapshot encodes them later (toJSON). */
  capture(mode: CaptureMode): ColumnsSnapshot {
    const len = this.size;
    const kept = Math.min(this.appended, len);
    // A delta is only worth it when it is smaller than the contents.
    const full = mode === 'full' || this.dirty || kept >= len;
    const from = this.head + (full ? 0 : len - kept);
    const n = full ? len : kept;
    const c0 = from >> CHUNK_BITS;
    const c1 = n === 0 ? c0 : ((from + n - 1) >> CHUNK_BITS) + 1;
    if (this.reclaimed) {
      throw new SiddhiStateError('its rows were released when the app was shut down, and a later restore has reused their memory: capture before shutdown()');
    }
    const snapshot = new ColumnsSnapshot(this.tag, this.kinds, this.chunks.slice(c0, c1), from - (c0 << CHUNK_BITS), n, full ? undefined : this.dropped);
    // The snapshot reads the adopted columns until its checkpoint is encoded, or (a capture of no checkpoint's) for as long as it lives.
    if (this.held !== undefined) {
      if (!readColumns(this.held, this.offer, this)) this.held = undefined;
      this.offer = undefined;
    }
    // Rows the snapshot shares are copied before they are written, kept logs or not.
    nextEpoch();
    this.frozen = this.head + this.size;
    if (!logsKept()) this.resetLog();
    return snapshot;
  }

  /** Loads a capture; a full one takes the decoded arrays over as its chunks (views, no copy). */
  restore(state: ColumnsCapture | ColumnsSnapshot): void {
    const st = state instanceof ColumnsSnapshot ? state.toJSON() : state;
    if (st.k !== this.tag) {
      throw new SiddhiStateError(`column layout '${st.k}' does not match this window's '${this.tag}' (the schema changed)`);
    }
    if (st.drop === undefined) this.adopt(st);
    else {
      this.dropRows(st.drop);
      this.appendRows(st);
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
    // Adopted columns may now be read from either container: neither offers them.
    this.keepColumns();
    other.keepColumns();
  }

  /** Whether chunk `ci` holds no row a snapshot may still read. */
  private isPrivate(ci: number): boolean {
    return this.chunks[ci]!.epoch === currentEpoch() || this.frozen <= ci << CHUNK_BITS;
  }

  /**
   * Before writing a captured slot: its chunk becomes a private copy (the
   * snapshot keeps the old one). A delta cannot express a changed row, so the
   * next capture is full.
   */
  private thaw(slot: number): void {
    this.dirty = true;
    const ci = slot >> CHUNK_BITS;
    const ch = this.chunks[ci]!;
    if (ch.epoch !== currentEpoch()) this.chunks[ci] = ch.copy(this.kinds, ch.cap, 0, ch.cap, this.small && ch.cap <= PLAIN_CAP);
  }

  /** The last chunk is full: a lone small one moves its rows to the front or doubles; otherwise a new chunk. */
  private makeRoom(): void {
    const first = this.chunks[0]!;
    if (this.chunks.length === 1 && first.cap < CHUNK_SIZE) {
      if (this.size * 2 <= first.cap && this.isPrivate(0)) {
        // A sliding window in its lone chunk: move the rows down in place (no snapshot reads this chunk).
        first.moveToFront(this.kinds, this.head, this.size);
        this.head = 0;
        return;
      }
      const cap = this.size * 2 <= first.cap ? first.cap : Math.min(CHUNK_SIZE, first.cap * 2);
      this.chunks[0] = first.copy(this.kinds, cap, this.head, this.size, this.small && cap <= PLAIN_CAP);
      // The copy is private, but rows a capture holds stay captured: writing one must still make the next capture full.
      this.frozen = Math.max(0, Math.min(this.frozen, this.head + this.size) - this.head);
      this.head = 0;
      return;
    }
    this.chunks.push(this.spare ?? Chunk.empty(this.kinds, CHUNK_SIZE));
    this.spare = undefined;
  }

  private setException(ch: Chunk, col: number, i: number, v: unknown): void {
    const m = ch.maskOf(col);
    ch.numbers(col)[i] = 0;
    if (v === null) m[i] = NULL;
    else {
      m[i] = OTHER;
      if (ch.others[col] === null) this.withOthers = true;
      const o = ch.othersOf(col);
      o[i] = v;
    }
  }

  /** Drops references held by a slot leaving the container, so the GC can take them (not in captured rows). */
  private release(slot: number): void {
    const ch = this.chunks[slot >> CHUNK_BITS]!;
    if (slot < this.frozen && ch.epoch !== currentEpoch()) return;
    const i = slot & CHUNK_MASK;
    const cols = this.anyColumns;
    for (let k = 0; k < cols.length; k++) ch.values(cols[k]!)[i] = undefined;
    if (this.withOthers) for (const o of ch.others) if (o !== null) o[i] = undefined;
  }

  /**
   * A full restore: the decoded columns become the chunks, typed columns as
   * views (no per-row work); compact ones (offsets, one repeated byte, a
   * dictionary) stay compact until a chunk is first read (RestoredChunk).
   */
  private adopt(state: ColumnsCapture): void {
    const n = state.n;
    this.dropColumns();
    this.reclaimed = false;
    this.emptyStorage();
    this.size = n;
    // Number columns whose values are not decoded yet (a format 4 or 5 body) are taken as they will be: each chunk decodes its rows first.
    const pending: PendingColumn[] = [];
    const f64 = this.kinds.map((k, col) => {
      if (k !== 'f64') return EMPTY_F64;
      const c = state.c[col];
      if (!(c instanceof PendingColumn)) return asNumberColumn(c, n);
      pending.push(c);
      return asNumberColumn(c.unsettled(), n);
    });
    const u8 = this.kinds.map((k, col) => (k === 'u8' ? asByteColumn(state.c[col], n) : EMPTY_U8));
    const any = this.kinds.map((k, col) => (k === 'any' ? asValueColumn(state.c[col], n, col) : EMPTY_ANY));
    const compact: CompactColumns = {
      offsets: f64.map((v) => (v instanceof Float64Array ? undefined : v)),
      uniform: u8.map((v) => (typeof v === 'number' ? v : undefined)),
      coded: any.map((v) => (Array.isArray(v) ? undefined : v)),
      pending,
    };
    const lazy = compact.offsets.some(isSet) || compact.uniform.some(isSet) || compact.coded.some(isSet) || pending.length > 0;
    this.claim([...f64.map((v) => (v instanceof Float64Array ? v : v.offsets)), ...u8, ...compact.coded.map((c) => c?.codes)]);
    /** Rows [at, at + cap) as a chunk; cap = n keeps the arrays whole. */
    const chunkAt = (at: number, cap: number): Chunk => {
      const part = <T extends Float64Array | Uint8Array>(a: T) => (a.length === 0 || cap === n ? a : a.subarray(at, at + cap) as T);
      // A compact column's place holds an empty array until the chunk decodes it.
      const numbers = f64.map((v) => (v instanceof Float64Array ? part(v) : EMPTY_F64));
      const bytes = u8.map((v) => (typeof v === 'number' ? EMPTY_U8 : part(v)));
      const values = any.map((v) => (!Array.isArray(v) || v === EMPTY_ANY ? EMPTY_ANY : cap === n ? v : v.slice(at, at + cap)));
      return lazy ? new RestoredChunk(cap, numbers, bytes, values, compact, at) : new Chunk(cap, numbers, bytes, values);
    };
    if (n > 0 && n <= CHUNK_SIZE) this.chunks.push(chunkAt(0, n));
    else {
      for (let at = 0; at < n; at += CHUNK_SIZE) {
        // The last, partial one is copied into a chunk with room for CHUNK_SIZE rows.
        this.chunks.push(n - at >= CHUNK_SIZE ? chunkAt(at, CHUNK_SIZE) : chunkAt(at, n - at).copy(this.kinds, CHUNK_SIZE, 0, n - at));
      }
    }
    this.applyExceptions(state, 0);
    // The decoded arrays stay the caller's (a lenient restore reuses a cell's initial state): the adopted rows count as
    // captured, so the first write to one copies its chunk (and makes the next capture full) and a shift leaves them alone.
    // Format 5 relies on it: a chained frame decodes from the bytes of the frame before, as decoded (own-memory-decoder.ts settleFrame).
    nextEpoch();
    this.frozen = n;
  }

  /** Takes over the buffers of `arrays` that a restore's decode lent (column-pool.ts) and nothing claimed yet. */
  private claim(arrays: readonly (ArrayBufferView | number | undefined)[]): void {
    let owned: ArrayBuffer[] | undefined;
    for (const a of arrays) {
      if (typeof a !== 'object') continue;
      // Columns viewing one body of its own share its buffer: it is held once.
      const b = claimColumn(a, this);
      if (b !== undefined && !owned?.includes(b)) (owned ??= []).push(b);
    }
    if (owned === undefined) return;
    this.held = owned;
    noteClaim(this);
  }

  /**
   * The app's state is released (its runtime shut down): adopted columns that
   * no capture shares are offered to later restores. The rows stay readable
   * until one takes the memory (reclaim); a capture first withdraws the offer.
   */
  releaseColumns(): void {
    if (this.held !== undefined && this.offer === undefined) this.offer = offerColumns(this.held, this);
  }

  /** A restore took memory this container offered: its rows are dropped, and captures refused. */
  reclaim(): void {
    // Its other adopted columns are free too: none of its rows is read again.
    if (this.held !== undefined) freeColumns(this.held, this, this.offer);
    this.held = undefined;
    this.offer = undefined;
    this.reclaimed = true;
    this.emptyStorage();
    this.dirty = true;
  }

  /** No rows and no chunk kept (clear() keeps a private lone chunk for the next batch). */
  private emptyStorage(): void {
    this.chunks = [];
    this.head = 0;
    this.size = 0;
    this.frozen = 0;
    this.spare = undefined;
    this.withOthers = false;
  }

  /** Something else may read the adopted columns from now on (a capture, a swap): they stay this container's for good. */
  private keepColumns(): void {
    if (this.held !== undefined) shareColumns(this.held, this.offer);
    this.offer = undefined;
    this.held = undefined;
  }

  /** The rows are replaced: adopted columns nothing else reads are free for later restores at once. */
  private dropColumns(): void {
    const held = this.held;
    if (held === undefined) return;
    freeColumns(held, this, this.offer);
    this.held = undefined;
    this.offer = undefined;
  }

  /** A delta's drop: whole chunks leave without touching their rows, the rest row by row. */
  private dropRows(drop: number): void {
    let d = Math.min(drop, this.size);
    while (d > 0) {
      const first = this.chunks[0]!;
      const inFirst = first.cap - this.head;
      if (this.chunks.length === 1 || d < inFirst) {
        for (; d > 0; d--) this.shift();
        return;
      }
      this.chunks.shift();
      this.head = 0;
      this.size -= inFirst;
      this.dropped += inFirst;
      this.frozen = Math.max(0, this.frozen - first.cap);
      d -= inFirst;
    }
  }

  /** A delta's new rows, copied a chunk's run at a time. */
  private appendRows(state: ColumnsCapture): void {
    const n = state.n;
    const at = this.size;
    const cols = this.kinds.map((k, col) => {
      const raw = state.c[col];
      return k === 'f64' ? asNumbers(raw, n) : k === 'u8' ? asBytes(raw, n) : asValues(raw, n, col);
    });
    for (let i = 0; i < n; ) {
      const s = this.append();
      const ch = this.chunks[s >> CHUNK_BITS]!;
      const off = s & CHUNK_MASK;
      const count = Math.min(n - i, ch.cap - off);
      this.size += count - 1;
      this.appended += count - 1;
      for (let col = 0; col < cols.length; col++) {
        const k = this.kinds[col];
        if (k === 'f64') {
          copyNumbers(ch.numbers(col), off, cols[col] as Float64Array, i, count);
          // A reused chunk may carry an old mask for these slots.
          ch.masks[col]?.fill(NUMBER, off, off + count);
        } else if (k === 'u8') {
          copyNumbers(ch.bytes(col), off, cols[col] as Uint8Array, i, count);
        } else {
          const from = cols[col] as unknown[];
          const to = ch.values(col);
          for (let r = 0; r < count; r++) to[off + r] = from[i + r];
        }
      }
      i += count;
    }
    this.applyExceptions(state, at);
    // Copied: the views a restore's decode lent are handed back, so they keep its memory from no later restore (own-bodies.ts).
    for (const raw of state.c) {
      const view = typedArrayOf(raw);
      if (view !== undefined) returnColumn(view);
    }
  }

  private applyExceptions(state: ColumnsCapture, at: number): void {
    state.x.forEach((pairs, col) => {
      if (!pairs) return;
      for (let i = 0; i < pairs.length; i += 2) {
        const s = this.slot(at + (pairs[i] as number));
        if (s < this.frozen) this.thaw(s);
        this.setException(this.chunks[s >> CHUNK_BITS]!, col, s & CHUNK_MASK, pairs[i + 1]);
      }
    });
  }
}

/** The typed array a decoded column is (or, offset- or dictionary-coded, keeps its offsets or codes in), if any. */
function typedArrayOf(raw: unknown): ArrayBufferView | undefined {
  if (ArrayBuffer.isView(raw)) return raw;
  if (raw instanceof OffsetColumn) return raw.offsets;
  if (raw instanceof PendingColumn) return typedArrayOf(raw.unsettled());
  const codes = (raw as { i?: unknown } | null | undefined)?.i;
  return ArrayBuffer.isView(codes) ? codes : undefined;
}

function isSet(v: unknown): boolean {
  return v !== undefined;
}

/** The storage fields `swap` exchanges (the delta logs stay with their container). */
const SWAPPED = ['chunks', 'head', 'size', 'frozen', 'spare', 'withOthers', 'reclaimed'] as const;

/** What a container derives from its column kinds, shared by containers of one kinds array (a partition's instances). */
const LAYOUTS = new WeakMap<readonly ColumnKind[], { readonly tag: string; readonly anyColumns: readonly number[] }>();

function layoutOf(kinds: readonly ColumnKind[]): { readonly tag: string; readonly anyColumns: readonly number[] } {
  let layout = LAYOUTS.get(kinds);
  if (layout === undefined) {
    layout = { tag: kinds.map((k) => k[0]).join(''), anyColumns: kinds.flatMap((k, col) => (k === 'any' ? [col] : [])) };
    LAYOUTS.set(kinds, layout);
  }
  return layout;
}
