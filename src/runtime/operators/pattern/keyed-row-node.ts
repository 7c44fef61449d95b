// The last state of `every e1=S[f] -> e2=S[k == e1.k and g] [within T]`,
// planned instead of a KeyedStreamNode when kernels are on: its pending
// partial matches are rows (e1's time and a copy of e1's row) in a ring
// in arrival order, indexed by key, not match objects. The generated step
// hands it rows (the start state's hand-over, and the offer of an arriving
// event, written by keyed-row-step.ts into each step's own script), so a
// partial match costs one row copy and a completed one no object when the
// selector projects it at once. A match object is made only when something
// needs one (a checkpoint, the interpreted offer, a selector that keeps its
// input), so the cells see the same matches as KeyedStreamNode's.
// An entry is live while it has a row; its match object is read only while
// some entry has one, and the last entry's bucket is kept beside the map (a
// partition key's node sees one key): an event reads few objects of the node.
// The fields the generated step reads and writes are public for it.

import { CURRENT, EXPIRED, StateEvent, StreamEvent } from '../../event.js';
import { compileOnce } from '../../kernel/compile-once.js';
import { KeyedNode } from './keyed-node.js';
import { expireRowsLines, pushRowLines } from './keyed-row-step.js';
import { lend, type PatternShared, sortByTime, truncate } from './stream-node.js';

/**
 * A match over lent events, for the filter and for a selector that projects
 * it at once: one for every node (each use sets what it reads, and none keeps
 * it across a call out), so a partition's keys share them and they stay in cache.
 */
const SCRATCH = new StateEvent(-1, [null, null], CURRENT);
const FIRST_LENT = new StreamEvent(0, [], CURRENT);
const OWN_LENT = new StreamEvent(0, [], CURRENT);

/** The lent match and events, for the offer the generated step writes (keyed-row-step.ts takeRowLines). */
export const KEYED_LENT = { match: SCRATCH, first: FIRST_LENT, own: OWN_LENT } as const;

/** Spare rows a node keeps (KeyedRowNode.recycle). */
const SPARE_KEPT = 16;

/** No key: lastKey before the first entry, and after the map dropped buckets. */
const NO_KEY = Symbol('no key');

type Expire = (n: KeyedRowNode, ts: number) => void;
type Push = (n: KeyedRowNode, start: number, row: unknown[], obj: StateEvent | undefined) => void;

/** The generated step's expiry and append, compiled once for the interpreted callers (stabilize, restores, the new list). */
const expireRows = compileOnce<undefined, Expire>(
  ["'use strict';", 'return function expireEvents(n, ts) {', ...expireRowsLines('n').map((l) => `  ${l}`), '};'].join('\n'),
)(undefined);
const pushRow = compileOnce<undefined, Push>(
  ["'use strict';", 'return function push(n, start, row, obj) {', ...pushRowLines('n', 'start', 'row', 'obj').map((l) => `  ${l}`), '};'].join('\n'),
)(undefined);

export class KeyedRowNode extends KeyedNode<number> {
  /** Entries [head, tail) by sequence number; entry q sits at q & mask. */
  mask = 15;
  starts = new Float64Array(16);
  /** An entry's row (a copy of e1's); undefined once the entry is dead (completed, expired or cleared). */
  rows: (unknown[] | undefined)[] = new Array<undefined>(16).fill(undefined);
  /** An entry's match object, when one was handed over (addState) or made (matchAt). */
  objs: (StateEvent | undefined)[] = new Array<undefined>(16).fill(undefined);
  /** How many entries of `objs` are set: none, in the usual run, and the offer then reads no match objects. */
  objCount = 0;
  /**
   * Rows of entries that ended held by no match object, projection or
   * emitted event (expired, or completed and projected at once), for the
   * next entry to copy into (rowFor).
   */
  spare: unknown[][] = [];
  /** The last entry's key and its bucket, so a node that sees one key (a partition's) skips the map. */
  lastKey: unknown = NO_KEY;
  lastBucket: number[] | undefined = undefined;
  head = 0;
  tail = 0;
  live = 0;
  /**
   * With `within`, entries from this number on were handed over (addStarted)
   * since the last stabilize: they are still the reference's new list, which
   * expiry scans whole, where it drops pending matches from the front only.
   * An entry that started before a live one ahead of it and has expired by the
   * next event must go then, as KeyedStreamNode's fresh match does, not stay
   * behind the live front (and complete later, at a time nearer its start).
   * expireEvents makes them pending; a checkpoint lists them as new (newList).
   */
  newFrom = 0;

  constructor(
    slot: number,
    shared: PatternShared,
    filter: ((m: StateEvent) => boolean) | undefined,
    eventIndex: number,
    /** The attribute of e1's row that is a partial match's key. */
    readonly keyIndex: number,
  ) {
    super(slot, shared, filter, eventIndex);
  }

  /** The generated step's hand-over while the new list holds matches (keyed-row-step.ts addStartedLines), else a partial match as a row, new until the next expireEvents (nothing offers this state the event that made it). */
  override addStarted(armed: StateEvent, slot: number, ts: number, d: unknown[]): void {
    if (this.fresh.length !== 0) super.addStarted(armed, slot, ts, d);
    else this.push(ts, this.rowFor(d), undefined);
  }

  override updateState(): void {
    if (this.fresh.length === 0) return;
    sortByTime(this.fresh);
    for (const m of this.fresh) this.pushMatch(m);
    truncate(this.fresh, 0);
    this.freshEmptied();
    // Moved to the pending list (expireEvents, which runs first, emptied the new entries).
    this.newFrom = this.tail;
  }

  /** Where the new entries start: without `within` (no expireEvents) every entry is pending. */
  private newStart(): number {
    return this.shared.within < 0 ? this.tail : Math.max(this.head, this.newFrom);
  }

  override pendingList(): StateEvent[] {
    return this.entries(this.head, this.newStart());
  }

  override newList(): StateEvent[] {
    const out = this.entries(this.newStart(), this.tail);
    for (const m of this.fresh) out.push(m);
    return out;
  }

  /** Match objects of the live entries [from, to). */
  private entries(from: number, to: number): StateEvent[] {
    const out: StateEvent[] = [];
    for (let q = from; q < to; q++) if (this.rows[q & this.mask] !== undefined) out.push(this.matchAt(q & this.mask));
    return out;
  }

  override setPending(list: StateEvent[]): void {
    this.buckets.clear();
    this.lastKey = NO_KEY;
    this.head = this.tail = this.live = 0;
    this.rows.fill(undefined);
    this.objs.fill(undefined);
    this.objCount = 0;
    for (const m of list) this.pushMatch(m);
    this.newFrom = this.tail;
  }

  override expireEvents(now: number): void {
    expireRows(this, now);
  }

  /** The interpreted offer: as KeyedStreamNode's, over match objects made for the entries of the event's key. */
  override processAndReturn(e: StreamEvent, out: StateEvent[]): void {
    const b = this.bucketOf(e.data);
    if (b === undefined) return;
    let w = 0;
    for (let r = 0; r < b.length; r++) {
      const q = b[r]!;
      const m = this.matchAt(q & this.mask);
      m.events[this.slot] = e;
      this.changed = false;
      this.offer(m);
      this.collect(m, out);
      if (this.changed) {
        this.kill(q & this.mask);
        continue;
      }
      m.events[this.slot] = null;
      b[w++] = q;
    }
    this.settle(b, w);
  }

  private bucketOf(d: unknown[]): number[] | undefined {
    const key = d[this.eventIndex];
    // `==` with null is false: such an event completes nothing here.
    if (key === null || key === undefined) return undefined;
    const b = this.bucketAt(key);
    return b !== undefined && b.length > 0 ? b : undefined;
  }

  override waitsFor(key: unknown): boolean {
    if (key === null || key === undefined) return false;
    const b = this.bucketAt(key);
    return b !== undefined && b.length > 0;
  }

  /** The bucket of `key` (undefined: none); that of the last entry's key without the map. */
  private bucketAt(key: unknown): number[] | undefined {
    return key === this.lastKey ? this.lastBucket : this.buckets.get(key);
  }

  /** After an offer: the bucket keeps its first `w` entries; dead entries at the head go. */
  settle(b: number[], w: number): void {
    if (w !== b.length) truncate(b, w);
    if (w === 0) this.dropBucket();
    while (this.head !== this.tail && this.rows[this.head & this.mask] === undefined) this.head++;
  }

  /** A completed match to the selector: the lent scratch match when it projects at once, else a match object. */
  emitRow(start: number, row: unknown[], obj: StateEvent | undefined, ts: number, d: unknown[]): void {
    const shared = this.shared;
    if (obj !== undefined) {
      obj.events[this.slot] = new StreamEvent(ts, d.slice(), CURRENT);
      obj.timestamp = ts;
      shared.emit(obj);
      return;
    }
    const m = SCRATCH;
    m.events[0] = lend(FIRST_LENT, start, row);
    m.events[1] = lend(OWN_LENT, ts, d);
    m.timestamp = ts;
    m.type = CURRENT;
    const projected = shared.emitLent(m);
    m.events[0] = null;
    m.events[1] = null;
    if (!projected) shared.emit(new StateEvent(ts, [new StreamEvent(start, row, CURRENT), new StreamEvent(ts, d.slice(), CURRENT)], CURRENT));
  }

  /** Entry i's match object (made now when it has none): e1's event in slot 0, this slot empty. */
  private matchAt(i: number): StateEvent {
    let o = this.objs[i];
    if (o === undefined) {
      const start = this.starts[i]!;
      o = new StateEvent(start, [new StreamEvent(start, this.rows[i]!, CURRENT), null], CURRENT);
      this.objs[i] = o;
      this.objCount++;
    }
    return o;
  }

  private pushMatch(m: StateEvent): void {
    const first = m.events[0];
    const e = first instanceof StreamEvent ? first : null;
    this.push(e === null ? NaN : e.timestamp, e === null ? [] : e.data, m);
  }

  /** Appends an entry. */
  push(start: number, row: unknown[], obj: StateEvent | undefined): void {
    pushRow(this, start, row, obj);
  }

  /** Entry i's key: its row's key attribute, null for none (as push filed it). */
  private keyAt(i: number): unknown {
    return this.rows[i]![this.keyIndex] ?? null;
  }

  /** Live entry i (number q) leaves by `within`. */
  unlink(i: number, q: number): void {
    const row = this.rows[i]!;
    const key = row[this.keyIndex] ?? null;
    const o = this.objCount === 0 ? undefined : this.objs[i];
    if (o !== undefined) o.type = EXPIRED;
    else this.recycle(row);
    this.kill(i);
    const b = this.bucketAt(key);
    if (b === undefined) return;
    if (b[0] === q) b.shift();
    else {
      const k = b.indexOf(q);
      if (k >= 0) b.splice(k, 1);
    }
    if (b.length === 0) this.dropBucket();
  }

  /**
   * A copy of the lent row `d` for a new entry: into a spare row when there is
   * one. A partition key's entries end about as often as they start, so the
   * copies cost no allocation (Q6: 72 B on one row in ten).
   */
  rowFor(d: readonly unknown[]): unknown[] {
    const row = this.spare.pop();
    if (row === undefined || row.length !== d.length) return d.slice();
    for (let j = 0; j < d.length; j++) row[j] = d[j];
    return row;
  }

  /** A row no one holds any more, kept for a next entry (up to a few: the spare rows of a burst would outlive it). */
  recycle(row: unknown[]): void {
    if (this.spare.length < SPARE_KEPT) this.spare.push(row);
  }

  /** Live entry i leaves (completed or expired): no row, no match object. */
  kill(i: number): void {
    this.rows[i] = undefined;
    if (this.objCount !== 0 && this.objs[i] !== undefined) {
      this.objs[i] = undefined;
      this.objCount--;
    }
    this.live--;
  }

  /** An emptied bucket stays (its key usually comes back) until empty ones outnumber live entries by far. */
  private dropBucket(): void {
    if (this.buckets.size <= 2 * this.live + 1024) return;
    for (const [k, b] of this.buckets) if (b.length === 0) this.buckets.delete(k);
    this.lastKey = NO_KEY;
  }

  /** The ring is full: the live entries, renumbered from 0, into a ring twice as large (or as large, when most are dead). */
  grow(): void {
    const size = this.mask + 1;
    const cap = 2 * this.live + 16 <= size ? size : 2 * size;
    const starts = new Float64Array(cap);
    const rows = new Array<unknown[] | undefined>(cap).fill(undefined);
    const objs = new Array<StateEvent | undefined>(cap).fill(undefined);
    for (const b of this.buckets.values()) truncate(b, 0);
    let t = 0;
    let newFrom = -1;
    for (let q = this.head; q < this.tail; q++) {
      const i = q & this.mask;
      if (q >= this.newFrom && newFrom < 0) newFrom = t;
      if (this.rows[i] === undefined) continue;
      starts[t] = this.starts[i]!;
      rows[t] = this.rows[i];
      objs[t] = this.objs[i];
      this.bucketAt(this.keyAt(i))!.push(t);
      t++;
    }
    this.starts = starts;
    this.rows = rows;
    this.objs = objs;
    this.mask = cap - 1;
    this.head = 0;
    this.tail = t;
    this.newFrom = newFrom < 0 ? t : newFrom;
  }
}
