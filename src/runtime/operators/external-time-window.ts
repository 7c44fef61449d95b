// `#window.externalTime(ts, t)`: a sliding time window whose clock is a long
// attribute of the events; only arrivals move it, so it needs no timers.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { LoggedQueue, type QueueCapture } from '../../state/logged-queue.js';
import { CURRENT, EVENT_CODEC, EXPIRED, StreamEvent } from '../event.js';
import { NOWHERE, type Processor } from '../processor.js';
import type { Window, WindowArg, WindowContext, WindowKind } from './window.js';
import { WindowArgs } from './window-args.js';

export class ExternalTimeWindowCell implements StateCell {
  readonly kind = 'window.externalTime';
  readonly version = 1;
  readonly queue = new LoggedQueue<StreamEvent>(EVENT_CODEC);

  capture(mode: CaptureMode): unknown {
    return { q: this.queue.capture(mode) };
  }

  restore(state: unknown): void {
    this.queue.restore((state as { q: QueueCapture }).q);
  }
}

export class ExternalTimeWindow implements Window {
  next: Processor = NOWHERE;
  private readonly cell = new ExternalTimeWindowCell();

  constructor(
    private readonly timeOf: (e: StreamEvent) => unknown,
    private readonly duration: number,
    ctx: WindowContext,
  ) {
    ctx.cells.register(ctx.id, this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const queue = this.cell.queue;
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      const now = Number(this.timeOf(e));
      for (let head = queue.peek(); head && Number(this.timeOf(head)) + this.duration <= now; head = queue.peek()) {
        queue.shift();
        // The expiry happens at this arrival; the engine clock is its timestamp.
        out.push(new StreamEvent(e.timestamp, head.data, EXPIRED));
      }
      queue.push(e);
      out.push(e);
    }
    if (out.length > 0) this.next.process(out);
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.queue;
  }
}

const SIGNATURE = 'externalTime(timestamp long, window.time int|long|time)';

export const EXTERNAL_TIME_WINDOW: WindowKind = {
  name: 'externalTime',
  signature: SIGNATURE,
  create(args: readonly WindowArg[], ctx: WindowContext): Window {
    const a = new WindowArgs('externalTime', SIGNATURE, args, ctx).count(2, 2);
    const ts = a.attribute(0, 'timestamp', ['long']);
    return new ExternalTimeWindow(ts.get, a.time(1, 'window.time'), ctx);
  },
};
