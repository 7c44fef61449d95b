// The deadlines of one absent state (`not S for T`): one TimerSlot per due
// time, so they go through the scheduler like every other operator timer and
// a restore puts each back in its old place among timers due at the same instant.

import type { Scheduler } from '../../clock.js';
import { type TimerCapture, TimerSlot } from '../../timer-slot.js';

export class AbsentTimers {
  private readonly slots = new Map<number, TimerSlot>();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly fire: (time: number) => void,
  ) {}

  /** Asks for `fire(time)`; a deadline already pending at `time` is not asked twice. */
  at(time: number): void {
    if (!this.slots.has(time)) this.slotFor(time).armAt(time);
  }

  /** `[due, seq]` of every pending deadline, in the order they were asked. */
  capture(): TimerCapture[] {
    return [...this.slots.values()].map((s) => s.capture()).filter((c) => c !== null);
  }

  restore(state: readonly TimerCapture[]): void {
    for (const s of this.slots.values()) s.disarm();
    this.slots.clear();
    for (const c of state) {
      if (c !== null) this.slotFor(c[0]).restore(c, () => {});
    }
  }

  private slotFor(time: number): TimerSlot {
    const slot = new TimerSlot(this.scheduler, (t) => {
      this.slots.delete(time);
      this.fire(t);
    });
    this.slots.set(time, slot);
    return slot;
  }
}
