// `#window.length(n)`: a sliding window of the last n events. Once full, each
// arrival first emits the oldest event as expired, then itself.

import { CURRENT, EXPIRED, StreamEvent } from '../event.js';
import { Pipe } from '../processor.js';
import type { EventQueue } from '../event-queue.js';
import { QueueCell } from './queue-cell.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

export class LengthWindow extends Pipe<StreamEvent> implements Window {
  private readonly cell: QueueCell;

  constructor(
    /** Read by the fused kernel (runtime/kernel), as are `ctx` and `queue`. */
    readonly size: number,
    readonly ctx: WindowContext,
  ) {
    super();
    this.cell = new QueueCell('window.length', ctx);
    ctx.declare(this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const queue = this.cell.queue;
    const now = this.ctx.scheduler.now();
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      if (this.size === 0) {
        out.push(e, new StreamEvent(now, e.data, EXPIRED));
        continue;
      }
      if (queue.length >= this.size) out.push(queue.shiftAs(EXPIRED, now));
      queue.push(e);
      out.push(e);
    }
    this.emit(out);
  }

  get queue(): EventQueue {
    return this.cell.queue;
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.queue;
  }
}

const SIGNATURE = 'length(window.length int)';

export const LENGTH_WINDOW: WindowKind = {
  name: 'length',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('length', SIGNATURE, args, ctx).count(1, 1);
    const size = a.int(0, 'window.length');
    return (c) => new LengthWindow(size, c);
  },
};
