// `#window.externalTime(ts, t)`: a sliding time window whose clock is a long
// attribute of the events; only arrivals move it, so it needs no timers.

import { CURRENT, EXPIRED, StreamEvent } from '../event.js';
import { Pipe } from '../processor.js';
import { QueueCell } from './queue-cell.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

export class ExternalTimeWindow extends Pipe<StreamEvent> implements Window {
  private readonly cell: QueueCell;

  constructor(
    private readonly timeOf: (e: StreamEvent) => unknown,
    /** Position of the timestamp attribute, to read it from the queue's column. */
    private readonly timeIndex: number,
    private readonly duration: number,
    ctx: WindowContext,
  ) {
    super();
    this.cell = new QueueCell('window.externalTime', ctx);
    ctx.declare(this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const queue = this.cell.queue;
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      const now = Number(this.timeOf(e));
      // The expiry happens at this arrival; the engine clock is its timestamp.
      while (queue.length > 0 && Number(queue.valueAt(0, this.timeIndex)) + this.duration <= now) {
        out.push(queue.shiftAs(EXPIRED, e.timestamp));
      }
      queue.push(e);
      out.push(e);
    }
    this.emit(out);
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.queue;
  }
}

const SIGNATURE = 'externalTime(timestamp long, window.time int|long|time)';

export const EXTERNAL_TIME_WINDOW: WindowKind = {
  name: 'externalTime',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('externalTime', SIGNATURE, args, ctx).count(2, 2);
    const ts = a.attribute(0, 'timestamp', ['long']);
    const time = a.time(1, 'window.time');
    return (c) => new ExternalTimeWindow(ts.get, ts.attribute!.index, time, c);
  },
};
