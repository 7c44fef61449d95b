// `#window.unique:length(attribute, length)`: a sliding window of the latest
// event per key. A held key's arrival expires its older event; a new key beyond
// `length` distinct keys expires the oldest held event. As in the reference,
// keys stay counted once seen.

import { CURRENT, EXPIRED, StreamEvent } from '../event.js';
import { NOWHERE, type Processor } from '../processor.js';
import { KeyedEventsCell, keyOf } from './unique-key.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

export class UniqueLengthWindow implements Window {
  next: Processor = NOWHERE;
  private readonly cell = new KeyedEventsCell('window.unique:length');

  constructor(
    private readonly key: WindowArg,
    private readonly length: number,
    private readonly ctx: WindowContext,
  ) {
    ctx.declare(this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const now = this.ctx.scheduler.now();
    const cell = this.cell;
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      const key = keyOf([this.key], e);
      const old = cell.map.get(key);
      cell.map.set(key, e);
      if (!old) cell.count++;
      if (cell.count <= this.length && !old) {
        cell.queue.push(e);
      } else if (old) {
        cell.queue = cell.queue.filter((x) => x !== old);
        cell.queue.push(e);
        out.push(new StreamEvent(now, old.data, EXPIRED));
      } else {
        const first = cell.queue.shift();
        if (first) {
          out.push(new StreamEvent(now, first.data, EXPIRED));
          cell.queue.push(e);
        } else out.push(new StreamEvent(e.timestamp, e.data, EXPIRED));
      }
      out.push(e);
    }
    if (out.length > 0) this.next.process(out);
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.queue;
  }
}

const SIGNATURE = 'unique:length(unique.key attribute, window.length int)';

export const UNIQUE_LENGTH_WINDOW: WindowKind = {
  name: 'unique:length',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('unique:length', SIGNATURE, args, ctx).count(2, 2);
    const key = a.attribute(0, 'unique.key');
    const length = a.int(1, 'window.length', 1);
    return (c) => new UniqueLengthWindow(key, length, c);
  },
};
