// `#window.externalTimeBatch(ts, t [, start.time [, timeout [, replace.timestamp]]])`:
// batches by a long timestamp attribute; the first event at or past the batch end
// flushes it. A timeout flushes a batch with no closing event early, by a timer.

import type { CaptureMode } from '../../state/cell.js';
import { CURRENT, EXPIRED, StreamEvent } from '../event.js';
import { Pipe } from '../processor.js';
import { type TimerCapture, TimerSlot } from '../timer-slot.js';
import { BatchCell, moveBatch } from './batch-cell.js';
import { batchEndAfter, chainDueAfter, type ExternalBatchFields as Fields } from './external-batch-bounds.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

export class ExternalTimeBatchWindowCell extends BatchCell {
  f: Fields = { start: 0, end: -1, last: -Infinity, flushed: false, due: -1 };

  constructor(
    ctx: WindowContext,
    private readonly timer: TimerSlot,
    private readonly rearm: () => void,
  ) {
    super('window.externalTimeBatch', ctx);
  }

  override capture(mode: CaptureMode): unknown {
    return { ...(super.capture(mode) as object), f: { ...this.f }, tm: this.timer.capture() };
  }

  override restore(state: unknown): void {
    super.restore(state);
    const s = state as { f: Fields; tm?: TimerCapture };
    this.f = { ...s.f, last: s.f.last ?? -Infinity };
    this.timer.restore(s.tm, this.rearm);
  }
}

export interface ExternalTimeBatchOptions {
  readonly timeOf: (e: StreamEvent) => unknown;
  readonly duration: number;
  readonly start?: number | ((e: StreamEvent) => unknown);
  readonly timeout: number;
  /** Index of the timestamp attribute to overwrite with the batch end time, or -1. */
  readonly replaceAt: number;
}

export class ExternalTimeBatchWindow extends Pipe<StreamEvent> implements Window {
  private readonly cell: ExternalTimeBatchWindowCell;
  private readonly timer: TimerSlot;

  constructor(
    private readonly o: ExternalTimeBatchOptions,
    private readonly ctx: WindowContext,
  ) {
    super();
    this.timer = new TimerSlot(ctx.scheduler, (time) => this.onDue(time));
    this.cell = new ExternalTimeBatchWindowCell(ctx, this.timer, () => this.rearm());
    ctx.declare(this.cell);
    if (typeof o.start === 'number') this.cell.f.start = o.start;
  }

  process(chunk: StreamEvent[]): void {
    const { f, current } = this.cell;
    const now = this.ctx.scheduler.now();
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      const ts = Number(this.o.timeOf(e));
      if (f.end < 0) this.begin(e, ts, now);
      if (f.last < ts) f.last = ts;
      if (ts < f.end) {
        current.push(this.stamped(e));
        if (f.flushed) this.arm(chainDueAfter(f, now, this.o.timeout));
        continue;
      }
      if (f.flushed) this.append(now);
      else this.flush(now);
      f.flushed = false;
      f.end = batchEndAfter(f.last, f.start, this.o.duration);
      current.push(this.stamped(e));
      if (this.o.timeout > 0) this.arm((f.due = now + this.o.timeout), true);
    }
  }

  private onDue(time: number): void {
    const f = this.cell.f;
    if (!f.flushed) {
      this.flush(time);
      f.flushed = true;
    } else if (this.cell.current.length > 0) {
      this.append(time);
    }
    f.due = time + this.o.timeout;
    if (this.cell.current.length > 0) this.arm(f.due);
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.expired;
  }

  private begin(e: StreamEvent, ts: number, now: number): void {
    const f = this.cell.f;
    const start = this.o.start;
    if (typeof start === 'function') f.start = Number(start(e));
    else if (start === undefined) f.start = ts;
    f.end = typeof start === 'number' ? batchEndAfter(ts, f.start, this.o.duration) : f.start + this.o.duration;
    if (this.o.timeout > 0) this.arm((f.due = now + this.o.timeout), true);
  }

  /** With replace.timestamp on, the event as batched carries the batch end instead of its own time. */
  private stamped(e: StreamEvent): StreamEvent {
    const at = this.o.replaceAt;
    if (at < 0) return e;
    const data = e.data.slice();
    data[at] = this.cell.f.end;
    return new StreamEvent(e.timestamp, data, e.type);
  }

  /** Emits [expired last batch…, running batch…]; the running batch becomes the expired one. */
  private flush(now: number): void {
    const { current, expired } = this.cell;
    const out = expired.drainAs(EXPIRED, now);
    moveBatch(current, expired, out);
    this.emit(out);
  }

  /** After a timeout flush: retracts what was sent and re-sends it with the newer events. */
  private append(now: number): void {
    const { current, expired } = this.cell;
    if (current.length === 0) return;
    const out: StreamEvent[] = [];
    const sent = expired.toArray();
    for (const s of sent) out.push(new StreamEvent(now, s.data, EXPIRED));
    for (const s of sent) out.push(new StreamEvent(now, s.data, CURRENT));
    moveBatch(current, expired, out);
    this.next.process(out);
  }

  private arm(due: number, replace = false): void {
    if (this.o.timeout <= 0) return;
    if (replace) this.timer.armAt(due);
    else this.timer.armBy(due);
  }

  /** The timeout timer a restored state needs (checkpoints without `tm`). */
  private rearm(): void {
    const f = this.cell.f;
    if (f.end >= 0 && (!f.flushed || this.cell.current.length > 0)) this.arm(f.due);
  }
}

const SIGNATURE =
  'externalTimeBatch(timestamp long, window.time int|long|time [, start.time int|long|attribute long [, timeout int|long|time [, replace.timestamp.with.batch.end.time bool]]])';

export const EXTERNAL_TIME_BATCH_WINDOW: WindowKind = {
  name: 'externalTimeBatch',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('externalTimeBatch', SIGNATURE, args, ctx).count(2, 5);
    const ts = a.attribute(0, 'timestamp', ['long']);
    const duration = a.int(1, 'window.time', 1);
    let start: ExternalTimeBatchOptions['start'];
    if (args.length > 2) start = a.isAttribute(2) ? a.attribute(2, 'start.time', ['long']).get : a.int(2, 'start.time', -Infinity);
    const timeout = args.length > 3 ? a.time(3, 'timeout') : 0;
    const replace = args.length > 4 && a.bool(4, 'replace.timestamp.with.batch.end.time');
    const replaceAt = replace ? ts.attribute!.index : -1;
    return (c) => new ExternalTimeBatchWindow({ timeOf: ts.get, duration, start, timeout, replaceAt }, c);
  },
};
