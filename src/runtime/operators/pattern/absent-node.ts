// `not S[filter] for T`: a state that completes when no matching S event
// arrives for T. Its deadlines come from the scheduler; a matching S event
// kills the waiting match (middle, trailing) or restarts the wait (leading).

import type { TimerCapture } from '../../timer-slot.js';
import { AbsentTimers } from './absent-timers.js';
import type { StateEvent, StreamEvent } from '../../event.js';
import { type PatternShared, StreamNode } from './stream-node.js';

export class AbsentNode extends StreamNode {
  /** False once a leading absent without every has fired. */
  active = true;
  private deadline = 0;
  private isStarted = false;
  private readonly timers: AbsentTimers;

  constructor(
    slot: number,
    shared: PatternShared,
    filter: ((m: StateEvent) => boolean) | undefined,
    readonly wait: number,
  ) {
    super(slot, shared, filter);
    this.timers = new AbsentTimers(shared.scheduler, (time) => this.onTimer(time));
  }

  override get isAbsent(): boolean {
    return true;
  }

  protected notifyAt(time: number): void {
    this.timers.at(time);
  }

  override started(): void {
    if (this.isStarted) return;
    this.isStarted = true;
    if (this.start && this.active) {
      this.deadline = this.shared.scheduler.now() + this.wait;
      this.notifyAt(this.deadline);
    }
  }

  override addState(m: StateEvent): void {
    if (!this.active) return;
    if (this.sequence) {
      this.fresh.length = 0;
      this.freshEmptied();
    }
    this.fresh.push(m);
    if (!this.start) {
      this.deadline = m.timestamp + this.wait;
      this.notifyAt(this.deadline);
    }
  }

  override addEveryState(m: StateEvent): void {
    this.fresh.push(this.restartOf(m));
    this.deadline = m.timestamp + this.wait;
    this.notifyAt(this.deadline);
  }

  override resetState(): void {
    this.pending.length = 0;
    if (this.start) {
      if (this.sequence && this.every === undefined && this.next !== undefined && this.next.pending.length > 0) return;
      this.init();
    }
  }

  override processAndReturn(e: StreamEvent, out: StateEvent[]): void {
    if (!this.active) return;
    super.processAndReturn(e, out);
  }

  protected override removeOnNoChange(): boolean {
    return false;
  }

  /** A matching event arrived: this wait is over and a new one starts. */
  override complete(m: StateEvent): void {
    this.changed = true;
    const ts = (m.events[this.slot] as StreamEvent).timestamp;
    m.timestamp = ts;
    if (this.start && this.every === this) this.addEveryState(m);
    this.deadline = ts + this.wait;
    this.notifyAt(this.deadline);
  }

  private onTimer(time: number): void {
    if (!this.active) return;
    const initialize = this.start && this.fresh.length === 0 && this.pending.length === 0
      && !(this.sequence && this.every === undefined && this.deadline > 0);
    if (initialize) this.addState(this.shared.newMatch());
    else if (this.sequence && this.fresh.length > 0) this.resetState();
    this.updateState();
    const fired: StateEvent[] = [];
    const kept: StateEvent[] = [];
    for (const m of this.pending) {
      if (this.shared.isExpired(m, time)) {
        if (this.withinEvery !== undefined && this.every !== undefined && this.every !== this) this.every.addEveryState(m);
        continue;
      }
      if (m.timestamp === -1 ? time >= this.deadline : time >= m.timestamp + this.wait) {
        m.timestamp = time;
        fired.push(m);
      } else {
        kept.push(m);
      }
    }
    this.pending = kept;
    if (this.withinEvery !== undefined) this.withinEvery.updateState();
    for (const m of fired) this.send(m);
    if (fired.length === 0 && this.deadline < time) {
      this.deadline = time + this.wait;
      this.notifyAt(this.deadline);
    }
  }

  private send(m: StateEvent): void {
    if (this.terminal) this.shared.emit(m);
    if (this.next !== undefined) this.next.addState(m);
    if (this.every !== undefined) this.every.addEveryState(m);
    else if (this.start) this.active = false;
    if (this.callback !== undefined) this.callback.startStateReset();
  }

  override captureFlags(): unknown {
    return [this.initialized ? 1 : 0, this.active ? 1 : 0, this.deadline, this.isStarted ? 1 : 0, this.timers.capture()];
  }

  override restoreFlags(raw: unknown): void {
    const [i, a, d, s, due] = raw as [number, number, number, number, TimerCapture[]];
    this.initialized = i === 1;
    this.active = a === 1;
    this.deadline = d;
    this.isStarted = s === 1;
    this.timers.restore(due);
  }
}
