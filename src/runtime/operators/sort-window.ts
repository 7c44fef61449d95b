// `#window.sort(n, attr ['asc'|'desc'], …)`: keeps the n first events in sort
// order; an arrival that overflows it evicts the last one (possibly itself).

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { LoggedQueue, type QueueCapture } from '../../state/logged-queue.js';
import { CURRENT, EVENT_CODEC, EXPIRED, StreamEvent } from '../event.js';
import { Pipe } from '../processor.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

export class SortWindowCell implements StateCell {
  readonly kind = 'window.sort';
  readonly version = 1;
  /** Kept in sort order; ties stay in arrival order. */
  readonly queue = new LoggedQueue<StreamEvent>(EVENT_CODEC);

  capture(mode: CaptureMode): unknown {
    return { q: this.queue.capture(mode) };
  }

  restore(state: unknown): void {
    this.queue.restore((state as { q: QueueCapture }).q);
  }
}

export type EventComparator = (a: StreamEvent, b: StreamEvent) => number;

export class SortWindow extends Pipe<StreamEvent> implements Window {
  private readonly cell = new SortWindowCell();

  constructor(
    private readonly size: number,
    private readonly compare: EventComparator,
    private readonly ctx: WindowContext,
  ) {
    super();
    ctx.declare(this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const queue = this.cell.queue;
    const now = this.ctx.scheduler.now();
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      out.push(e);
      // Upper bound: after every equal event, so the most recent of equals is evicted first.
      let lo = 0;
      let hi = queue.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.compare(e, queue.at(mid)) < 0) hi = mid;
        else lo = mid + 1;
      }
      queue.insertAt(lo, e);
      if (queue.length > this.size) out.push(new StreamEvent(now, queue.removeAt(queue.length - 1).data, EXPIRED));
    }
    this.emit(out);
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.queue;
  }
}

/** Orders null before every value; otherwise the natural order of numbers, strings, bools. */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

function buildComparator(keys: { get: (e: StreamEvent) => unknown; order: number }[]): EventComparator {
  if (keys.length === 1) {
    const { get, order } = keys[0]!;
    return (a, b) => order * compareValues(get(a), get(b));
  }
  return (a, b) => {
    for (const k of keys) {
      const c = compareValues(k.get(a), k.get(b));
      if (c !== 0) return k.order * c;
    }
    return 0;
  };
}

const SIGNATURE = "sort(window.length int, attribute [, 'asc'|'desc'], …)";

export const SORT_WINDOW: WindowKind = {
  name: 'sort',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('sort', SIGNATURE, args, ctx).count(1, Infinity);
    const size = a.int(0, 'window.length');
    const keys: { get: (e: StreamEvent) => unknown; order: number }[] = [];
    for (let i = 1; i < args.length; i++) {
      const attr = a.attribute(i, `sort key ${keys.length + 1}`);
      let order = 1;
      if (a.isConstant(i + 1, ['string'])) {
        const dir = a.string(i + 1, 'sort order').toLowerCase();
        if (dir !== 'asc' && dir !== 'desc') a.fail(`window 'sort': sort order must be 'asc' or 'desc', got '${dir}'`, args[i + 1]);
        order = dir === 'desc' ? -1 : 1;
        i++;
      }
      keys.push({ get: attr.get, order });
    }
    return (c) => new SortWindow(size, buildComparator(keys), c);
  },
};
