// The clock of a running app, over its Scheduler: the playback clock moves
// with event timestamps and advanceTime(); the system clock with real time.
// The app runtime talks to one of them and never branches on the mode.

import type { Scheduler } from './clock.js';

export interface AppClock {
  readonly playback: boolean;
  /** The timestamp of an event arriving now (`timestamp` if given), after the timers due by then fired. */
  stamp(timestamp: number | undefined): number;
  /** Moves to `time`, firing every timer due by then (playback: advanceTime). */
  advance(time: number): void;
  /** Follows time from now on (the system clock arms a real timer). */
  start(): void;
  /** Stops following time and drops the periodic tasks; the scheduler's timers are the caller's. */
  stop(): void;
  /** Runs `task` every `interval` ms of this clock until stop(). */
  every(interval: number, task: () => void): void;
  /** The scheduler lost its timers to a restore: puts back what the clock keeps there. */
  afterRestore(): void;
}

/** What a clock reports timer failures to. */
export type ReportError = (error: unknown, where: string) => void;

/** Moves `scheduler` to `time`; a failing timer is reported, and the clock still arrives. */
export function moveScheduler(scheduler: Scheduler, time: number, report: ReportError): void {
  try {
    scheduler.advanceTo(time);
  } catch (e) {
    report(e, 'timer');
  }
}
