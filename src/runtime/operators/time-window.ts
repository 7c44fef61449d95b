// `#window.time(t)`: a sliding window of the events of the last t ms. An event
// expires once `timestamp + t <= now`, driven by one chained timer on the head.

import { CURRENT, EXPIRED, type StreamEvent } from '../event.js';
import { HeadTimedWindow } from './head-timed-window.js';
import type { Window, WindowArg, WindowContext, WindowKind } from './window.js';
import { WindowArgs } from './window-args.js';

export class TimeWindow extends HeadTimedWindow {
  constructor(duration: number, ctx: WindowContext) {
    super('window.time', duration, EXPIRED, ctx);
  }

  process(chunk: StreamEvent[]): void {
    const queue = this.queue;
    const now = this.ctx.scheduler.now();
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      this.release(now, out);
      queue.push(e);
      out.push(e);
    }
    this.arm();
    if (out.length > 0) this.next.process(out);
  }
}

const SIGNATURE = 'time(window.time int|long|time)';

export const TIME_WINDOW: WindowKind = {
  name: 'time',
  signature: SIGNATURE,
  create(args: readonly WindowArg[], ctx: WindowContext): Window {
    const a = new WindowArgs('time', SIGNATURE, args, ctx).count(1, 1);
    return new TimeWindow(a.time(0, 'window.time'), ctx);
  },
};
