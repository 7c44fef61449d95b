// The last state of `every e1=S[f] -> e2=S[k == e1.k and g] [within T]`,
// planned instead of a KeyedStreamNode when kernels are on: its pending
// partial matches are rows (e1's time and a copy of e1's row) in a ring
// in arrival order, indexed by key, not match objects. The generated step
// hands it rows (addStarted from the start state, takeRow for an arriving
// event), so a partial match costs one row copy and a completed one no object
// when the selector projects it at once. A match object is made only when
// something needs one (a checkpoint, the interpreted offer, a selector that
// keeps its input), so the cells see the same matches as KeyedStreamNode's.
// An entry is live while it has a row; its match object is read only while
// some entry has one, and the last entry's bucket is kept beside the map (a
// partition key's node sees one key): an event reads few objects of the node.

import { CURRENT, EXPIRED, StateEvent, StreamEvent } from '../../event.js';
import { KeyedNode } from './keyed-node.js';
import { lend, type PatternShared, sortByTime, truncate } from './stream-node.js';

/**
 * A match over lent events, for the filter and for a selector that projects
 * it at once: one for every node (each use sets what it reads, and none keeps
 * it across a call out), so a partition's keys share them and they stay in cache.
 */
const SCRATCH = new StateEvent(-1, [null, null], CURRENT);
const FIRST_LENT = new StreamEvent(0, [], CURRENT);
const OWN_LENT = new StreamEvent(0, [], CURRENT);

/** No key: lastKey before the first entry, and after the map dropped buckets. */
const NO_KEY = Symbol('no key');

export class KeyedRowNode extends KeyedNode<number> {
  /** Entries [head, tail) by sequence number; entry q sits at q & mask. */
  private mask = 15;
  private starts = new Float64Array(16);
  /** An entry's row (a copy of e1's); undefined once the entry is dead (completed, expired or cleared). */
  private rows: (unknown[] | undefined)[] = new Array<undefined>(16).fill(undefined);
  /** An entry's match object, when one was handed over (addState) or made (matchAt). */
  private objs: (StateEvent | undefined)[] = new Array<undefined>(16).fill(undefined);
  /** How many entries of `objs` are set: none, in the usual run, and the offer then reads no match objects. */
  private objCount = 0;
  /** The last entry's key and its bucket, so a node that sees one key (a partition's) skips the map. */
  private lastKey: unknown = NO_KEY;
  private lastBucket: number[] | undefined = undefined;
  private head = 0;
  private tail = 0;
  private live = 0;
  /**
   * With `within`, entries from this number on were handed over (addStarted)
   * since the last stabilize: they are still the reference's new list, which
   * expiry scans whole, where it drops pending matches from the front only.
   * An entry that started before a live one ahead of it and has expired by the
   * next event must go then, as KeyedStreamNode's fresh match does, not stay
   * behind the live front (and complete later, at a time nearer its start).
   * expireEvents makes them pending; a checkpoint lists them as new (newList).
   */
  private newFrom = 0;

  constructor(
    slot: number,
    shared: PatternShared,
    filter: ((m: StateEvent) => boolean) | undefined,
    eventIndex: number,
    /** The attribute of e1's row that is a partial match's key. */
    private readonly keyIndex: number,
  ) {
    super(slot, shared, filter, eventIndex);
  }

  /** restartRow's hand-over: a partial match as a row, new until the next expireEvents (nothing offers this state the event that made it). */
  override addStarted(armed: StateEvent, slot: number, ts: number, d: unknown[]): void {
    if (this.fresh.length !== 0) super.addStarted(armed, slot, ts, d);
    else this.push(ts, d.slice(), undefined);
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
    if (this.live === 0) {
      // What the loops below do when every entry is dead, without reading the times or the pattern's
      // shared state: an e1 row of a partition key whose earlier matches all ended reads neither.
      this.head = this.newFrom = this.tail;
      if (this.fresh.length !== 0) this.expireFresh(now);
      return;
    }
    const within = this.shared.within;
    while (this.head !== this.tail) {
      const i = this.head & this.mask;
      if (this.rows[i] !== undefined) {
        if (!(Math.abs(this.starts[i]! - now) > within)) break;
        this.unlink(i, this.head);
      }
      this.head++;
    }
    // The new entries (usually none or one): every expired one goes, the rest become pending.
    for (let q = Math.max(this.head, this.newFrom); q < this.tail; q++) {
      const i = q & this.mask;
      if (this.rows[i] !== undefined && Math.abs(this.starts[i]! - now) > within) this.unlink(i, q);
    }
    this.newFrom = this.tail;
    while (this.head !== this.tail && this.rows[this.head & this.mask] === undefined) this.head++;
    if (this.fresh.length !== 0) this.expireFresh(now);
  }

  /**
   * The event (ts, lent row `d`) offered to the matches of its key, as
   * processAndReturn and the runtime's flush do it: completed matches leave
   * and are emitted in order once the bucket is settled.
   */
  takeRow(ts: number, d: unknown[]): void {
    const b = this.bucketOf(d);
    if (b === undefined) return;
    const m = SCRATCH;
    const events = m.events;
    events[1] = lend(OWN_LENT, ts, d);
    let n = 0;
    let start = 0;
    let row: unknown[] | undefined;
    let obj: StateEvent | undefined;
    let more: unknown[] | undefined;
    let w = 0;
    for (let r = 0; r < b.length; r++) {
      const q = b[r]!;
      const i = q & this.mask;
      const o = this.objCount === 0 ? undefined : this.objs[i];
      events[0] = o !== undefined ? o.events[0]! : lend(FIRST_LENT, this.starts[i]!, this.rows[i]!);
      m.timestamp = this.starts[i]!;
      m.type = o !== undefined ? o.type : CURRENT;
      if (this.filter !== undefined && !this.filter(m)) {
        b[w++] = q;
        continue;
      }
      if (n++ === 0) {
        start = this.starts[i]!;
        row = this.rows[i];
        obj = o;
      } else {
        (more ??= []).push(this.starts[i], this.rows[i], o);
      }
      this.kill(i);
    }
    events[0] = null;
    events[1] = null;
    this.settle(b, w);
    if (n === 0) return;
    this.emitRow(start, row!, obj, ts, d);
    if (more !== undefined) for (let k = 0; k < more.length; k += 3) this.emitRow(more[k] as number, more[k + 1] as unknown[], more[k + 2] as StateEvent | undefined, ts, d);
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
  private settle(b: number[], w: number): void {
    if (w !== b.length) truncate(b, w);
    if (w === 0) this.dropBucket();
    while (this.head !== this.tail && this.rows[this.head & this.mask] === undefined) this.head++;
  }

  /** A completed match to the selector: the lent scratch match when it projects at once, else a match object. */
  private emitRow(start: number, row: unknown[], obj: StateEvent | undefined, ts: number, d: unknown[]): void {
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
  private push(start: number, row: unknown[], obj: StateEvent | undefined): void {
    if (this.tail - this.head > this.mask) this.grow();
    const q = this.tail++;
    const i = q & this.mask;
    const key = row[this.keyIndex] ?? null;
    this.starts[i] = start;
    this.rows[i] = row;
    if (obj !== undefined) {
      this.objs[i] = obj;
      this.objCount++;
    }
    this.live++;
    let b = this.bucketAt(key);
    if (b !== undefined) b.push(q);
    else this.buckets.set(key, (b = [q]));
    this.lastKey = key;
    this.lastBucket = b;
  }

  /** Entry i's key: its row's key attribute, null for none (as push filed it). */
  private keyAt(i: number): unknown {
    return this.rows[i]![this.keyIndex] ?? null;
  }

  /** Live entry i (number q) leaves by `within`. */
  private unlink(i: number, q: number): void {
    const key = this.keyAt(i);
    if (this.objCount !== 0) {
      const o = this.objs[i];
      if (o !== undefined) o.type = EXPIRED;
    }
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

  /** Live entry i leaves (completed or expired): no row, no match object. */
  private kill(i: number): void {
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
  private grow(): void {
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
