// `define trigger T at 'start' | at every <time>`: emits `[triggered_time]`
// into stream T. The next periodic firing time is state, so a restored app
// keeps its rhythm.

import type { CaptureMode, CellRegistry, StateCell } from '../../state/cell.js';
import type { Scheduler, TimerTarget } from '../clock.js';
import { CURRENT, StreamEvent } from '../event.js';
import type { Processor } from '../processor.js';

class TriggerCell implements StateCell {
  readonly kind = 'trigger.periodic';
  readonly version = 1;
  next = -1;

  constructor(private readonly rearm: () => void) {}

  capture(_mode: CaptureMode): unknown {
    return { next: this.next };
  }

  restore(state: unknown): void {
    this.next = (state as { next: number }).next;
    this.rearm();
  }
}

export class PeriodicTrigger implements TimerTarget {
  private readonly cell: TriggerCell;

  constructor(
    private readonly period: number,
    private readonly scheduler: Scheduler,
    private readonly out: Processor<StreamEvent>,
    id: string,
    cells: CellRegistry,
  ) {
    this.cell = new TriggerCell(() => this.arm());
    cells.register(id, this.cell);
  }

  start(): void {
    // Like a fixed-rate schedule with the period as initial delay: the first firing is one period after start.
    if (this.cell.next < 0) this.cell.next = this.scheduler.now() + this.period;
    this.arm();
  }

  onTimer(time: number): void {
    if (time !== this.cell.next) return;
    this.cell.next = time + this.period;
    this.arm();
    this.out.process([new StreamEvent(time, [time], CURRENT)]);
  }

  private arm(): void {
    if (this.cell.next >= 0) this.scheduler.schedule(this.cell.next, this);
  }
}

/** Fires once when the app starts. */
export function fireStartTrigger(scheduler: Scheduler, out: Processor<StreamEvent>): void {
  const now = scheduler.now();
  out.process([new StreamEvent(now, [now], CURRENT)]);
}
