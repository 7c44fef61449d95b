// One pending timer of an operator: arms it, ignores stale firings, and puts
// it back after a restore with its place among timers due at the same instant.
// Windows, rate limiters and triggers own one each; their cells capture it.

import type { Scheduler, TimerTarget } from './clock.js';

/** `[due, seq]` of the pending timer, null when none. */
export type TimerCapture = readonly [due: number, seq: number] | null;

export class TimerSlot implements TimerTarget {
  private due = -1;
  private seq = -1;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly fire: (time: number) => void,
  ) {}

  /** Due time of the pending timer, -1 when none. */
  get pending(): number {
    return this.due;
  }

  /** Makes sure the timer fires by `time`: a pending earlier one stays (its owner re-arms when it fires). */
  armBy(time: number): void {
    if (this.due !== -1 && this.due <= time) return;
    this.schedule(time);
  }

  /** Arms for exactly `time`, dropping a pending timer due at another time. */
  armAt(time: number): void {
    if (this.due === time) return;
    this.schedule(time);
  }

  disarm(): void {
    this.due = -1;
    this.seq = -1;
  }

  onTimer(time: number, seq: number): void {
    // Timers dropped by a re-arm, or left over from before a restore, are stale.
    if (seq !== this.seq || this.due === -1) return;
    this.disarm();
    this.fire(time);
  }

  capture(): TimerCapture {
    return this.due === -1 ? null : [this.due, this.seq];
  }

  /**
   * Re-arms the captured timer in its old place in the order of ties.
   * `undefined` (a checkpoint from before timers were captured) calls `rearm`.
   */
  restore(state: TimerCapture | undefined, rearm: () => void): void {
    this.disarm();
    if (state === undefined) {
      rearm();
      return;
    }
    if (state === null) return;
    this.due = state[0];
    this.seq = state[1];
    this.scheduler.schedule(this.due, this, this.seq);
  }

  private schedule(time: number): void {
    this.due = time;
    this.seq = this.scheduler.schedule(time, this);
  }
}
