// `#window.timeLength(t, n)`: keeps events of the last t ms, at most n of them.
// Time expiry runs on a chained timer; a full window expires its oldest on arrival.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import type { TimerTarget } from '../clock.js';
import { CURRENT, EXPIRED, StreamEvent } from '../event.js';
import { EventQueue, migrateQueueV1, type EventQueueCapture } from '../event-queue.js';
import { NOWHERE, type Processor } from '../processor.js';
import type { Window, WindowArg, WindowContext, WindowKind } from './window.js';
import { WindowArgs } from './window-args.js';

export class TimeLengthWindowCell implements StateCell {
  readonly kind = 'window.timeLength';
  /** 2: the queue is columnar (EventQueue); 1 held `[ts, data, type]` rows. */
  readonly version = 2;
  readonly migrations = { 1: migrateV1 };
  readonly queue: EventQueue;

  constructor(
    ctx: WindowContext,
    private readonly rearm: () => void,
  ) {
    this.queue = new EventQueue(ctx.attributes);
  }

  capture(mode: CaptureMode): unknown {
    return { q: this.queue.capture(mode) };
  }

  restore(state: unknown): void {
    this.queue.restore((state as { q: EventQueueCapture }).q);
    this.rearm();
  }
}

const migrateV1 = (s: unknown): unknown => ({ q: migrateQueueV1((s as { q: unknown }).q) });

export class TimeLengthWindow implements Window, TimerTarget {
  next: Processor = NOWHERE;
  private readonly cell: TimeLengthWindowCell;
  /** Due time of the pending timer, -1 when none; derived from the head, never captured. */
  private armed = -1;

  constructor(
    private readonly duration: number,
    private readonly size: number,
    private readonly ctx: WindowContext,
  ) {
    this.cell = new TimeLengthWindowCell(ctx, () => this.rearm());
    ctx.cells.register(ctx.id, this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const queue = this.cell.queue;
    const now = this.ctx.scheduler.now();
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      this.expire(now, out);
      if (this.size === 0) {
        out.push(e, new StreamEvent(now, e.data, EXPIRED));
        continue;
      }
      if (queue.length >= this.size) out.push(queue.shiftAs(EXPIRED, now));
      queue.push(e);
      out.push(e);
    }
    this.arm();
    if (out.length > 0) this.next.process(out);
  }

  onTimer(time: number): void {
    if (time !== this.armed) return;
    this.armed = -1;
    const out: StreamEvent[] = [];
    this.expire(time, out);
    this.arm();
    if (out.length > 0) this.next.process(out);
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.queue;
  }

  private expire(now: number, out: StreamEvent[]): void {
    const queue = this.cell.queue;
    while (queue.length > 0 && queue.peekTimestamp() + this.duration <= now) out.push(queue.shiftAs(EXPIRED, now));
  }

  private arm(): void {
    const queue = this.cell.queue;
    if (queue.length === 0) return;
    const due = queue.peekTimestamp() + this.duration;
    if (this.armed !== -1 && this.armed <= due) return;
    this.armed = due;
    this.ctx.scheduler.schedule(due, this);
  }

  private rearm(): void {
    this.armed = -1;
    this.arm();
  }
}

const SIGNATURE = 'timeLength(window.time int|long|time, window.length int)';

export const TIME_LENGTH_WINDOW: WindowKind = {
  name: 'timeLength',
  signature: SIGNATURE,
  create(args: readonly WindowArg[], ctx: WindowContext): Window {
    const a = new WindowArgs('timeLength', SIGNATURE, args, ctx).count(2, 2);
    return new TimeLengthWindow(a.time(0, 'window.time'), a.int(1, 'window.length'), ctx);
  },
};
