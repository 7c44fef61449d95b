// `@purge(enable='true', interval='15 min', @retentionPeriod(sec='120 sec', …))`:
// every interval of clock time, buckets older than their duration's retention
// are dropped, finest duration first (a pending bucket rolls up before it goes).
// The next purge time is state, cell `A/purge`.

import type { AggregationDuration } from '../../../ast/index.js';
import type { CaptureMode, StateCell } from '../../../state/cell.js';
import type { Scheduler } from '../../clock.js';
import type { DeclareCell } from '../../instance.js';
import { type TimerCapture, TimerSlot } from '../../timer-slot.js';
import type { Aggregation } from './aggregation.js';

export interface PurgeOptions {
  readonly interval: number;
  /** Retention per duration in ms; durations absent keep everything. */
  readonly retention: ReadonlyMap<AggregationDuration, number>;
}

export class AggregationPurge implements StateCell {
  readonly kind = 'aggregation.purge';
  readonly version = 1;
  private next = -1;
  private readonly timer: TimerSlot;

  constructor(
    private readonly aggregation: Aggregation,
    private readonly options: PurgeOptions,
    private readonly scheduler: Scheduler,
    /** Declares this purger's cell as part `purge` of the aggregation's id. */
    declare: DeclareCell,
  ) {
    this.timer = new TimerSlot(scheduler, (time) => this.onDue(time));
    declare(this, 'purge');
  }

  start(): void {
    if (this.next < 0) this.next = this.scheduler.now() + this.options.interval;
    this.timer.armAt(this.next);
  }

  private onDue(time: number): void {
    for (const duration of this.aggregation.durations) {
      const keep = this.options.retention.get(duration);
      if (keep !== undefined) this.aggregation.purge(duration, time - keep);
    }
    // A clock jump costs one purge, at its last tick, not one per interval: a later purge cuts at least as much.
    const interval = this.options.interval;
    const after = this.scheduler.nextPeriodic(time, interval);
    this.next = after - interval > time ? after - interval : after;
    this.timer.armAt(this.next);
  }

  capture(_mode: CaptureMode): unknown {
    return { next: this.next, tm: this.timer.capture() };
  }

  restore(state: unknown): void {
    const s = state as { next: number; tm?: TimerCapture };
    this.next = s.next;
    this.timer.restore(s.tm, () => {
      if (this.next >= 0) this.timer.armAt(this.next);
    });
  }
}
