// `#window.timeLength(t, n)`: keeps events of the last t ms, at most n of them.
// Time expiry runs on a chained timer; a full window expires its oldest on arrival.

import { EXPIRED, type StreamEvent } from '../event.js';
import { HeadTimedWindow } from './head-timed-window.js';
import type { WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

export class TimeLengthWindow extends HeadTimedWindow {
  constructor(
    duration: number,
    private readonly size: number,
    ctx: WindowContext,
  ) {
    super('window.timeLength', duration, EXPIRED, ctx);
  }

  process(chunk: StreamEvent[]): void {
    this.slide(chunk, this.size);
  }
}

const SIGNATURE = 'timeLength(window.time int|long|time, window.length int)';

export const TIME_LENGTH_WINDOW: WindowKind = {
  name: 'timeLength',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('timeLength', SIGNATURE, args, ctx).count(2, 2);
    const time = a.time(0, 'window.time');
    const length = a.int(1, 'window.length');
    return (c) => new TimeLengthWindow(time, length, c);
  },
};
