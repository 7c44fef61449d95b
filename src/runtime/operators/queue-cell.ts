// The state cell of the FIFO windows (length, time, timeLength, delay,
// externalTime): one EventQueue captured as `{ q }`. Each window names its kind
// and, when timers follow the head, what to re-arm after a restore.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { EventQueue, migrateQueueV1, type EventQueueCapture } from '../event-queue.js';
import type { WindowContext } from './window.js';

const migrateV1 = (s: unknown): unknown => ({ q: migrateQueueV1((s as { q: unknown }).q) });

export class QueueCell implements StateCell {
  /** 2: the queue is columnar (EventQueue); 1 held `[ts, data, type]` rows. */
  readonly version = 2;
  readonly migrations = { 1: migrateV1 };
  readonly queue: EventQueue;

  constructor(
    /** e.g. 'window.length'. */
    readonly kind: string,
    ctx: WindowContext,
    private readonly afterRestore?: () => void,
  ) {
    this.queue = new EventQueue(ctx.attributes);
  }

  capture(mode: CaptureMode): unknown {
    return { q: this.queue.capture(mode) };
  }

  restore(state: unknown): void {
    this.queue.restore((state as { q: EventQueueCapture }).q);
    this.afterRestore?.();
  }
}
