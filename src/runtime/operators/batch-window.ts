// `#window.batch([n])`: each incoming chunk (cut into pieces of n when given)
// is emitted as a batch, and expired as a whole when the next chunk arrives.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { CURRENT, EXPIRED, StreamEvent } from '../event.js';
import { EventQueue, type EventQueueCapture } from '../event-queue.js';
import { Pipe } from '../processor.js';
import { BATCH_MIGRATIONS } from './batch-cell.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

export class BatchWindowCell implements StateCell {
  readonly kind = 'window.batch';
  /** 2: the queue is columnar (EventQueue); 1 held `[ts, data, type]` rows. */
  readonly version = 2;
  readonly migrations = BATCH_MIGRATIONS;
  /** The events of the last chunk, expired by the next one. */
  readonly expired: EventQueue;

  constructor(ctx: WindowContext) {
    this.expired = new EventQueue(ctx.attributes);
  }

  capture(mode: CaptureMode): unknown {
    return { e: this.expired.capture(mode) };
  }

  restore(state: unknown): void {
    this.expired.restore((state as { e: EventQueueCapture }).e);
  }
}

export class BatchWindow extends Pipe<StreamEvent> implements Window {
  private readonly cell: BatchWindowCell;

  constructor(
    /** Largest piece emitted at once; 0 for the whole chunk. */
    private readonly size: number,
    private readonly ctx: WindowContext,
  ) {
    super();
    this.cell = new BatchWindowCell(ctx);
    ctx.declare(this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const expired = this.cell.expired;
    let out: StreamEvent[] | undefined;
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      if (!out) out = expired.drainAs(EXPIRED, this.ctx.scheduler.now());
      out.push(e);
      expired.push(e);
      if (this.size > 0 && expired.length % this.size === 0) {
        this.next.process(out);
        out = [];
      }
    }
    if (out && out.length > 0) this.next.process(out);
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.expired;
  }
}

const SIGNATURE = 'batch([window.length int])';

export const BATCH_WINDOW: WindowKind = {
  name: 'batch',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('batch', SIGNATURE, args, ctx).count(0, 1);
    const size = args.length > 0 ? a.int(0, 'window.length') : 0;
    return (c) => new BatchWindow(size, c);
  },
};
