// A pattern state whose filter has `attr == eK.attr` against an earlier state
// (`e2=S[symbol == e1.symbol]`): its pending matches are kept in buckets by
// that key, so an event only meets the matches of its own key. With `within`
// an arrival-order queue drops expired matches from the front, without a scan.

import { EXPIRED, type StateEvent, type StreamEvent } from '../../event.js';
import { type PatternShared, sortByTime, StreamNode } from './stream-node.js';

export class KeyedStreamNode extends StreamNode {
  private buckets = new Map<unknown, StateEvent[]>();
  /** Live matches and their keys. */
  private keys = new Map<StateEvent, unknown>();
  /** Arrival order, for `within` expiry and checkpoints (consumed entries are skipped lazily). */
  private order: StateEvent[] = [];
  private head = 0;
  /**
   * While `now` stays in [liveFrom, liveUntil] the oldest live match (and so,
   * in start order, every match) is within `within`: expireEvents returns at
   * once. Any change to the matches forgets it (empty range).
   */
  private liveFrom = Infinity;
  private liveUntil = -Infinity;

  constructor(
    slot: number,
    shared: PatternShared,
    filter: ((m: StateEvent) => boolean) | undefined,
    /** The key of a pending match (read from an earlier state). */
    private readonly matchKey: (m: StateEvent) => unknown,
    /** The key of an arriving event. */
    private readonly eventKey: (e: StreamEvent) => unknown,
  ) {
    super(slot, shared, filter);
  }

  override pendingList(): StateEvent[] {
    const out: StateEvent[] = [];
    for (let i = this.head; i < this.order.length; i++) {
      const m = this.order[i]!;
      if (this.keys.has(m)) out.push(m);
    }
    return out;
  }

  override setPending(list: StateEvent[]): void {
    this.forgetLive();
    this.buckets.clear();
    this.keys.clear();
    this.order = [];
    this.head = 0;
    for (const m of list) this.insert(m);
    this.resetStarts(list);
  }

  private forgetLive(): void {
    this.liveFrom = Infinity;
    this.liveUntil = -Infinity;
  }

  private insert(m: StateEvent): void {
    this.forgetLive();
    const key = this.matchKey(m) ?? null;
    this.keys.set(m, key);
    const b = this.buckets.get(key);
    if (b) b.push(m);
    else this.buckets.set(key, [m]);
    this.order.push(m);
  }

  private drop(m: StateEvent): void {
    const key = this.keys.get(m);
    this.keys.delete(m);
    const b = this.buckets.get(key);
    if (!b) return;
    const i = b.indexOf(m);
    if (i >= 0) b.splice(i, 1);
    if (b.length === 0) this.buckets.delete(key);
  }

  override updateState(): void {
    if (this.fresh.length === 0) return;
    sortByTime(this.fresh);
    for (const m of this.fresh) {
      this.noteStart(m);
      this.insert(m);
    }
    this.fresh.length = 0;
    this.freshEmptied();
  }

  override expireEvents(now: number): void {
    if (now <= this.liveUntil && now >= this.liveFrom && this.fresh.length === 0) return;
    const shared = this.shared;
    let expired: StateEvent | undefined;
    const order = this.order;
    while (this.head < order.length) {
      const m = order[this.head]!;
      if (this.keys.has(m)) {
        if (!shared.isExpired(m, now)) {
          this.noteLive(m);
          break;
        }
        this.drop(m);
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

  /** `m`, the oldest live match, is not expired: remember until when (only when the list is in start order). */
  private noteLive(m: StateEvent): void {
    if (this.unordered) return;
    const shared = this.shared;
    this.liveFrom = shared.latestStartOf(m) - shared.within;
    this.liveUntil = shared.startOf(m) + shared.within;
  }

  /** Drops consumed entries from the arrival queue (from the front, or all at once when they pile up behind a long-lived match). */
  private compact(): void {
    const order = this.order;
    while (this.head < order.length && !this.keys.has(order[this.head]!)) this.head++;
    if (order.length - this.head > 2 * this.keys.size + 1024) {
      this.order = this.liveAfterHead(order);
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > order.length) {
      this.order = order.slice(this.head);
      this.head = 0;
    } else if (this.head === order.length && this.head > 0) {
      this.order = [];
      this.head = 0;
    }
  }

  /** The live matches of `order` from the head on (a method: a closure in compact made each call allocate). */
  private liveAfterHead(order: readonly StateEvent[]): StateEvent[] {
    const out: StateEvent[] = [];
    for (let i = this.head; i < order.length; i++) if (this.keys.has(order[i]!)) out.push(order[i]!);
    return out;
  }

  override processAndReturn(e: StreamEvent, out: StateEvent[]): void {
    const key = this.eventKey(e);
    // `==` with null is false: such an event completes nothing here.
    if (key === null || key === undefined) return;
    const p = this.buckets.get(key);
    if (p === undefined) return;
    const late = this.unordered;
    let expired: StateEvent[] | undefined;
    let w = 0;
    for (let r = 0; r < p.length; r++) {
      const m = p[r]!;
      if (late && this.shared.isExpired(m, e.timestamp)) {
        this.keys.delete(m);
        this.forgetLive();
        (expired ??= []).push(m);
        continue;
      }
      m.events[this.slot] = e;
      this.changed = false;
      this.offer(m);
      this.collect(m, out);
      if (this.changed) {
        this.keys.delete(m);
        this.forgetLive();
        continue;
      }
      m.events[this.slot] = null;
      if (w !== r) p[w] = m;
      w++;
    }
    // Setting length costs a runtime call even when it does not change (most events complete nothing).
    if (w !== p.length) p.length = w;
    if (w === 0) this.buckets.delete(key);
    if (this.shared.within < 0) this.compact();
    if (this.keys.size === 0) this.resetStarts([]);
    if (expired !== undefined) this.dropLate(expired);
  }
}
