// `#window.delay(t)`: holds each event for t ms, then re-emits it as a current
// event stamped with the release time. Held events are its contents (for joins).

import type { CaptureMode, StateCell } from '../../state/cell.js';
import type { TimerTarget } from '../clock.js';
import { CURRENT, StreamEvent } from '../event.js';
import { EventQueue, migrateQueueV1, type EventQueueCapture } from '../event-queue.js';
import { NOWHERE, type Processor } from '../processor.js';
import type { Window, WindowArg, WindowContext, WindowKind } from './window.js';
import { WindowArgs } from './window-args.js';

export class DelayWindowCell implements StateCell {
  readonly kind = 'window.delay';
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

export class DelayWindow implements Window, TimerTarget {
  next: Processor = NOWHERE;
  private readonly cell: DelayWindowCell;
  /** Due time of the pending timer, -1 when none; derived from the head, never captured. */
  private armed = -1;

  constructor(
    private readonly delay: number,
    private readonly ctx: WindowContext,
  ) {
    this.cell = new DelayWindowCell(ctx, () => this.rearm());
    ctx.cells.register(ctx.id, this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const now = this.ctx.scheduler.now();
    const out: StreamEvent[] = [];
    this.release(now, out);
    for (const e of chunk) if (e.type === CURRENT) this.cell.queue.push(e);
    this.arm();
    if (out.length > 0) this.next.process(out);
  }

  onTimer(time: number): void {
    if (time !== this.armed) return;
    this.armed = -1;
    const out: StreamEvent[] = [];
    this.release(time, out);
    this.arm();
    if (out.length > 0) this.next.process(out);
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.queue;
  }

  private release(now: number, out: StreamEvent[]): void {
    const queue = this.cell.queue;
    while (queue.length > 0 && queue.peekTimestamp() + this.delay <= now) out.push(queue.shiftAs(CURRENT, now));
  }

  private arm(): void {
    const queue = this.cell.queue;
    if (queue.length === 0) return;
    const due = queue.peekTimestamp() + this.delay;
    if (this.armed !== -1 && this.armed <= due) return;
    this.armed = due;
    this.ctx.scheduler.schedule(due, this);
  }

  private rearm(): void {
    this.armed = -1;
    this.arm();
  }
}

const SIGNATURE = 'delay(window.delay int|long|time)';

export const DELAY_WINDOW: WindowKind = {
  name: 'delay',
  signature: SIGNATURE,
  create(args: readonly WindowArg[], ctx: WindowContext): Window {
    const a = new WindowArgs('delay', SIGNATURE, args, ctx).count(1, 1);
    return new DelayWindow(a.time(0, 'window.delay'), ctx);
  },
};
