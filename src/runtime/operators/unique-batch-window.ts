// `#window.unique:lengthBatch(key, n)`, `unique:firstLengthBatch(key, n)`,
// `unique:timeBatch(key, t [, start.time])`, `unique:firstTimeBatch(…)` and
// `unique:timeLengthBatch(key, t [, start.time], n)` (siddhi-execution-unique):
// a batch keeps one event per key, the latest (or, for the first* windows, the
// first); when n keys are held, or at each period end, the batch is emitted
// stamped with the current time, after the previous batch as expired events, in
// the order of the reference's HashMap. As in the reference an event arriving at
// a period end joins the batch emitted then, and period ends keep firing while idle.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { CURRENT, EVENT_CODEC, EXPIRED, StreamEvent } from '../event.js';
import { NOWHERE, type Processor } from '../processor.js';
import { type TimerCapture, TimerSlot } from '../timer-slot.js';
import { javaHashCode, javaHashOrder, javaTableSize } from './java-hash-order.js';
import { keyOf } from './unique-key.js';
import type { Window, WindowArg, WindowContext, WindowKind } from './window.js';
import { WindowArgs } from './window-args.js';

export class UniqueBatchCell implements StateCell {
  readonly version = 1;
  /** The batch being collected, one event per key. */
  pending = new Map<string, StreamEvent>();
  /** The last batch emitted, expired by the next one. */
  emitted: StreamEvent[] = [];
  /** End of the running period (time batches); -1 before the first event. */
  nextEmit = -1;
  /** The reference's HashMap table size, which sets the order a batch is emitted in; it never shrinks. */
  tableSize = 16;
  /** timeLengthBatch: a batch went out by length in this period; events wait for the next period. */
  sentByLength = false;

  constructor(
    readonly kind: string,
    private readonly timer?: TimerSlot,
  ) {}

  capture(_mode: CaptureMode): unknown {
    return {
      p: [...this.pending].map(([k, e]) => [k, EVENT_CODEC.encode(e)]),
      e: this.emitted.map((e) => EVENT_CODEC.encode(e)),
      t: this.nextEmit,
      s: this.tableSize,
      tm: this.timer?.capture() ?? null,
      ...(this.sentByLength ? { l: true } : {}),
    };
  }

  restore(state: unknown): void {
    const s = state as { p: [string, unknown][]; e: unknown[]; t: number; s: number; tm: TimerCapture; l?: boolean };
    this.pending = new Map(s.p.map(([k, e]) => [k, EVENT_CODEC.decode(e)]));
    this.emitted = s.e.map((e) => EVENT_CODEC.decode(e));
    this.nextEmit = s.t;
    this.tableSize = s.s;
    this.sentByLength = s.l === true;
    this.timer?.restore(s.tm, () => {});
  }
}

export interface UniqueBatchOptions {
  readonly name: string;
  readonly key: WindowArg;
  readonly keepFirst: boolean;
  /** Length batches: the number of distinct keys that completes a batch. */
  readonly length?: number;
  /** Time batches: the period, and the alignment of period ends. */
  readonly period?: number;
  readonly start?: number;
}

export class UniqueBatchWindow implements Window {
  next: Processor = NOWHERE;
  private readonly cell: UniqueBatchCell;
  private readonly timer: TimerSlot | undefined;
  /** keyOf's argument list, made once rather than per event. */
  private readonly keys: readonly WindowArg[];

  constructor(
    private readonly o: UniqueBatchOptions,
    private readonly ctx: WindowContext,
  ) {
    this.keys = [o.key];
    this.timer = o.period === undefined ? undefined : new TimerSlot(ctx.scheduler, (time) => this.onPeriodEnd(time));
    this.cell = new UniqueBatchCell(`window.${o.name}`, this.timer);
    ctx.declare(this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const now = this.ctx.scheduler.now();
    if (this.o.period !== undefined) {
      this.timed(chunk, now);
      return;
    }
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      this.add(e);
      if (this.cell.pending.size === this.o.length) this.emit(this.flush(now));
    }
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.emitted;
  }

  private onPeriodEnd(time: number): void {
    this.timed([], time);
  }

  private timed(chunk: StreamEvent[], now: number): void {
    if (this.o.length === undefined) this.timeBatch(chunk, now);
    else this.timeLengthBatch(chunk, now);
  }

  private timeBatch(chunk: StreamEvent[], now: number): void {
    const send = this.periodEnded(now);
    for (const e of chunk) if (e.type === CURRENT) this.add(e);
    if (send) this.emit(this.flush(now));
  }

  /**
   * As the reference: a batch completed by length is emitted at once, and the
   * events after it up to the next period end are skipped — also those of
   * the chunk that reaches that period end, which only resets the flag.
   */
  private timeLengthBatch(chunk: StreamEvent[], now: number): void {
    const cell = this.cell;
    const byTime = this.periodEnded(now);
    if (cell.sentByLength) {
      if (byTime) cell.sentByLength = false;
      return;
    }
    let byLength = false;
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      this.add(e);
      if (cell.pending.size === this.o.length) {
        byLength = true;
        break;
      }
    }
    if (byTime || byLength) this.emit(this.flush(now));
    if (byLength) cell.sentByLength = true;
  }

  /** Starts the period clock on the first call; true (and the next period armed) when `now` reached a period end. */
  private periodEnded(now: number): boolean {
    const cell = this.cell;
    const period = this.o.period!;
    if (cell.nextEmit === -1) {
      const start = this.o.start;
      cell.nextEmit = start === undefined ? now + period : now + (period - ((now - start) % period));
      this.timer!.armAt(cell.nextEmit);
    }
    if (now < cell.nextEmit) return false;
    cell.nextEmit += period;
    this.timer!.armAt(cell.nextEmit);
    return true;
  }

  private add(e: StreamEvent): void {
    const key = keyOf(this.keys, e);
    if (this.o.keepFirst && this.cell.pending.has(key)) return;
    this.cell.pending.set(key, e);
    this.cell.tableSize = javaTableSize(this.cell.pending.size, this.cell.tableSize);
  }

  /** [previous batch expired…, this batch…], all stamped `now`. */
  private flush(now: number): StreamEvent[] {
    const cell = this.cell;
    const out = cell.emitted.map((e) => new StreamEvent(now, e.data, EXPIRED));
    const held = [...cell.pending.values()];
    // The first* windows key their map by the key's text, the others by its value.
    const hashes = held.map((e) => (this.o.keepFirst ? javaHashCode(String(this.o.key.get(e)), 'string') : javaHashCode(this.o.key.get(e), this.o.key.type)));
    const batch = javaHashOrder(held, hashes, cell.tableSize).map((e) => new StreamEvent(now, e.data, CURRENT));
    cell.pending.clear();
    cell.emitted = batch;
    out.push(...batch);
    return out;
  }

  private emit(out: StreamEvent[]): void {
    if (out.length > 0) this.next.process(out);
  }
}

function lengthBatch(name: string, keepFirst: boolean): WindowKind {
  const signature = `${name}(unique.key attribute, window.length int)`;
  return {
    name,
    signature,
    plan(args, ctx) {
      const a = new WindowArgs(name, signature, args, ctx).count(2, 2);
      const key = a.attribute(0, 'unique.key');
      const length = a.int(1, 'window.length', 1);
      return (c) => new UniqueBatchWindow({ name, key, keepFirst, length }, c);
    },
  };
}

function timeBatch(name: string, keepFirst: boolean): WindowKind {
  const signature = `${name}(unique.key attribute, window.time int|long|time [, start.time int|long])`;
  return {
    name,
    signature,
    plan(args, ctx) {
      const a = new WindowArgs(name, signature, args, ctx).count(2, 3);
      const period = a.int(1, 'window.time', 1);
      const start = args.length > 2 ? a.int(2, 'start.time', -Infinity) : undefined;
      const key = a.attribute(0, 'unique.key');
      return (c) => new UniqueBatchWindow({ name, key, keepFirst, period, start }, c);
    },
  };
}

const TIME_LENGTH_SIGNATURE = 'unique:timeLengthBatch(unique.key attribute, window.time int|long|time [, start.time int|long], window.length int|long)';

export const UNIQUE_TIME_LENGTH_BATCH_WINDOW: WindowKind = {
  name: 'unique:timeLengthBatch',
  signature: TIME_LENGTH_SIGNATURE,
  plan(args, ctx) {
    const a = new WindowArgs('unique:timeLengthBatch', TIME_LENGTH_SIGNATURE, args, ctx).count(3, 4);
    const key = a.attribute(0, 'unique.key');
    const period = a.int(1, 'window.time', 1);
    const start = args.length > 3 ? a.int(2, 'start.time', -Infinity) : undefined;
    const length = a.int(args.length - 1, 'window.length', 1);
    return (c) => new UniqueBatchWindow({ name: 'unique:timeLengthBatch', key, keepFirst: false, period, start, length }, c);
  },
};

export const UNIQUE_LENGTH_BATCH_WINDOW = lengthBatch('unique:lengthBatch', false);
export const UNIQUE_FIRST_LENGTH_BATCH_WINDOW = lengthBatch('unique:firstLengthBatch', true);
export const UNIQUE_TIME_BATCH_WINDOW = timeBatch('unique:timeBatch', false);
export const UNIQUE_FIRST_TIME_BATCH_WINDOW = timeBatch('unique:firstTimeBatch', true);
