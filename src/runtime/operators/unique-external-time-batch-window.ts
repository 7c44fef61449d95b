// `#window.unique:externalTimeBatch(key, ts, t [, start.time [, time.out [, replace]]])`
// (siddhi-execution-unique): externalTimeBatch holding the latest event per key.
// Batches follow the long attribute `ts`; the first event at or past the batch
// end flushes it; `time.out` flushes a batch with no closing event early, by a
// timer on the engine clock, and events that arrive after such a flush are
// re-sent with it. Both maps keep first-arrival order with the latest value per
// key (the reference's LinkedHashMap); expired events carry the largest `ts` seen.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { CURRENT, EVENT_CODEC, EXPIRED, StreamEvent } from '../event.js';
import { NOWHERE, type Processor } from '../processor.js';
import { type TimerCapture, TimerSlot } from '../timer-slot.js';
import { batchEndAfter, chainDueAfter, type ExternalBatchFields as Fields } from './external-batch-bounds.js';
import { keyOf } from './unique-key.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

type Entries = [string, unknown][];

class UniqueExternalTimeBatchCell implements StateCell {
  readonly kind = 'window.unique:externalTimeBatch';
  readonly version = 1;
  /** The running batch, latest event per key. */
  current = new Map<string, StreamEvent>();
  /** The batch emitted last (plus events re-sent after a timeout flush), expired by the next flush. */
  expired = new Map<string, StreamEvent>();
  f: Fields = { start: 0, end: -1, last: -Infinity, flushed: false, due: -1 };

  constructor(private readonly timer: TimerSlot) {}

  capture(_mode: CaptureMode): unknown {
    const entries = (m: Map<string, StreamEvent>): Entries => [...m].map(([k, e]) => [k, EVENT_CODEC.encode(e)]);
    return { c: entries(this.current), e: entries(this.expired), f: { ...this.f }, tm: this.timer.capture() };
  }

  restore(state: unknown): void {
    const s = state as { c: Entries; e: Entries; f: Fields; tm: TimerCapture };
    const map = (entries: Entries): Map<string, StreamEvent> => new Map(entries.map(([k, e]) => [k, EVENT_CODEC.decode(e)]));
    this.current = map(s.c);
    this.expired = map(s.e);
    // JSON turns -Infinity into null.
    this.f = { ...s.f, last: s.f.last ?? -Infinity };
    this.timer.restore(s.tm, () => {});
  }
}

export interface UniqueExternalTimeBatchOptions {
  readonly key: WindowArg;
  readonly timestamp: WindowArg;
  readonly duration: number;
  readonly start: number | undefined;
  readonly timeout: number;
  readonly replace: boolean;
}

export class UniqueExternalTimeBatchWindow implements Window {
  next: Processor = NOWHERE;
  private readonly cell: UniqueExternalTimeBatchCell;
  private readonly timer: TimerSlot;
  /** keyOf's argument list, made once rather than per event. */
  private readonly keys: readonly WindowArg[];

  constructor(
    private readonly o: UniqueExternalTimeBatchOptions,
    private readonly ctx: WindowContext,
  ) {
    this.keys = [o.key];
    this.timer = new TimerSlot(ctx.scheduler, (time) => this.onDue(time));
    this.cell = new UniqueExternalTimeBatchCell(this.timer);
    ctx.declare(this.cell);
    if (o.start !== undefined) this.cell.f.start = o.start;
  }

  process(chunk: StreamEvent[]): void {
    const f = this.cell.f;
    const now = this.ctx.scheduler.now();
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      const ts = Number(this.o.timestamp.get(e));
      if (f.end < 0) this.begin(ts, now);
      if (f.last < ts) f.last = ts;
      if (ts < f.end) {
        this.put(e);
        if (f.flushed && this.o.timeout > 0) this.timer.armBy(chainDueAfter(f, now, this.o.timeout));
        continue;
      }
      if (f.flushed) this.append();
      else this.flush();
      f.flushed = false;
      f.end = batchEndAfter(f.last, f.start, this.o.duration);
      this.put(e);
      if (this.o.timeout > 0) this.timer.armAt((f.due = now + this.o.timeout));
    }
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.expired.values();
  }

  private onDue(time: number): void {
    const { f, current } = this.cell;
    if (!f.flushed) {
      this.flush();
      f.flushed = true;
    } else {
      this.append();
    }
    f.due = time + this.o.timeout;
    if (current.size > 0) this.timer.armAt(f.due);
  }

  private begin(ts: number, now: number): void {
    const f = this.cell.f;
    if (this.o.start === undefined) {
      f.start = ts;
      f.end = ts + this.o.duration;
    } else {
      f.end = batchEndAfter(ts, f.start, this.o.duration);
    }
    if (this.o.timeout > 0) this.timer.armAt((f.due = now + this.o.timeout));
  }

  private put(e: StreamEvent): void {
    let held = e;
    if (this.o.replace) {
      const data = e.data.slice();
      data[this.o.timestamp.attribute!.index] = this.cell.f.end;
      held = new StreamEvent(e.timestamp, data, CURRENT);
    }
    this.cell.current.set(keyOf(this.keys, held), held);
  }

  /** Emits [last batch expired…, running batch…]; the running batch becomes the one to expire. */
  private flush(): void {
    const { current, expired } = this.cell;
    const out = this.expiredNow();
    expired.clear();
    for (const [k, e] of current) {
      expired.set(k, e);
      out.push(e);
    }
    current.clear();
    this.emit(out);
  }

  /** After a timeout flush: retracts what was sent and re-sends it merged with the newer events by key. */
  private append(): void {
    const { current, expired } = this.cell;
    if (current.size === 0) return;
    const out = this.expiredNow();
    const sent = new Map<string, StreamEvent>(expired);
    for (const [k, e] of current) {
      expired.set(k, e);
      sent.set(k, e);
    }
    current.clear();
    for (const e of sent.values()) out.push(new StreamEvent(e.timestamp, e.data, CURRENT));
    this.emit(out);
  }

  private expiredNow(): StreamEvent[] {
    const at = this.cell.f.last;
    const out: StreamEvent[] = [];
    for (const e of this.cell.expired.values()) out.push(new StreamEvent(at, e.data, EXPIRED));
    return out;
  }

  private emit(out: StreamEvent[]): void {
    if (out.length > 0) this.next.process(out);
  }
}

const SIGNATURE =
  'unique:externalTimeBatch(unique.key attribute, time.stamp long, window.time int|long|time [, start.time int|long [, time.out int|long|time [, replace.time.stamp.with.batch.end.time bool]]])';

export const UNIQUE_EXTERNAL_TIME_BATCH_WINDOW: WindowKind = {
  name: 'unique:externalTimeBatch',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('unique:externalTimeBatch', SIGNATURE, args, ctx).count(3, 6);
    const options = {
      key: a.attribute(0, 'unique.key'),
      timestamp: a.attribute(1, 'time.stamp', ['long']),
      duration: a.int(2, 'window.time', 1),
      start: args.length > 3 ? a.int(3, 'start.time', -Infinity) : undefined,
      // The reference treats a timeout <= 0 (its tests pass -1) as none.
      timeout: args.length > 4 ? Math.max(0, a.int(4, 'time.out', -Infinity)) : 0,
      replace: args.length > 5 && a.bool(5, 'replace.time.stamp.with.batch.end.time'),
    };
    return (c) => new UniqueExternalTimeBatchWindow(options, c);
  },
};
