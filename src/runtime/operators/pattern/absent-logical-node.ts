// The absent side of a logical state: `not S[f] [for T] and|or e2=R[…]`.
// Without `for`, `and` completes only if no S came before the other side;
// with `for T`, the side is satisfied once T passes quietly (an early other
// side is held until then), and `or` completes on whichever comes first.

import type { TimerCapture } from '../../timer-slot.js';
import { AbsentTimers } from './absent-timers.js';
import { CURRENT, StateEvent, StreamEvent } from '../../event.js';
import { copyMatch, type PatternShared } from './stream-node.js';
import { LogicalNode } from './logical-node.js';

export class AbsentLogicalNode extends LogicalNode {
  active = true;
  /** When the last matching S arrived (0: none since the last deadline). */
  private lastArrival = 0;
  private isStarted = false;
  private violated = false;
  private readonly timers: AbsentTimers;
  /** Stands in the slot for "the waiting time passed": a null-valued event. */
  private readonly marker: StreamEvent;

  constructor(
    slot: number,
    shared: PatternShared,
    filter: ((m: StateEvent) => boolean) | undefined,
    op: 'and' | 'or',
    /** ms, or -1 without `for`. */
    readonly wait: number,
    attributeCount: number,
  ) {
    super(slot, shared, filter, op);
    this.timers = new AbsentTimers(shared.scheduler, (time) => this.onTimer(time));
    this.marker = new StreamEvent(-1, new Array(attributeCount).fill(null), CURRENT);
  }

  notifyAt(time: number): void {
    this.timers.at(time);
  }

  override started(): void {
    if (this.isStarted) return;
    this.isStarted = true;
    if (this.start && this.wait !== -1 && this.active) this.notifyAt(this.shared.scheduler.now() + this.wait);
  }

  override addState(m: StateEvent): void {
    if (!this.active) return;
    super.addState(m);
    if (!this.start && this.wait !== -1) {
      this.notifyAt(m.timestamp + this.wait);
      const p = this.partner;
      if (p instanceof AbsentLogicalNode) p.notifyAt(m.timestamp + p.wait);
    }
  }

  override addEveryState(m: StateEvent): void {
    const c = copyMatch(m);
    c.type = CURRENT;
    const own = c.events[this.slot];
    if (own instanceof StreamEvent) c.timestamp = own.timestamp;
    c.events[this.slot] = null;
    c.events[this.partner.slot] = null;
    this.fresh.push(c);
    this.partner.fresh.push(c);
  }

  override processAndReturn(e: StreamEvent, _out: StateEvent[]): void {
    if (!this.active) return;
    const p = this.pending;
    const partnerSlot = this.partner.slot;
    const restore = this.wait !== -1 || (this.sequence && this.op === 'and' && this.every !== undefined);
    let w = 0;
    for (let r = 0; r < p.length; r++) {
      const m = p[r]!;
      if (this.op === 'or' && m.events[partnerSlot] !== null) continue;
      const current = m.events[this.slot] ?? null;
      m.events[this.slot] = e;
      this.changed = false;
      this.violated = false;
      this.offer(m);
      if (restore) m.events[this.slot] = current;
      // The reference drops the match here only when this side is not the pattern's first state.
      if (this.violated && !this.first) {
        if (this.sequence) removeFrom(this.partner.pending, m);
        continue;
      }
      if (!this.changed) {
        m.events[this.slot] = current;
        if (this.sequence) continue;
      }
      p[w++] = m;
    }
    p.length = w;
  }

  /** A matching S arrived. */
  override complete(m: StateEvent): void {
    this.changed = true;
    this.violated = true;
    this.lastArrival = (m.events[this.slot] as StreamEvent).timestamp;
  }

  override satisfied(m: StateEvent): boolean {
    if (this.sequence && this.every === undefined && this.lastArrival > 0) return false;
    if (this.wait !== -1) return m.events[this.slot] !== null;
    if (this.every === undefined) return m.events[this.slot] === null;
    if (this.lastArrival > 0) {
      this.lastArrival = 0;
      this.init();
      return false;
    }
    return true;
  }

  private onTimer(time: number): void {
    if (!this.active) return;
    let fired = 0;
    if (time >= this.lastArrival + this.wait) {
      if (this.start && this.sequence && this.fresh.length === 0 && this.pending.length === 0) {
        this.addState(this.shared.newMatch());
      } else if (this.sequence && this.fresh.length > 0) {
        this.resetState();
      }
      this.updateState();
      const out: StateEvent[] = [];
      const kept: StateEvent[] = [];
      let expired: StateEvent | undefined;
      const partnerSlot = this.partner.slot;
      for (const m of this.pending) {
        if (this.shared.isExpired(m, time)) {
          expired = m;
          continue;
        }
        const own = m.events[this.slot];
        const since = own instanceof StreamEvent ? own.timestamp : m.timestamp;
        if (time < since + this.wait) {
          kept.push(m);
          continue;
        }
        const other = m.events[partnerSlot] !== null;
        if (this.op === 'or' && !other) {
          m.events[this.slot] = this.marker;
          out.push(m);
        } else if (this.op === 'and' && other) {
          out.push(m);
        } else if (this.op === 'and') {
          m.events[this.slot] = this.marker;
        }
      }
      this.pending = kept;
      if (expired !== undefined && this.withinEvery !== undefined) {
        this.withinEvery.addEveryState(expired);
        this.withinEvery.updateState();
      }
      fired = out.length;
      for (const m of out) {
        m.timestamp = time;
        this.send(m);
      }
      this.lastArrival = 0;
    }
    if (this.every !== undefined || (fired === 0 && this.start)) {
      this.notifyAt(this.lastArrival === 0 ? time + this.wait : this.lastArrival + this.wait);
    }
  }

  private send(m: StateEvent): void {
    if (this.terminal) this.shared.emit(m);
    if (this.next !== undefined) this.next.addState(m);
    if (this.every !== undefined) {
      this.every.addEveryState(m);
    } else if (this.start) {
      this.active = false;
      if (this.op === 'or' && this.partner instanceof AbsentLogicalNode) this.partner.active = false;
    }
    if (this.callback !== undefined) this.callback.startStateReset();
  }

  override captureFlags(): unknown {
    return [this.initialized ? 1 : 0, this.active ? 1 : 0, this.lastArrival, this.isStarted ? 1 : 0, this.timers.capture()];
  }

  override restoreFlags(raw: unknown): void {
    const [i, a, l, s, due] = raw as [number, number, number, number, TimerCapture[]];
    this.initialized = i === 1;
    this.active = a === 1;
    this.lastArrival = l;
    this.isStarted = s === 1;
    this.timers.restore(due);
  }
}

function removeFrom(list: StateEvent[], m: StateEvent): void {
  const i = list.indexOf(m);
  if (i >= 0) list.splice(i, 1);
}
