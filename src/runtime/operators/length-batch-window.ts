// `#window.lengthBatch(n [, stream.current.event])`: collects n events and
// emits them as one chunk after the previous batch's expiry. With streaming on,
// events pass at once and the whole batch expires when the (n+1)th arrives.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { LoggedQueue, type QueueCapture } from '../../state/logged-queue.js';
import { CURRENT, EVENT_CODEC, EXPIRED, StreamEvent } from '../event.js';
import { NOWHERE, type Processor } from '../processor.js';
import type { Window, WindowArg, WindowContext, WindowKind } from './window.js';
import { WindowArgs } from './window-args.js';

export class LengthBatchWindowCell implements StateCell {
  readonly kind = 'window.lengthBatch';
  readonly version = 1;
  /** The batch being collected (unused when streaming). */
  readonly current = new LoggedQueue<StreamEvent>(EVENT_CODEC);
  /** Events emitted and not yet expired: the last batch, or the streamed part of this one. */
  readonly expired = new LoggedQueue<StreamEvent>(EVENT_CODEC);

  capture(mode: CaptureMode): unknown {
    return { c: this.current.capture(mode), e: this.expired.capture(mode) };
  }

  restore(state: unknown): void {
    const s = state as { c: QueueCapture; e: QueueCapture };
    this.current.restore(s.c);
    this.expired.restore(s.e);
  }
}

export class LengthBatchWindow implements Window {
  next: Processor = NOWHERE;
  private readonly cell = new LengthBatchWindowCell();

  constructor(
    private readonly size: number,
    private readonly streamCurrent: boolean,
    private readonly ctx: WindowContext,
  ) {
    ctx.cells.register(ctx.id, this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const now = this.ctx.scheduler.now();
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      if (this.size === 0) this.next.process([e, new StreamEvent(now, e.data, EXPIRED)]);
      else if (this.streamCurrent) this.stream(e, now);
      else this.collect(e, now);
    }
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.expired;
  }

  private collect(e: StreamEvent, now: number): void {
    const { current, expired } = this.cell;
    current.push(e);
    if (current.length < this.size) return;
    const out = expireAll(expired, now);
    for (const b of current.drain()) {
      out.push(b);
      expired.push(b);
    }
    this.next.process(out);
  }

  private stream(e: StreamEvent, now: number): void {
    const expired = this.cell.expired;
    const out = expired.length >= this.size ? expireAll(expired, now) : [];
    out.push(e);
    expired.push(e);
    this.next.process(out);
  }
}

/** Drains `queue` into new expired events stamped `now`. */
export function expireAll(queue: LoggedQueue<StreamEvent>, now: number): StreamEvent[] {
  const out: StreamEvent[] = [];
  for (const ev of queue.drain()) out.push(new StreamEvent(now, ev.data, EXPIRED));
  return out;
}

const SIGNATURE = 'lengthBatch(window.length int [, stream.current.event bool])';

export const LENGTH_BATCH_WINDOW: WindowKind = {
  name: 'lengthBatch',
  signature: SIGNATURE,
  create(args: readonly WindowArg[], ctx: WindowContext): Window {
    const a = new WindowArgs('lengthBatch', SIGNATURE, args, ctx).count(1, 2);
    const size = a.int(0, 'window.length');
    const streamCurrent = args.length > 1 ? a.bool(1, 'stream.current.event') : false;
    return new LengthBatchWindow(size, streamCurrent, ctx);
  },
};
