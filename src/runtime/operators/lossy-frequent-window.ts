// `#window.lossyFrequent(support, error [, attr…])`: Manku-Motwani lossy
// counting. Emits an event when its key's count reaches (support - error) · N;
// every ceil(1/error) events it prunes and expires keys below their bucket bound.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { CURRENT, EVENT_CODEC, EXPIRED, StreamEvent } from '../event.js';
import { Pipe } from '../processor.js';
import { buildEventKey, type EventKey } from './frequent-window.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

interface Tracked {
  event: StreamEvent;
  count: number;
  bucket: number;
}

type Captured = { n: number; b: number; k: [string, unknown, number, number][] };

export class LossyFrequentWindowCell implements StateCell {
  readonly kind = 'window.lossyFrequent';
  readonly version = 1;
  readonly tracked = new Map<string, Tracked>();
  total = 0;
  bucket = 1;

  capture(_mode: CaptureMode): unknown {
    const k: [string, unknown, number, number][] = [];
    for (const [key, t] of this.tracked) k.push([key, EVENT_CODEC.encode(t.event), t.count, t.bucket]);
    return { n: this.total, b: this.bucket, k } satisfies Captured;
  }

  restore(state: unknown): void {
    const s = state as Captured;
    this.total = s.n;
    this.bucket = s.b;
    this.tracked.clear();
    for (const [key, ev, count, bucket] of s.k) this.tracked.set(key, { event: EVENT_CODEC.decode(ev), count, bucket });
  }
}

export class LossyFrequentWindow extends Pipe<StreamEvent> implements Window {
  private readonly cell = new LossyFrequentWindowCell();
  private readonly width: number;

  constructor(
    private readonly support: number,
    private readonly error: number,
    private readonly keyOf: EventKey,
    private readonly ctx: WindowContext,
  ) {
    super();
    this.width = Math.ceil(1 / error);
    ctx.declare(this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const cell = this.cell;
    const now = this.ctx.scheduler.now();
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      cell.total++;
      if (cell.total !== 1) cell.bucket = Math.ceil(cell.total / this.width);
      const key = this.keyOf(e);
      let t = cell.tracked.get(key);
      if (t) {
        t.event = e;
        t.count++;
      } else {
        t = { event: e, count: 1, bucket: cell.bucket - 1 };
        cell.tracked.set(key, t);
      }
      if (t.count >= (this.support - this.error) * cell.total) out.push(e);
      if (cell.total % this.width === 0) {
        for (const [k, other] of cell.tracked) {
          if (other.count + other.bucket > cell.bucket) continue;
          cell.tracked.delete(k);
          out.push(new StreamEvent(now, other.event.data, EXPIRED));
        }
      }
    }
    this.emit(out);
  }

  *contents(): Iterable<StreamEvent> {
    for (const t of this.cell.tracked.values()) yield t.event;
  }
}

const SIGNATURE = 'lossyFrequent(support.threshold double, error.bound double [, attribute …])';

export const LOSSY_FREQUENT_WINDOW: WindowKind = {
  name: 'lossyFrequent',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('lossyFrequent', SIGNATURE, args, ctx).count(1, Infinity);
    const support = a.number(0, 'support.threshold');
    // The error bound may be omitted (then support / 10) when attributes follow directly.
    const hasError = args.length > 1 && args[1]!.constant;
    const error = hasError ? a.number(1, 'error.bound') : support / 10;
    if (!(support > 0 && support <= 1) || !(error > 0 && error <= 1)) {
      a.fail(`window 'lossyFrequent': support and error must be in (0, 1], got ${support} and ${error}`, args[0]);
    }
    const first = hasError ? 2 : 1;
    const gets = args.slice(first).map((_, i) => a.attribute(i + first, `attribute ${i + 1}`).get);
    return (c) => new LossyFrequentWindow(support, error, buildEventKey(gets), c);
  },
};
