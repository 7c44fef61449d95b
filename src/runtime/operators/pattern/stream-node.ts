// One state of a pattern or sequence (`e1=S[filter]`): its pending partial
// matches and what happens when one of them accepts an event. Count, logical
// and absent states extend it. Built by plan/plan-pattern.ts, driven by
// PatternRuntime (stabilize, then each node of the arriving stream, last first).

import type { Scheduler } from '../../clock.js';
import { CURRENT, EXPIRED, StateEvent, StreamEvent } from '../../event.js';

export type StateType = 'pattern' | 'sequence';

/** What PatternShared hands completed matches to (PatternRuntime). */
export interface PatternOutput {
  emit(m: StateEvent): void;
  emitLent(m: StateEvent): boolean;
}

const NO_OUTPUT: PatternOutput = { emit: () => {}, emitLent: () => false };

/** What every node of one pattern shares. */
export class PatternShared {
  /** Set when the last state completes a match; the node that caused it returns the match. */
  emitted = false;
  /** `within` in ms, or -1. */
  within = -1;
  /** Slots of the start states, whose first event dates a match for `within`. */
  get startSlots(): readonly number[] {
    return this.starts;
  }

  set startSlots(slots: readonly number[]) {
    this.starts = slots.slice();
    this.soleStart = slots.length === 1 ? slots[0]! : -1;
  }

  private starts: number[] = [];
  /** The start slot when there is one (most patterns): the start bounds read it without a loop. */
  private soleStart = -1;

  /**
   * Where completed matches go (the pattern's runtime). An object with
   * methods, not two closures over it: a partition makes one per key, and a
   * completed match then reads the runtime only, not a closure and its context.
   */
  output: PatternOutput = NO_OUTPUT;

  /** Sends a match completed outside event processing (absent-state timers) to the selector. */
  emit(m: StateEvent): void {
    this.output.emit(m);
  }

  /** Projects a match whose events are lent and returns true, when the selector projects at once (keeps nothing); else false. */
  emitLent(m: StateEvent): boolean {
    return this.output.emitLent(m);
  }

  constructor(
    readonly type: StateType,
    readonly slotCount: number,
    /** The timers of absent states. */
    readonly scheduler: Scheduler,
  ) {}

  newMatch(): StateEvent {
    return new StateEvent(-1, new Array(this.slotCount).fill(null), CURRENT);
  }

  /** The earliest start event's time of `m` (Infinity when none is set). */
  startOf(m: StateEvent): number {
    if (this.soleStart >= 0) return soleStartTime(m, this.soleStart, Infinity);
    return this.startBound(m, 1);
  }

  /** The latest start event's time of `m` (-Infinity when none is set). */
  latestStartOf(m: StateEvent): number {
    if (this.soleStart >= 0) return soleStartTime(m, this.soleStart, -Infinity);
    return this.startBound(m, -1);
  }

  /** The earliest (sign 1) or latest (sign -1) start event's time of `m`. */
  private startBound(m: StateEvent, sign: 1 | -1): number {
    let t = sign * Infinity;
    for (const slot of this.starts) {
      const e = firstEvent(m.events[slot] ?? null);
      if (e !== null && sign * e.timestamp < sign * t) t = e.timestamp;
    }
    return t;
  }

  isExpired(m: StateEvent, now: number): boolean {
    if (this.within < 0) return false;
    if (this.soleStart >= 0) {
      const t = soleStartTime(m, this.soleStart, NaN);
      return Math.abs(t - now) > this.within; // false for NaN (no start event)
    }
    for (const slot of this.starts) {
      const e = firstEvent(m.events[slot] ?? null);
      if (e !== null && Math.abs(e.timestamp - now) > this.within) return true;
    }
    return false;
  }
}

/** The time of the first event in slot `slot` of `m`, or `none`. */
function soleStartTime(m: StateEvent, slot: number, none: number): number {
  const s = m.events[slot];
  if (s === null || s === undefined) return none;
  if (!Array.isArray(s)) return s.timestamp;
  return s.length > 0 ? s[0]!.timestamp : none;
}

export type Slot = StreamEvent | StreamEvent[] | null;

export function firstEvent(s: Slot): StreamEvent | null {
  if (s === null) return null;
  return Array.isArray(s) ? (s[0] ?? null) : s;
}

export function lastEvent(s: Slot): StreamEvent | null {
  if (s === null) return null;
  return Array.isArray(s) ? (s[s.length - 1] ?? null) : s;
}

/** A copy of a partial match: own slot array, shared events (and shared count lists, as the reference shares chains). */
export function copyMatch(m: StateEvent): StateEvent {
  return new StateEvent(m.timestamp, m.events.slice(), m.type);
}

export class StreamNode {
  /** Partial matches waiting for this state (the reference's pending list). */
  pending: StateEvent[] = [];
  /** Matches handed over since the last stabilize (new and `every` restarts). */
  fresh: StateEvent[] = [];
  initialized = false;
  /** Set by this state's completion while one match is being processed. */
  changed = false;

  start = false;
  /** The first state of the whole pattern or sequence (returns matches its processing completes). */
  next: StreamNode | undefined;
  /** `every` restart target: the first state of the enclosing every. */
  every: StreamNode | undefined;
  /** Where an expired match of an enclosing `every` restarts it. */
  withinEvery: StreamNode | undefined;
  /** A leading `x*`/`x?` count state re-armed when this state completes or fails (sequences). */
  callback: StreamNode | undefined;
  /** The last state: completing it emits the match. */
  terminal = false;
  /** The first state of the whole pattern. */
  first = false;

  constructor(
    readonly slot: number,
    readonly shared: PatternShared,
    /** The filter over the match with the candidate event in this slot; undefined passes everything. */
    readonly filter: ((m: StateEvent) => boolean) | undefined,
  ) {}

  get sequence(): boolean {
    return this.shared.type === 'sequence';
  }

  /** The part of the filter that reads only the candidate event, as a test of its row (plan/pattern-prefilter.ts); planned for plain states only. */
  ownTest: ((data: unknown[]) => boolean) | undefined = undefined;
  /** ownTest as JavaScript over the row `d`, when it was compiled from one (pattern-step.ts inlines it). */
  ownSource: string | undefined = undefined;
  /** ownTest is the whole filter (every conjunct reads only the own event). */
  ownWhole = false;
  /**
   * The filter as the body of a function returning it, when it was compiled
   * from JavaScript (plan-pattern.ts matchFilter): a generated step compiles
   * a copy of its own (pattern-step.ts).
   */
  filterSource: string | undefined = undefined;

  /**
   * False when offering the event of row `data` would change nothing: a plain
   * pattern state whose own-event test fails (no match can pass the whole
   * filter). Sequences drop a match that fails, so they always take the event
   * (plan-pattern.ts gives them no own-event test).
   */
  mayTake(data: unknown[]): boolean {
    const t = this.ownTest;
    return t === undefined || t(data);
  }

  /** Arms a start state at app start (and on `every` / sequence resets). */
  init(): void {
    if (!this.start) return;
    if (!this.initialized || this.every !== undefined || (this.sequence && this.next?.isAbsent === true)) {
      this.addState(this.shared.newMatch());
      this.initialized = true;
    }
  }

  get isAbsent(): boolean {
    return false;
  }

  /**
   * Whether this state's matches can carry a start event, so `within` can
   * expire them. A plain start state of a pattern holds only empty matches
   * (armed, or restarted by `every` from its own slot on); other kinds may
   * hold more, so they say yes.
   */
  mayExpire(): boolean {
    return !(this.start && !this.sequence && Object.getPrototypeOf(this) === StreamNode.prototype);
  }

  addState(m: StateEvent): void {
    if (this.sequence) {
      if (this.fresh.length === 0) this.fresh.push(m);
    } else {
      this.fresh.push(m);
    }
  }

  addEveryState(m: StateEvent): void {
    this.fresh.push(this.restartOf(m));
  }

  /** A copy of `m` with this state and every later one emptied. */
  protected restartOf(m: StateEvent): StateEvent {
    const c = copyMatch(m);
    c.type = CURRENT;
    for (let i = this.slot; i < c.events.length; i++) c.events[i] = null;
    return c;
  }

  /**
   * Whether the generated step re-arms this state in place (pattern-step.ts
   * restartLines): a plain `every` start state of a pattern
   * whose completion only hands the match on (no emit, no count callback).
   */
  restartsInPlace(): boolean {
    return !this.sequence && this.restartable();
  }

  /** Whether restartSequence applies: restartsInPlace's state, in a sequence. */
  restartsInSequence(): boolean {
    return this.sequence && this.restartable();
  }

  /** A plain `every` start state whose completion only hands the match on, pattern or sequence. */
  private restartable(): boolean {
    return Object.getPrototypeOf(this) === StreamNode.prototype && this.start && this.every === this
      && this.next !== undefined && !this.terminal && this.callback === undefined && !this.next.actsOnHandOver();
  }

  /**
   * A match handed to this state (addState) may move on at once, without an
   * event of its own: a count with a minimum of 0 (CountNode) hands it on or
   * emits it. The state before it is then never re-armed in place: those
   * paths neither copy the armed match nor flush what the hand-over emits.
   */
  actsOnHandOver(): boolean {
    return false;
  }

  /**
   * processAndReturn of `e` for a state that restartsInSequence while it holds
   * its one armed match, when `e` passes the filter: the armed match itself
   * becomes the re-armed new one (restartOf's copy) and the next state gets a
   * copy holding `e`, made only when it takes it (a sequence state holds one
   * new match); complete hands the armed match on and re-arms a copy, which
   * made a copy per event. False, with nothing changed, otherwise: the caller
   * then runs processAndReturn.
   */
  restartSequence(e: StreamEvent): boolean {
    const m = this.armedAlone();
    if (m === undefined) return false;
    const events = m.events;
    if (this.filter !== undefined) {
      events[this.slot] = e;
      const pass = this.filter(m);
      events[this.slot] = null;
      if (!pass) return false;
    }
    m.timestamp = e.timestamp;
    const next = this.next!;
    if (next.takesStarted()) {
      const taken = events.slice();
      taken[this.slot] = e;
      next.addState(new StateEvent(e.timestamp, taken, CURRENT));
    }
    truncate(this.pending, 0);
    this.fresh.push(m);
    return true;
  }

  /**
   * The state's one armed match when that is all it holds (current, nothing
   * from its slot on, none new): the form the generated step's restart and restartSequence
   * re-arm in place. Else undefined.
   */
  private armedAlone(): StateEvent | undefined {
    const p = this.pending;
    if (p.length !== 1 || this.fresh.length !== 0) return undefined;
    const m = p[0]!;
    if (m.type !== CURRENT) return undefined;
    const events = m.events;
    for (let i = this.slot; i < events.length; i++) if (events[i] !== null) return undefined;
    return m;
  }

  /**
   * False when addState would drop a match handed over now (a sequence state
   * already holding a new one), so restartSequence need not make it. States
   * with an addState of their own may act on every match: true.
   */
  takesStarted(): boolean {
    return !this.sequence || this.fresh.length === 0 || this.addState !== StreamNode.prototype.addState;
  }

  /** The generated step's hand-over (pattern-step.ts restartLines): a new match of `armed`'s events with the event (ts, a copy of `d`) in `slot`. */
  addStarted(armed: StateEvent, slot: number, ts: number, d: unknown[]): void {
    const events = armed.events.slice();
    events[slot] = new StreamEvent(ts, d.slice(), CURRENT);
    this.addState(new StateEvent(ts, events, CURRENT));
  }

  /** Sequences: drop what did not advance, re-arm the start. */
  resetState(): void {
    truncate(this.pending, 0);
    if (this.start && this.fresh.length === 0) {
      if (this.sequence && this.every === undefined && this.next !== undefined && this.next.pending.length > 0) return;
      this.init();
    }
  }

  /** Whether updateState does nothing while this state's new list is empty (count and logical states do more). */
  idleWithoutFresh(): boolean {
    return true;
  }

  updateState(): void {
    if (this.fresh.length === 0) return;
    sortByTime(this.fresh);
    if (this.pending.length === 0) {
      // The usual case (a start state re-armed): the lists trade places, nothing is copied.
      const empty = this.pending;
      this.pending = this.fresh;
      this.fresh = empty;
    } else {
      for (const m of this.fresh) this.pending.push(m);
      truncate(this.fresh, 0);
    }
    this.freshEmptied();
  }

  /**
   * Drops expired matches, as the reference does since b738a157f: pending ones
   * from the front up to the first live one (a live match may shield an
   * expired one behind it, which then stays and can still complete), new ones
   * wherever they are. Processing checks no match's age.
   */
  expireEvents(now: number): void {
    const shared = this.shared;
    let expired: StateEvent | undefined;
    let cut = 0;
    const p = this.pending;
    while (cut < p.length && shared.isExpired(p[cut]!, now)) {
      const m = p[cut++]!;
      if (m.type !== EXPIRED) {
        m.type = EXPIRED;
        expired = m;
      }
    }
    if (cut > 0) p.splice(0, cut);
    expired = this.expireFresh(now) ?? expired;
    if (expired !== undefined && this.withinEvery !== undefined) {
      this.withinEvery.addEveryState(expired);
      this.withinEvery.updateState();
    }
  }

  private watched: StateEvent[] | undefined;
  private watchedCount = 0;
  private freshFirst = Infinity;
  private freshLast = -Infinity;

  /** Forget what expireFresh knows about the new list (it was emptied). */
  protected freshEmptied(): void {
    this.watched = undefined;
  }

  /**
   * Drops expired new matches; returns the last one that was not yet expired.
   * Remembers the earliest and latest start time seen, so a list where nothing
   * can have expired is not scanned again.
   */
  protected expireFresh(now: number): StateEvent | undefined {
    const f = this.fresh;
    if (f.length === 0) return undefined;
    const shared = this.shared;
    if (f !== this.watched || f.length < this.watchedCount) {
      this.watched = f;
      this.watchedCount = 0;
      this.freshFirst = Infinity;
      this.freshLast = -Infinity;
    }
    for (let i = this.watchedCount; i < f.length; i++) this.watchStart(f[i]!);
    this.watchedCount = f.length;
    if (now - this.freshFirst <= shared.within && this.freshLast - now <= shared.within) return undefined;
    this.watched = undefined;
    return this.dropExpiredFresh(now);
  }

  /** A loop, not a filter closure: a closure here made every call allocate its context, even the early returns. */
  private dropExpiredFresh(now: number): StateEvent | undefined {
    const shared = this.shared;
    const kept: StateEvent[] = [];
    let expired: StateEvent | undefined;
    for (const m of this.fresh) {
      if (!shared.isExpired(m, now)) {
        kept.push(m);
      } else if (m.type !== EXPIRED) {
        m.type = EXPIRED;
        expired = m;
      }
    }
    this.fresh = kept;
    return expired;
  }

  private watchStart(m: StateEvent): void {
    const first = this.shared.startOf(m);
    if (first < this.freshFirst) this.freshFirst = first;
    const last = this.shared.latestStartOf(m);
    if (last > this.freshLast) this.freshLast = last;
  }

  /** Offers `e` to every pending match; returns the matches completed by it. */
  processAndReturn(e: StreamEvent, out: StateEvent[]): void {
    const p = this.pending;
    let w = 0;
    for (let r = 0; r < p.length; r++) {
      const m = p[r]!;
      m.events[this.slot] = e;
      this.changed = false;
      this.offer(m);
      this.collect(m, out);
      if (this.changed) continue;
      m.events[this.slot] = null;
      if (this.sequence) {
        if (this.callback !== undefined) this.callback.startStateReset();
        if (this.removeOnNoChange()) continue;
      }
      if (w !== r) p[w] = m;
      w++;
    }
    // Setting length costs a runtime call even when it does not change (most events complete nothing).
    if (w !== p.length) truncate(p, w);
  }

  protected removeOnNoChange(): boolean {
    return true;
  }

  protected collect(m: StateEvent, out: StateEvent[]): void {
    if (this.shared.emitted) {
      this.shared.emitted = false;
      out.push(m);
    }
  }

  /** Runs the filter and, when it passes, this state's completion. */
  protected offer(m: StateEvent): void {
    if (this.filter === undefined || this.filter(m)) this.complete(m);
  }

  /** The reference's post-state step: hand the match on. */
  complete(m: StateEvent): void {
    this.changed = true;
    m.timestamp = lastEvent(m.events[this.slot] ?? null)!.timestamp;
    if (this.terminal) this.shared.emitted = true;
    if (this.next !== undefined) this.next.addState(m);
    if (this.every !== undefined) this.every.addEveryState(m);
    if (this.callback !== undefined) this.callback.startStateReset();
  }

  /**
   * The latest start event's time among the matches this state holds, pending
   * or new (-Infinity for none): a partition key restored from a checkpoint
   * lets its router skip rows from that time on (row-skip.ts). Called only at
   * the first row after a restore, so KeyedRowNode's lists make no match
   * objects here: every entry came from setPending with its match, and the
   * new matches are its fresh list, which its newList includes.
   */
  latestStart(): number {
    const shared = this.shared;
    let t = -Infinity;
    for (const m of this.pendingList()) t = Math.max(t, shared.latestStartOf(m));
    for (const m of this.newList()) t = Math.max(t, shared.latestStartOf(m));
    return t;
  }

  /** The pending matches in order (keyed states keep them in buckets). */
  pendingList(): StateEvent[] {
    return this.pending;
  }

  /** The new matches in order, after pendingList's in a checkpoint (a state keeping rows holds some of them in its ring). */
  newList(): StateEvent[] {
    return this.fresh;
  }

  setPending(list: StateEvent[]): void {
    this.pending = list;
  }

  /** Flags kept in the checkpoint beside the lists: 1 when initialized, else 0. */
  captureFlags(): unknown {
    return this.initialized ? 1 : 0;
  }

  /**
   * Also reads [initialized, unordered, lastStart], written between 0886939
   * and the late drop's removal: the start order they noted no longer matters.
   */
  restoreFlags(raw: unknown): void {
    this.initialized = (Array.isArray(raw) ? raw[0] : raw) === 1;
  }

  /** Count states re-arm themselves on this; others ignore it. */
  startStateReset(): void {}

  /** Absent states start their first wait when the app starts; others ignore it. */
  started(): void {}

}

/**
 * Cuts `list` to its first `n` items keeping its backing store: setting a
 * short list's length to 0 makes V8 drop the store, so the next push (most
 * lists here hold one or two matches at a time) allocated a new one.
 */
export function truncate(list: unknown[], n: number): void {
  if (list.length - n > 8) list.length = n;
  else while (list.length > n) list.pop();
}

/** Stable sort by timestamp with fresh (-1) matches last, as the reference orders new matches. */
export function sortByTime(list: StateEvent[]): void {
  if (list.length < 2) return;
  list.sort((a, b) => {
    if (a.timestamp === -1) return b.timestamp === -1 ? 0 : 1;
    if (b.timestamp === -1) return -1;
    return a.timestamp - b.timestamp;
  });
}

/**
 * `ev` over the row `data` at `ts`: a filter or projection that reads it at
 * once (and keeps nothing) sees an event without one being made per row.
 */
export function lend(ev: StreamEvent, ts: number, data: unknown[]): StreamEvent {
  ev.timestamp = ts;
  (ev as { data: unknown[] }).data = data;
  return ev;
}
