// `#window.time(t)`: a sliding window of the events of the last t ms. An event
// expires once `timestamp + t <= now`, driven by one chained timer on the head.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { LoggedQueue, type QueueCapture } from '../../state/logged-queue.js';
import type { TimerTarget } from '../clock.js';
import { CURRENT, EVENT_CODEC, EXPIRED, StreamEvent } from '../event.js';
import { NOWHERE, type Processor } from '../processor.js';
import type { Window, WindowArg, WindowContext, WindowKind } from './window.js';
import { WindowArgs } from './window-args.js';

export class TimeWindowCell implements StateCell {
  readonly kind = 'window.time';
  readonly version = 1;
  readonly queue = new LoggedQueue<StreamEvent>(EVENT_CODEC);

  constructor(private readonly rearm: () => void) {}

  capture(mode: CaptureMode): unknown {
    return { q: this.queue.capture(mode) };
  }

  restore(state: unknown): void {
    this.queue.restore((state as { q: QueueCapture }).q);
    this.rearm();
  }
}

export class TimeWindow implements Window, TimerTarget {
  next: Processor = NOWHERE;
  private readonly cell = new TimeWindowCell(() => this.rearm());
  /** Due time of the pending timer, -1 when none; derived from the head, never captured. */
  private armed = -1;

  constructor(
    private readonly duration: number,
    private readonly ctx: WindowContext,
  ) {
    ctx.cells.register(ctx.id, this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const queue = this.cell.queue;
    const now = this.ctx.scheduler.now();
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      this.expire(now, out);
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
    for (let head = queue.peek(); head && head.timestamp + this.duration <= now; head = queue.peek()) {
      queue.shift();
      out.push(new StreamEvent(now, head.data, EXPIRED));
    }
  }

  private arm(): void {
    const head = this.cell.queue.peek();
    if (!head) return;
    const due = head.timestamp + this.duration;
    // An earlier pending timer re-arms for this head when it fires.
    if (this.armed !== -1 && this.armed <= due) return;
    this.armed = due;
    this.ctx.scheduler.schedule(due, this);
  }

  private rearm(): void {
    this.armed = -1;
    this.arm();
  }
}

const SIGNATURE = 'time(window.time int|long|time)';

export const TIME_WINDOW: WindowKind = {
  name: 'time',
  signature: SIGNATURE,
  create(args: readonly WindowArg[], ctx: WindowContext): Window {
    const a = new WindowArgs('time', SIGNATURE, args, ctx).count(1, 1);
    return new TimeWindow(a.time(0, 'window.time'), ctx);
  },
};
