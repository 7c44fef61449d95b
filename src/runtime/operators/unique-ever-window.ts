// `#window.unique:ever(attribute …)`: keeps the latest event of every key
// forever; an arrival whose key is held expires the older event first.

import { CURRENT, EXPIRED, StreamEvent } from '../event.js';
import { NOWHERE, type Processor } from '../processor.js';
import { KeyedEventsCell, keyOf } from './unique-key.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

export class UniqueEverWindow implements Window {
  next: Processor = NOWHERE;
  private readonly cell = new KeyedEventsCell('window.unique:ever');

  constructor(
    private readonly keys: readonly WindowArg[],
    private readonly ctx: WindowContext,
  ) {
    ctx.declare(this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const now = this.ctx.scheduler.now();
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      const key = keyOf(this.keys, e);
      const old = this.cell.map.get(key);
      this.cell.map.delete(key);
      this.cell.map.set(key, e);
      if (old) out.push(new StreamEvent(now, old.data, EXPIRED));
      out.push(e);
    }
    if (out.length > 0) this.next.process(out);
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.map.values();
  }
}

/** Reads `(attribute, attribute, …)`: at least one plain attribute. */
export function keyAttributes(a: WindowArgs, from = 0, to = a.length): WindowArg[] {
  const keys: WindowArg[] = [];
  for (let i = from; i < to; i++) keys.push(a.attribute(i, `unique.key ${i + 1}`));
  return keys;
}

const SIGNATURE = 'unique:ever(unique.key attribute, …)';

export const UNIQUE_EVER_WINDOW: WindowKind = {
  name: 'unique:ever',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('unique:ever', SIGNATURE, args, ctx).count(1, Infinity);
    const keys = keyAttributes(a);
    return (c) => new UniqueEverWindow(keys, c);
  },
};
