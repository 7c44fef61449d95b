// `#window.batch([n])`: each incoming chunk (cut into pieces of n when given)
// is emitted as a batch, and expired as a whole when the next chunk arrives.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { LoggedQueue, type QueueCapture } from '../../state/logged-queue.js';
import { CURRENT, EVENT_CODEC, StreamEvent } from '../event.js';
import { NOWHERE, type Processor } from '../processor.js';
import { expireAll } from './length-batch-window.js';
import type { Window, WindowArg, WindowContext, WindowKind } from './window.js';
import { WindowArgs } from './window-args.js';

export class BatchWindowCell implements StateCell {
  readonly kind = 'window.batch';
  readonly version = 1;
  /** The events of the last chunk, expired by the next one. */
  readonly expired = new LoggedQueue<StreamEvent>(EVENT_CODEC);

  capture(mode: CaptureMode): unknown {
    return { e: this.expired.capture(mode) };
  }

  restore(state: unknown): void {
    this.expired.restore((state as { e: QueueCapture }).e);
  }
}

export class BatchWindow implements Window {
  next: Processor = NOWHERE;
  private readonly cell = new BatchWindowCell();

  constructor(
    /** Largest piece emitted at once; 0 for the whole chunk. */
    private readonly size: number,
    private readonly ctx: WindowContext,
  ) {
    ctx.cells.register(ctx.id, this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const expired = this.cell.expired;
    let out: StreamEvent[] | undefined;
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      if (!out) out = expireAll(expired, this.ctx.scheduler.now());
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
  create(args: readonly WindowArg[], ctx: WindowContext): Window {
    const a = new WindowArgs('batch', SIGNATURE, args, ctx).count(0, 1);
    return new BatchWindow(args.length > 0 ? a.int(0, 'window.length') : 0, ctx);
  },
};
