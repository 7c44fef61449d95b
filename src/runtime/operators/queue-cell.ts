// The state cell of the FIFO windows (length, time, timeLength, delay,
// externalTime): one EventQueue captured as `{ q }`, plus `tm`, the pending
// timer, for the windows whose timer follows the head.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { EventQueue, migrateQueueV1, type EventQueueCapture } from '../event-queue.js';
import type { TimerCapture, TimerSlot } from '../timer-slot.js';
import type { WindowContext } from './window.js';

/** A timed window's timer, and how to re-arm it from the queue (checkpoints without `tm`). */
export interface QueueTimer {
  readonly slot: TimerSlot;
  readonly rearm: () => void;
}

const migrateV1 = (s: unknown): unknown => ({ q: migrateQueueV1((s as { q: unknown }).q) });

/** Shared by every cell of the kind (one object, not one per partition key). */
const QUEUE_MIGRATIONS = { 1: migrateV1 };

export class QueueCell implements StateCell {
  /** 2: the queue is columnar (EventQueue); 1 held `[ts, data, type]` rows. */
  readonly version = 2;
  readonly migrations = QUEUE_MIGRATIONS;
  readonly queue: EventQueue;

  constructor(
    /** e.g. 'window.length'. */
    readonly kind: string,
    ctx: WindowContext,
    private readonly timer?: QueueTimer,
  ) {
    this.queue = new EventQueue(ctx.attributes, ctx.perKey);
  }

  capture(mode: CaptureMode): unknown {
    const q = this.queue.capture(mode);
    return this.timer ? { q, tm: this.timer.slot.capture() } : { q };
  }

  restore(state: unknown): void {
    const s = state as { q: EventQueueCapture; tm?: TimerCapture };
    this.queue.restore(s.q);
    if (this.timer) this.timer.slot.restore(s.tm, this.timer.rearm);
  }
}
