// A pattern state whose filter has `attr == eK.attr` against an earlier state
// (`e2=S[symbol == e1.symbol]`): its pending matches are kept in buckets by
// that key, so an event only meets the matches of its own key. With `within`
// an arrival-order queue drops expired matches from the front, without a scan.
// A queued match is live while its slot here is empty (taking an event fills
// it): no per-match map entry to keep.

import { EXPIRED, type StateEvent, type StreamEvent } from '../../event.js';
import { KeyedNode } from './keyed-node.js';
import { type PatternShared, sortByTime, truncate } from './stream-node.js';

export class KeyedStreamNode extends KeyedNode<StateEvent> {
  /** Arrival order, for `within` expiry and checkpoints (consumed entries are skipped lazily), and each entry's key. */
  private order: StateEvent[] = [];
  private orderKeys: unknown[] = [];
  private head = 0;
  /** Live matches. */
  private live = 0;
  /**
   * While `now` stays in [liveFrom, liveUntil] the first live match in the
   * queue is within `within`, so expireEvents, which stops there, returns at
   * once. Any change to the front forgets it (empty range).
   */
  private liveFrom = Infinity;
  private liveUntil = -Infinity;

  constructor(
    slot: number,
    shared: PatternShared,
    filter: ((m: StateEvent) => boolean) | undefined,
    /** The key of a pending match (read from an earlier state). */
    private readonly matchKey: (m: StateEvent) => unknown,
    eventIndex: number,
  ) {
    super(slot, shared, filter, eventIndex);
  }

  override pendingList(): StateEvent[] {
    const out: StateEvent[] = [];
    for (let i = this.head; i < this.order.length; i++) {
      const m = this.order[i]!;
      if (this.isLive(m)) out.push(m);
    }
    return out;
  }

  private isLive(m: StateEvent): boolean {
    return m.events[this.slot] === null;
  }

  override setPending(list: StateEvent[]): void {
    this.forgetLive();
    this.buckets.clear();
    this.order = [];
    this.orderKeys = [];
    this.head = 0;
    this.live = 0;
    for (const m of list) this.insert(m);
  }

  private forgetLive(): void {
    this.liveFrom = Infinity;
    this.liveUntil = -Infinity;
  }

  private insert(m: StateEvent): void {
    // Appended behind a live match, `m` leaves the first one (what the range is about) as it was.
    if (this.live === 0) this.forgetLive();
    const key = this.matchKey(m) ?? null;
    const b = this.buckets.get(key);
    if (b) b.push(m);
    else this.buckets.set(key, [m]);
    this.order.push(m);
    this.orderKeys.push(key);
    this.live++;
  }

  /** Takes live match `m` (key `key`) out of its bucket: usually its first, as buckets are in start order. */
  private drop(m: StateEvent, key: unknown): void {
    this.live--;
    const b = this.buckets.get(key);
    if (!b) return;
    if (b[0] === m) b.shift();
    else {
      const i = b.indexOf(m);
      if (i >= 0) b.splice(i, 1);
    }
    if (b.length === 0) this.dropBucket();
  }

  /**
   * An emptied bucket stays (its key usually comes back: deleting it and
   * making it again cost a map delete, a set and an array per match of a
   * key); when empty buckets outnumber live matches by far, they all go at once.
   */
  private dropBucket(): void {
    if (this.buckets.size > 2 * this.live + 1024) this.sweepBuckets();
  }

  private sweepBuckets(): void {
    for (const [k, b] of this.buckets) if (b.length === 0) this.buckets.delete(k);
  }

  override updateState(): void {
    if (this.fresh.length === 0) return;
    sortByTime(this.fresh);
    for (const m of this.fresh) this.insert(m);
    truncate(this.fresh, 0);
    this.freshEmptied();
  }

  override expireEvents(now: number): void {
    if (now <= this.liveUntil && now >= this.liveFrom && this.fresh.length === 0) return;
    const shared = this.shared;
    let expired: StateEvent | undefined;
    const order = this.order;
    while (this.head < order.length) {
      const m = order[this.head]!;
      if (this.isLive(m)) {
        if (!shared.isExpired(m, now)) {
          this.noteLive(m);
          break;
        }
        this.drop(m, this.orderKeys[this.head]);
        if (m.type !== EXPIRED) {
          m.type = EXPIRED;
          expired = m;
        }
      }
      this.head++;
    }
    if (this.head === order.length) {
      // No live match: nothing to expire until one is inserted (which forgets this).
      this.liveFrom = -Infinity;
      this.liveUntil = Infinity;
    }
    this.compact();
    expired = this.expireFresh(now) ?? expired;
    if (expired !== undefined && this.withinEvery !== undefined) {
      this.withinEvery.addEveryState(expired);
      this.withinEvery.updateState();
    }
  }

  /** `m`, the first live match, is not expired: remember until when. */
  private noteLive(m: StateEvent): void {
    const shared = this.shared;
    this.liveFrom = shared.latestStartOf(m) - shared.within;
    this.liveUntil = shared.startOf(m) + shared.within;
  }

  /** Drops consumed entries from the arrival queue (from the front, or all at once when they pile up behind a long-lived match). */
  private compact(): void {
    const order = this.order;
    while (this.head < order.length && !this.isLive(order[this.head]!)) this.head++;
    if (order.length - this.head > 2 * this.live + 1024) {
      this.keepLiveAfterHead();
    } else if (this.head > 1024 && this.head * 2 > order.length) {
      this.order = order.slice(this.head);
      this.orderKeys = this.orderKeys.slice(this.head);
      this.head = 0;
    } else if (this.head === order.length && this.head > 0) {
      truncate(order, 0);
      truncate(this.orderKeys, 0);
      this.head = 0;
    }
  }

  /** Keeps the live entries from the head on (a method: a closure in compact made each call allocate). */
  private keepLiveAfterHead(): void {
    const order: StateEvent[] = [];
    const keys: unknown[] = [];
    for (let i = this.head; i < this.order.length; i++) {
      const m = this.order[i]!;
      if (!this.isLive(m)) continue;
      order.push(m);
      keys.push(this.orderKeys[i]);
    }
    this.order = order;
    this.orderKeys = keys;
    this.head = 0;
  }

  override processAndReturn(e: StreamEvent, out: StateEvent[]): void {
    const key = e.data[this.eventIndex];
    // `==` with null is false: such an event completes nothing here.
    if (key === null || key === undefined) return;
    const p = this.buckets.get(key);
    if (p === undefined) return;
    let w = 0;
    for (let r = 0; r < p.length; r++) {
      const m = p[r]!;
      m.events[this.slot] = e;
      this.changed = false;
      this.offer(m);
      this.collect(m, out);
      if (this.changed) {
        // Its slot now holds the event: its queue entry is dead.
        this.live--;
        this.forgetLive();
        continue;
      }
      m.events[this.slot] = null;
      if (w !== r) p[w] = m;
      w++;
    }
    // Setting length costs a runtime call even when it does not change (most events complete nothing).
    if (w !== p.length) truncate(p, w);
    if (w === 0) this.dropBucket();
    if (this.shared.within < 0) this.compact();
  }
}
