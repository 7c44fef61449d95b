// `#window.delay(t)`: holds each event for t ms, then re-emits it as a current
// event stamped with the release time. Held events are its contents (for joins).

import { CURRENT, type StreamEvent } from '../event.js';
import { HeadTimedWindow } from './head-timed-window.js';
import type { WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

export class DelayWindow extends HeadTimedWindow {
  constructor(delay: number, ctx: WindowContext) {
    super('window.delay', delay, CURRENT, ctx);
  }

  process(chunk: StreamEvent[]): void {
    const now = this.ctx.scheduler.now();
    const out: StreamEvent[] = [];
    this.release(now, out);
    for (const e of chunk) if (e.type === CURRENT) this.queue.push(e);
    this.arm();
    if (out.length > 0) this.next.process(out);
  }
}

const SIGNATURE = 'delay(window.delay int|long|time)';

export const DELAY_WINDOW: WindowKind = {
  name: 'delay',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('delay', SIGNATURE, args, ctx).count(1, 1);
    const delay = a.time(0, 'window.delay');
    return (c) => new DelayWindow(delay, c);
  },
};
