// The shared part of the windows whose queue's head leaves `span` ms after its
// timestamp (time, timeLength, delay): the queue cell, one chained timer on the
// head, and the release loop. Subclasses say what an arrival does in process().

import { CURRENT, EXPIRED, StreamEvent, type EventType } from '../event.js';
import type { EventQueue } from '../event-queue.js';
import { Pipe } from '../processor.js';
import { TimerSlot } from '../timer-slot.js';
import { QueueCell } from './queue-cell.js';
import type { Window, WindowContext } from './window.js';

export abstract class HeadTimedWindow extends Pipe<StreamEvent> implements Window {
  /** Read by the fused kernel (runtime/kernel), as are `span` and `ctx`. */
  readonly queue: EventQueue;
  private readonly timer: TimerSlot;

  constructor(
    kind: string,
    /** How long an event stays, in ms. */
    readonly span: number,
    /** What a leaving event becomes: EXPIRED (time windows) or CURRENT (delay). */
    private readonly releaseAs: EventType,
    readonly ctx: WindowContext,
  ) {
    super();
    this.timer = new TimerSlot(ctx.scheduler, (time) => this.onDue(time));
    const cell = new QueueCell(kind, ctx, { slot: this.timer, rearm: () => this.arm() });
    this.queue = cell.queue;
    ctx.declare(cell);
  }

  private onDue(time: number): void {
    const out: StreamEvent[] = [];
    this.release(time, out);
    this.arm();
    this.emit(out);
  }

  contents(): Iterable<StreamEvent> {
    return this.queue;
  }

  /**
   * The sliding step of time and timeLength: each arrival first releases what
   * is due, then (once `maxLength` events are held) the oldest, then itself.
   */
  protected slide(chunk: StreamEvent[], maxLength: number): void {
    const queue = this.queue;
    const now = this.ctx.scheduler.now();
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      this.release(now, out);
      if (maxLength === 0) {
        out.push(e, new StreamEvent(now, e.data, EXPIRED));
        continue;
      }
      if (queue.length >= maxLength) out.push(queue.shiftAs(EXPIRED, now));
      queue.push(e);
      out.push(e);
    }
    this.arm();
    this.emit(out);
  }

  /** Moves every event due by `now` from the queue to `out`, stamped `now`. */
  protected release(now: number, out: StreamEvent[]): void {
    const queue = this.queue;
    while (queue.length > 0 && queue.peekTimestamp() + this.span <= now) out.push(queue.shiftAs(this.releaseAs, now));
  }

  protected arm(): void {
    const queue = this.queue;
    if (queue.length === 0) return;
    const due = queue.peekTimestamp() + this.span;
    // An earlier pending timer re-arms for this head when it fires.
    this.timer.armBy(due);
  }
}
