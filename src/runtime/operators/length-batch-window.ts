// `#window.lengthBatch(n [, stream.current.event])`: collects n events and
// emits them as one chunk after the previous batch's expiry. With streaming on,
// events pass at once and the whole batch expires when the (n+1)th arrives.

import { CURRENT, EXPIRED, StreamEvent } from '../event.js';
import { Pipe } from '../processor.js';
import { BatchCell, moveBatch } from './batch-cell.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

export class LengthBatchWindow extends Pipe<StreamEvent> implements Window {
  /** `current` is unused when streaming; `expired` holds the last batch, or the streamed part of this one. */
  private readonly cell: BatchCell;

  constructor(
    private readonly size: number,
    private readonly streamCurrent: boolean,
    private readonly ctx: WindowContext,
  ) {
    super();
    this.cell = new BatchCell('window.lengthBatch', ctx);
    ctx.declare(this.cell);
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

const SIGNATURE = 'lengthBatch(window.length int [, stream.current.event bool])';

export const LENGTH_BATCH_WINDOW: WindowKind = {
  name: 'lengthBatch',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('lengthBatch', SIGNATURE, args, ctx).count(1, 2);
    const size = a.int(0, 'window.length');
    const streamCurrent = args.length > 1 ? a.bool(1, 'stream.current.event') : false;
    return (c) => new LengthBatchWindow(size, streamCurrent, c);
  },
};
