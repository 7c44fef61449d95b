// The system clock: real time. Events without a timestamp get Date.now(); one
// real timer is kept armed for the scheduler's earliest due time.

import type { AppClock, ReportError } from './app-clock.js';
import { moveScheduler } from './app-clock.js';
import type { Scheduler } from './clock.js';

export class SystemClock implements AppClock {
  readonly playback = false;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly periodic: NodeJS.Timeout[] = [];

  constructor(
    private readonly scheduler: Scheduler,
    private readonly report: ReportError,
  ) {
    scheduler.onEarliestChanged = (t) => this.arm(t);
  }

  stamp(timestamp: number | undefined): number {
    const now = Date.now();
    moveScheduler(this.scheduler, now, this.report);
    return timestamp ?? now;
  }

  advance(time: number): void {
    moveScheduler(this.scheduler, time, this.report);
  }

  start(): void {
    this.running = true;
    this.arm(this.scheduler.peek());
  }

  stop(): void {
    this.running = false;
    for (const p of this.periodic) clearInterval(p);
    this.periodic.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  every(interval: number, task: () => void): void {
    const p = setInterval(task, interval);
    p.unref();
    this.periodic.push(p);
  }

  afterRestore(): void {}

  private arm(time: number | undefined): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (time === undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      moveScheduler(this.scheduler, Date.now(), this.report);
    }, Math.max(0, time - Date.now()));
  }
}
