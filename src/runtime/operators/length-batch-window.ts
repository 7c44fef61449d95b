// `#window.lengthBatch(n [, stream.current.event])`: collects n events and
// emits them as one chunk after the previous batch's expiry. With streaming on,
// events pass at once and the whole batch expires when the (n+1)th arrives.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { CURRENT, EXPIRED, StreamEvent } from '../event.js';
import { EventQueue, migrateQueueV1, type EventQueueCapture } from '../event-queue.js';
import { NOWHERE, type Processor } from '../processor.js';
import type { Window, WindowArg, WindowContext, WindowKind } from './window.js';
import { WindowArgs } from './window-args.js';

export class LengthBatchWindowCell implements StateCell {
  readonly kind = 'window.lengthBatch';
  /** 2: the queues are columnar (EventQueue); 1 held `[ts, data, type]` rows. */
  readonly version = 2;
  readonly migrations = { 1: migrateBatchV1 };
  /** The batch being collected (unused when streaming). */
  readonly current: EventQueue;
  /** Events emitted and not yet expired: the last batch, or the streamed part of this one. */
  readonly expired: EventQueue;

  constructor(ctx: WindowContext) {
    this.current = new EventQueue(ctx.attributes);
    this.expired = new EventQueue(ctx.attributes);
  }

  capture(mode: CaptureMode): unknown {
    return { c: this.current.capture(mode), e: this.expired.capture(mode) };
  }

  restore(state: unknown): void {
    const s = state as { c: EventQueueCapture; e: EventQueueCapture };
    this.current.restore(s.c);
    this.expired.restore(s.e);
  }
}

/** Version 1 → 2 for the batch windows: every queue field (`c`, `e`) becomes its row form. */
export function migrateBatchV1(state: unknown): unknown {
  const s = { ...(state as Record<string, unknown>) };
  if (s.c !== undefined) s.c = migrateQueueV1(s.c);
  if (s.e !== undefined) s.e = migrateQueueV1(s.e);
  return s;
}

export class LengthBatchWindow implements Window {
  next: Processor = NOWHERE;
  private readonly cell: LengthBatchWindowCell;

  constructor(
    private readonly size: number,
    private readonly streamCurrent: boolean,
    private readonly ctx: WindowContext,
  ) {
    this.cell = new LengthBatchWindowCell(ctx);
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
    const out = expired.drainAs(EXPIRED, now);
    moveBatch(current, expired, out);
    this.next.process(out);
  }

  private stream(e: StreamEvent, now: number): void {
    const expired = this.cell.expired;
    const out = expired.length >= this.size ? expired.drainAs(EXPIRED, now) : [];
    out.push(e);
    expired.push(e);
    this.next.process(out);
  }
}

/** Emits the collected batch (as events equal to those that arrived) and keeps it as the one to expire next. */
export function moveBatch(current: EventQueue, expired: EventQueue, out: StreamEvent[]): void {
  if (expired.length > 0) {
    for (const b of current.drain()) {
      out.push(b);
      expired.push(b);
    }
    return;
  }
  // The usual case, right after the previous batch expired: hand the rows over.
  const batch = current.toArray();
  for (let i = 0; i < batch.length; i++) out.push(batch[i]!);
  expired.swap(current);
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
