// `define trigger T at 'start' | at every <time>`: emits `[triggered_time]`
// into stream T. The next periodic firing time is state, so a restored app
// keeps its rhythm.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import type { Scheduler } from '../clock.js';
import type { DeclareCell } from '../instance.js';
import { CURRENT, StreamEvent } from '../event.js';
import type { Processor } from '../processor.js';
import { type TimerCapture, TimerSlot } from '../timer-slot.js';

class TriggerCell implements StateCell {
  readonly kind = 'trigger.periodic';
  readonly version = 1;
  next = -1;

  constructor(
    private readonly timer: TimerSlot,
    private readonly rearm: () => void,
  ) {}

  capture(_mode: CaptureMode): unknown {
    return { next: this.next, tm: this.timer.capture() };
  }

  restore(state: unknown): void {
    const s = state as { next: number; tm?: TimerCapture };
    this.next = s.next;
    this.timer.restore(s.tm, this.rearm);
  }
}

export class PeriodicTrigger {
  private readonly cell: TriggerCell;
  private readonly timer: TimerSlot;

  constructor(
    private readonly period: number,
    private readonly scheduler: Scheduler,
    private readonly out: Processor<StreamEvent>,
    declare: DeclareCell,
  ) {
    this.timer = new TimerSlot(scheduler, (time) => this.onDue(time));
    this.cell = new TriggerCell(this.timer, () => this.arm());
    declare(this.cell);
  }

  start(): void {
    // Like a fixed-rate schedule with the period as initial delay: the first firing is one period after start.
    if (this.cell.next < 0) this.cell.next = this.scheduler.now() + this.period;
    this.arm();
  }

  private onDue(time: number): void {
    this.cell.next = time + this.period;
    this.arm();
    this.out.process([new StreamEvent(time, [time], CURRENT)]);
  }

  private arm(): void {
    if (this.cell.next >= 0) this.timer.armAt(this.cell.next);
  }
}

/** Fires once when the app starts. */
export function fireStartTrigger(scheduler: Scheduler, out: Processor<StreamEvent>): void {
  const now = scheduler.now();
  out.process([new StreamEvent(now, [now], CURRENT)]);
}
