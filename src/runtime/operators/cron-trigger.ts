// `define trigger T at '0/5 * * * * ?'`: emits `[triggered_time]` into stream
// T at each fire time of a Quartz cron expression. The next fire time is
// state, so a restored app fires what was due and keeps its schedule.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import type { Scheduler } from '../clock.js';
import type { DeclareCell } from '../instance.js';
import type { CronExpression } from '../cron/cron-expression.js';
import { nextCronTime } from '../cron/cron-next.js';
import { CURRENT, StreamEvent } from '../event.js';
import type { Processor } from '../processor.js';
import { TimerSlot } from '../timer-slot.js';

class CronTriggerCell implements StateCell {
  readonly kind = 'trigger.cron';
  readonly version = 1;
  /** -1 before start, or when the expression never fires again. */
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

export class CronTrigger {
  private readonly cell: CronTriggerCell;
  private readonly timer: TimerSlot;

  constructor(
    private readonly cron: CronExpression,
    private readonly scheduler: Scheduler,
    private readonly out: Processor<StreamEvent>,
    declare: DeclareCell,
  ) {
    this.timer = new TimerSlot(scheduler, (time) => this.onDue(time));
    // The cell keeps only the fire time (no `tm`): a restore arms it afresh.
    this.cell = new CronTriggerCell(() => {
      this.timer.disarm();
      this.arm();
    });
    declare(this.cell);
  }

  start(): void {
    if (this.cell.next < 0) this.cell.next = nextCronTime(this.cron, this.scheduler.now()) ?? -1;
    this.arm();
  }

  private onDue(time: number): void {
    if (time !== this.cell.next) return;
    this.cell.next = nextCronTime(this.cron, time) ?? -1;
    this.arm();
    this.out.process([new StreamEvent(time, [time], CURRENT)]);
  }

  private arm(): void {
    if (this.cell.next >= 0) this.timer.armAt(this.cell.next);
  }
}
