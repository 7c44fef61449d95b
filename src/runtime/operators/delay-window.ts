// `#window.delay(t)`: holds each event for t ms, then re-emits it as a current
// event stamped with the release time. Held events are its contents (for joins).

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { LoggedQueue, type QueueCapture } from '../../state/logged-queue.js';
import type { TimerTarget } from '../clock.js';
import { CURRENT, EVENT_CODEC, StreamEvent } from '../event.js';
import { NOWHERE, type Processor } from '../processor.js';
import type { Window, WindowArg, WindowContext, WindowKind } from './window.js';
import { WindowArgs } from './window-args.js';

export class DelayWindowCell implements StateCell {
  readonly kind = 'window.delay';
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

export class DelayWindow implements Window, TimerTarget {
  next: Processor = NOWHERE;
  private readonly cell = new DelayWindowCell(() => this.rearm());
  /** Due time of the pending timer, -1 when none; derived from the head, never captured. */
  private armed = -1;

  constructor(
    private readonly delay: number,
    private readonly ctx: WindowContext,
  ) {
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
    for (let head = queue.peek(); head && head.timestamp + this.delay <= now; head = queue.peek()) {
      queue.shift();
      out.push(new StreamEvent(now, head.data, CURRENT));
    }
  }

  private arm(): void {
    const head = this.cell.queue.peek();
    if (!head) return;
    const due = head.timestamp + this.delay;
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
