// The playback clock: event timestamps and advanceTime() move time, so a
// replay fires the same timers at the same points. Periodic tasks are timers
// in the scheduler, which a restore clears and afterRestore() puts back.

import type { AppClock, ReportError } from './app-clock.js';
import { moveScheduler } from './app-clock.js';
import type { Scheduler } from './clock.js';

export class PlaybackClock implements AppClock {
  readonly playback = true;
  private running = false;
  private readonly tasks: { interval: number; task: () => void }[] = [];

  constructor(
    private readonly scheduler: Scheduler,
    private readonly report: ReportError,
  ) {}

  stamp(timestamp: number | undefined): number {
    const time = timestamp ?? this.scheduler.now();
    moveScheduler(this.scheduler, time, this.report);
    return time;
  }

  advance(time: number): void {
    moveScheduler(this.scheduler, time, this.report);
  }

  start(): void {
    this.running = true;
  }

  stop(): void {
    this.running = false;
    this.tasks.length = 0;
  }

  every(interval: number, task: () => void): void {
    this.tasks.push({ interval, task });
    this.arm(interval, task);
  }

  afterRestore(): void {
    if (!this.running) return;
    for (const { interval, task } of this.tasks) this.arm(interval, task);
  }

  private arm(interval: number, task: () => void): void {
    const s = this.scheduler;
    // One run per clock jump, not one per period jumped over.
    const tick = {
      onTimer: (t: number) => {
        if (!this.running) return;
        s.schedule(s.nextPeriodic(t, interval), tick);
        task();
      },
    };
    s.schedule(s.now() + interval, tick);
  }
}
