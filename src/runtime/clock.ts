// Clocks and the scheduler. Operators read "now" from the clock and ask the
// scheduler for timers; the playback clock is moved by event timestamps and
// advanceTime(), the system clock by real time.

import type { StateCell } from '../state/cell.js';
import { EventGate } from './event-gate.js';

export interface Clock {
  now(): number;
}

/** A timer target: an operator that wants to hear about time. */
export interface TimerTarget {
  /** `seq` is the number schedule() returned for this timer. */
  onTimer(time: number, seq: number): void;
}

interface Timer {
  time: number;
  seq: number;
  target: TimerTarget;
}

/**
 * Keeps due times in a binary heap ordered by (time, sequence number). Timers
 * are not checkpointed here: each operator keeps its pending timer (due time
 * and sequence number, see TimerSlot) in its own state cell and schedules it
 * again after a restore; the clock's cell keeps the time and the next sequence
 * number, so timers due at the same instant fire in the same order after a
 * restore as without one.
 */
export class Scheduler implements Clock {
  private heap: Timer[] = [];
  private seq = 0;
  /**
   * Initialised here, not only in the constructor: a declared field starts as
   * undefined (ES2022 class fields), which gives it V8's tagged representation,
   * and then every store of a timestamp (not a small integer) allocated a new
   * heap number — 16 bytes per event in moveQuietly. A number here keeps it a
   * double field, updated in place.
   */
  private current = 0;
  private firing = false;
  /** While firing: the time advanceTo() is moving the clock to. */
  private goal = 0;
  /** Every timer fires inside it: a timer's output is an event being processed. */
  readonly gate = new EventGate();
  /** Called when the earliest due time changes (the system clock arms a real timer). */
  onEarliestChanged: ((time: number | undefined) => void) | undefined;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /**
   * Ask for `target.onTimer(time, seq)` once the clock reaches `time`; returns
   * the timer's sequence number. A restored timer passes the `seq` it had.
   */
  schedule(time: number, target: TimerTarget, seq = this.seq++): number {
    if (seq >= this.seq) this.seq = seq + 1;
    const t: Timer = { time, seq, target };
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(t, h[p]!)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = t;
    if (i === 0 && this.onEarliestChanged) this.onEarliestChanged(time);
    return seq;
  }

  /** The sequence number the next timer gets: checkpointed with the time. */
  get sequence(): number {
    return this.seq;
  }

  set sequence(seq: number) {
    this.seq = seq;
  }

  /** Sets the clock without firing anything: a restored app resumes at its checkpoint's time. */
  setTime(time: number): void {
    this.current = time;
  }

  /**
   * The next due time of a periodic timer that fired at `time`: `time + period`,
   * or, during a clock jump, the first `time + k·period` at or after the next
   * moment anything can happen (another timer, or the jump's end). For timers
   * whose skipped ticks would see nothing new, so a jump costs one firing
   * instead of one per period.
   */
  nextPeriodic(time: number, period: number): number {
    const next = time + period;
    if (!this.firing) return next;
    const other = this.peek();
    const quiet = other !== undefined && other < this.goal ? other : this.goal;
    return quiet <= next ? next : time + Math.ceil((quiet - time) / period) * period;
  }

  /** Earliest pending due time, if any. */
  peek(): number | undefined {
    return this.heap.length > 0 ? this.heap[0]!.time : undefined;
  }

  /**
   * advanceTo(time) when no timer is due by `time` (nothing fires, nothing can
   * fail): true. False, with nothing changed, when advanceTo must fire timers.
   */
  moveQuietly(time: number): boolean {
    const h = this.heap;
    if (h.length !== 0 && h[0]!.time <= time) return false;
    if (time > this.current) this.current = time;
    return true;
  }

  /**
   * Move the clock to `time`, firing every timer due at or before it in due
   * order. The clock never goes backwards. Timers scheduled while firing that
   * are also due fire in the same call.
   */
  advanceTo(time: number): void {
    const h0 = this.heap;
    if (h0.length === 0 || h0[0]!.time > time) {
      // Nothing due: the common case for every event.
      if (time > this.current) this.current = time;
      return;
    }
    if (this.firing) {
      if (time > this.current) this.current = time;
      return;
    }
    this.firing = true;
    this.goal = time;
    let failure: { error: unknown } | undefined;
    try {
      const h = this.heap;
      while (h.length > 0 && h[0]!.time <= time) {
        const t = this.pop();
        if (t.time > this.current) this.current = t.time;
        this.gate.enter();
        try {
          t.target.onTimer(t.time, t.seq);
        } catch (error) {
          // The other due timers still fire and the clock still arrives; the first failure is rethrown.
          failure ??= { error };
        } finally {
          this.gate.exit();
        }
      }
      if (time > this.current) this.current = time;
    } finally {
      this.firing = false;
    }
    if (this.onEarliestChanged) this.onEarliestChanged(this.peek());
    if (failure) throw failure.error;
  }

  /** Drop all timers (shutdown, or before a restore re-arms them). */
  clear(): void {
    this.heap = [];
  }

  private pop(): Timer {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(h[r]!, h[l]!) ? r : l;
        if (!before(h[c]!, last)) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/**
 * The clock's state cell, registered as '@clock': the time and the next timer
 * sequence number. Cells with '@' ids restore before operator cells, so
 * operators re-arming timers see the checkpoint's time and sequence.
 */
export function clockCell(scheduler: Scheduler): StateCell {
  return {
    kind: 'runtime.clock',
    // 2: `{ t, s }`; 1 held the time alone.
    version: 2,
    migrations: { 1: (t) => ({ t, s: 0 }) },
    capture: () => ({ t: scheduler.now(), s: scheduler.sequence }),
    restore: (state) => {
      const { t, s } = state as { t: number; s: number };
      scheduler.setTime(t);
      scheduler.sequence = s;
    },
  };
}
