// `#window.unique:time(unique.key, window.time)` (siddhi-execution-unique): a
// sliding time window that keeps the latest event per key. An arriving key
// expires its held event at once; others expire window.time after they
// arrived. Expired events are stamped with the current time and precede the
// event that caused them. The reference scans its queue in a particular way
// (the replaced event first, then time-expired ones from the head), kept here.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { CURRENT, EVENT_CODEC, EXPIRED, StreamEvent } from '../event.js';
import { NOWHERE, type Processor } from '../processor.js';
import { type TimerCapture, TimerSlot } from '../timer-slot.js';
import { keyOf } from './unique-key.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

class UniqueTimeCell implements StateCell {
  readonly kind = 'window.unique:time';
  readonly version = 1;
  /** Held events in arrival order. */
  queue: StreamEvent[] = [];
  /** The latest event per key (also in `queue`). */
  latest = new Map<string, StreamEvent>();

  constructor(private readonly timer: TimerSlot) {}

  capture(_mode: CaptureMode): unknown {
    const position = new Map(this.queue.map((e, i) => [e, i]));
    return {
      q: this.queue.map((e) => EVENT_CODEC.encode(e)),
      // Keys point into the queue so the shared events stay shared after a restore.
      k: [...this.latest].map(([k, e]) => [k, position.get(e) ?? -1]),
      tm: this.timer.capture(),
    };
  }

  restore(state: unknown): void {
    const s = state as { q: unknown[]; k: [string, number][]; tm: TimerCapture };
    this.queue = s.q.map((e) => EVENT_CODEC.decode(e));
    this.latest = new Map(s.k.filter(([, i]) => i >= 0).map(([k, i]) => [k, this.queue[i]!]));
    this.timer.restore(s.tm, () => {});
  }
}

export class UniqueTimeWindow implements Window {
  next: Processor = NOWHERE;
  private readonly cell: UniqueTimeCell;
  private readonly timer: TimerSlot;

  constructor(
    private readonly key: WindowArg,
    private readonly duration: number,
    private readonly ctx: WindowContext,
  ) {
    this.timer = new TimerSlot(ctx.scheduler, (time) => this.onTimer(time));
    this.cell = new UniqueTimeCell(this.timer);
    ctx.declare(this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const now = this.ctx.scheduler.now();
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      const key = keyOf([this.key], e);
      const old = this.cell.latest.get(key);
      this.cell.latest.set(key, e);
      this.cell.queue.push(e);
      this.expire(now, old, out);
      out.push(e);
    }
    this.arm();
    if (out.length > 0) this.next.process(out);
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.queue;
  }

  private onTimer(time: number): void {
    const out: StreamEvent[] = [];
    this.expire(time, undefined, out);
    this.arm();
    if (out.length > 0) this.next.process(out);
  }

  /**
   * The reference's scan: while the replaced event is pending only it is taken
   * (a replaced event that already expired is never found, and then nothing
   * expires on this event); after it, the head while it is due.
   */
  private expire(now: number, old: StreamEvent | undefined, out: StreamEvent[]): void {
    const queue = this.cell.queue;
    const expired: StreamEvent[] = [];
    let pending = old;
    let i = 0;
    while (i < queue.length) {
      const x = queue[i]!;
      if (pending !== undefined) {
        if (x === pending) {
          queue.splice(i, 1);
          expired.push(x);
          pending = undefined;
        } else i++;
        continue;
      }
      if (x.timestamp + this.duration - now > 0) break;
      queue.splice(i, 1);
      expired.push(x);
      i = 0;
    }
    for (const x of expired) out.push(new StreamEvent(now, x.data, EXPIRED));
  }

  private arm(): void {
    const head = this.cell.queue[0];
    if (head) this.timer.armAt(head.timestamp + this.duration);
    else this.timer.disarm();
  }
}

const SIGNATURE = 'unique:time(unique.key attribute, window.time int|long|time)';

export const UNIQUE_TIME_WINDOW: WindowKind = {
  name: 'unique:time',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('unique:time', SIGNATURE, args, ctx).count(2, 2);
    const key = a.attribute(0, 'unique.key');
    const time = a.time(1, 'window.time');
    return (c) => new UniqueTimeWindow(key, time, c);
  },
};
