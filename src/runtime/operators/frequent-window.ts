// `#window.frequent(n [, attr…])`: Misra-Gries heavy hitters. Keeps at most n
// keys with counts; a new key decrements all and expires those reaching zero.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { CURRENT, EVENT_CODEC, EXPIRED, StreamEvent } from '../event.js';
import { Pipe } from '../processor.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

export type EventKey = (e: StreamEvent) => string;

/** A key from the given attributes, or from the whole event when there are none. */
export function buildEventKey(gets: readonly ((e: StreamEvent) => unknown)[]): EventKey {
  if (gets.length === 0) return (e) => e.data.map(String).join('\u001f');
  if (gets.length === 1) {
    const get = gets[0]!;
    return (e) => String(get(e));
  }
  return (e) => gets.map((g) => String(g(e))).join('\u001f');
}

interface Tracked {
  /** The latest event of the key: what leaves when the key is dropped. */
  event: StreamEvent;
  count: number;
}

type Captured = { k: [string, unknown, number][] };

export class FrequentWindowCell implements StateCell {
  readonly kind = 'window.frequent';
  readonly version = 1;
  /** Insertion-ordered: decrements and expiries go oldest key first. */
  readonly tracked = new Map<string, Tracked>();

  capture(_mode: CaptureMode): unknown {
    const k: [string, unknown, number][] = [];
    for (const [key, t] of this.tracked) k.push([key, EVENT_CODEC.encode(t.event), t.count]);
    return { k } satisfies Captured;
  }

  restore(state: unknown): void {
    this.tracked.clear();
    for (const [key, ev, count] of (state as Captured).k) this.tracked.set(key, { event: EVENT_CODEC.decode(ev), count });
  }
}

export class FrequentWindow extends Pipe<StreamEvent> implements Window {
  private readonly cell = new FrequentWindowCell();

  constructor(
    private readonly size: number,
    private readonly keyOf: EventKey,
    private readonly ctx: WindowContext,
  ) {
    super();
    ctx.declare(this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const tracked = this.cell.tracked;
    const now = this.ctx.scheduler.now();
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      const key = this.keyOf(e);
      const t = tracked.get(key);
      if (t) {
        t.event = e;
        t.count++;
        out.push(e);
        continue;
      }
      if (tracked.size >= this.size) {
        for (const [k, other] of tracked) {
          if (--other.count > 0) continue;
          tracked.delete(k);
          out.push(new StreamEvent(now, other.event.data, EXPIRED));
        }
      }
      // No room freed: the new key is not counted and the event is dropped.
      if (tracked.size < this.size) {
        tracked.set(key, { event: e, count: 1 });
        out.push(e);
      }
    }
    this.emit(out);
  }

  *contents(): Iterable<StreamEvent> {
    for (const t of this.cell.tracked.values()) yield t.event;
  }
}

const SIGNATURE = 'frequent(event.count int [, attribute …])';

export const FREQUENT_WINDOW: WindowKind = {
  name: 'frequent',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('frequent', SIGNATURE, args, ctx).count(1, Infinity);
    const size = a.int(0, 'event.count', 1);
    const gets = args.slice(1).map((_, i) => a.attribute(i + 1, `attribute ${i + 1}`).get);
    return (c) => new FrequentWindow(size, buildEventKey(gets), c);
  },
};
