// `#window.unique:first(attribute …)`: keeps the first event of every key
// forever and drops later events with a held key; nothing ever expires.

import { CURRENT, type StreamEvent } from '../event.js';
import { NOWHERE, type Processor } from '../processor.js';
import { keyAttributes } from './unique-ever-window.js';
import { KeyedEventsCell, keyOf } from './unique-key.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

export class UniqueFirstWindow implements Window {
  next: Processor = NOWHERE;
  private readonly cell = new KeyedEventsCell('window.unique:first');

  constructor(
    private readonly keys: readonly WindowArg[],
    ctx: WindowContext,
  ) {
    ctx.declare(this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      const key = keyOf(this.keys, e);
      if (this.cell.map.has(key)) continue;
      this.cell.map.set(key, e);
      out.push(e);
    }
    if (out.length > 0) this.next.process(out);
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.map.values();
  }
}

const SIGNATURE = 'unique:first(unique.key attribute, …)';

export const UNIQUE_FIRST_WINDOW: WindowKind = {
  name: 'unique:first',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('unique:first', SIGNATURE, args, ctx).count(1, Infinity);
    const keys = keyAttributes(a);
    return (c) => new UniqueFirstWindow(keys, c);
  },
};
