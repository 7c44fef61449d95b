// `#window.time(t)`: a sliding window of the events of the last t ms. An event
// expires once `timestamp + t <= now`, driven by one chained timer on the head.

import { EXPIRED, type StreamEvent } from '../event.js';
import { HeadTimedWindow } from './head-timed-window.js';
import type { WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

export class TimeWindow extends HeadTimedWindow {
  constructor(duration: number, ctx: WindowContext) {
    super('window.time', duration, EXPIRED, ctx);
  }

  process(chunk: StreamEvent[]): void {
    this.slide(chunk, Infinity);
  }
}

const SIGNATURE = 'time(window.time int|long|time)';

export const TIME_WINDOW: WindowKind = {
  name: 'time',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('time', SIGNATURE, args, ctx).count(1, 1);
    const time = a.time(0, 'window.time');
    return (c) => new TimeWindow(time, c);
  },
};
