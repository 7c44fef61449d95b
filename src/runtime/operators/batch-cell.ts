// The state of the batch windows (lengthBatch, timeBatch, externalTimeBatch):
// the batch being collected and the one emitted, captured as `{ c, e }`. Windows
// with more to keep extend it; `moveBatch` hands a collected batch over.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import type { StreamEvent } from '../event.js';
import { EventQueue, migrateQueueV1, type EventQueueCapture } from '../event-queue.js';
import type { WindowContext } from './window.js';

/** Version 1 → 2 for the batch windows: every queue field (`c`, `e`) becomes its row form. */
export function migrateBatchV1(state: unknown): unknown {
  const s = { ...(state as Record<string, unknown>) };
  if (s.c !== undefined) s.c = migrateQueueV1(s.c);
  if (s.e !== undefined) s.e = migrateQueueV1(s.e);
  return s;
}

/** Shared by every cell of the kind (one object, not one per partition key). */
export const BATCH_MIGRATIONS = { 1: migrateBatchV1 };

export class BatchCell implements StateCell {
  /** 2: the queues are columnar (EventQueue); 1 held `[ts, data, type]` rows. */
  readonly version = 2;
  readonly migrations = BATCH_MIGRATIONS;
  /** The batch being collected. */
  readonly current: EventQueue;
  /** Events emitted and not yet expired. */
  readonly expired: EventQueue;

  constructor(
    /** e.g. 'window.lengthBatch'. */
    readonly kind: string,
    ctx: WindowContext,
  ) {
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
