// `#window.length(n)`: a sliding window of the last n events. Once full, each
// arrival first emits the oldest event as expired, then itself.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { LoggedQueue, type QueueCapture } from '../../state/logged-queue.js';
import { CURRENT, EVENT_CODEC, EXPIRED, StreamEvent } from '../event.js';
import { NOWHERE, type Processor } from '../processor.js';
import type { Window, WindowArg, WindowContext, WindowKind } from './window.js';
import { WindowArgs } from './window-args.js';

export class LengthWindowCell implements StateCell {
  readonly kind = 'window.length';
  readonly version = 1;
  readonly queue = new LoggedQueue<StreamEvent>(EVENT_CODEC);

  capture(mode: CaptureMode): unknown {
    return { q: this.queue.capture(mode) };
  }

  restore(state: unknown): void {
    this.queue.restore((state as { q: QueueCapture }).q);
  }
}

export class LengthWindow implements Window {
  next: Processor = NOWHERE;
  private readonly cell = new LengthWindowCell();

  constructor(
    private readonly size: number,
    private readonly ctx: WindowContext,
  ) {
    ctx.cells.register(ctx.id, this.cell);
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
      if (queue.length >= this.size) out.push(new StreamEvent(now, queue.shift()!.data, EXPIRED));
      queue.push(e);
      out.push(e);
    }
    if (out.length > 0) this.next.process(out);
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.queue;
  }
}

const SIGNATURE = 'length(window.length int)';

export const LENGTH_WINDOW: WindowKind = {
  name: 'length',
  signature: SIGNATURE,
  create(args: readonly WindowArg[], ctx: WindowContext): Window {
    const a = new WindowArgs('length', SIGNATURE, args, ctx).count(1, 1);
    return new LengthWindow(a.int(0, 'window.length'), ctx);
  },
};
