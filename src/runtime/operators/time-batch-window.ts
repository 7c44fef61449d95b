// `#window.timeBatch(t [, start.time] [, stream.current.event])`: collects
// events for t ms and flushes [expired previous batch…, this batch…] as one
// chunk at each period end; an empty flush emits nothing and arms no timer.

import type { CaptureMode } from '../../state/cell.js';
import { CURRENT, EXPIRED, StreamEvent } from '../event.js';
import { Pipe } from '../processor.js';
import { type TimerCapture, TimerSlot } from '../timer-slot.js';
import type { EventQueue } from '../event-queue.js';
import { BatchCell, moveBatch } from './batch-cell.js';
import { BatchGroups, type BatchGroupsCapture } from './batch-groups.js';
import type { Selector } from './selector.js';
import { SiddhiStateError } from '../../errors.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

export class TimeBatchWindowCell extends BatchCell {
  /** End of the running period; -1 before the first event. */
  nextEmit = -1;
  /** Set when the batch is kept per group (see batch-groups.ts); `current` and `expired` then stay empty. */
  groups: BatchGroups | undefined;
  /** Rows restored into `current`/`expired` (a checkpoint that kept every row) that `groups` has yet to take over. */
  unfolded = false;

  constructor(
    ctx: WindowContext,
    private readonly timer: TimerSlot,
    private readonly rearm: () => void,
  ) {
    super('window.timeBatch', ctx);
  }

  override capture(mode: CaptureMode): unknown {
    const tm = this.timer.capture();
    if (this.groups === undefined) return { ...(super.capture(mode) as object), t: this.nextEmit, tm };
    this.fold();
    // Always whole: a batch's groups are at most its rows, which a delta of the rows form ships anyway.
    return { g: this.groups.capture(), t: this.nextEmit, tm };
  }

  override restore(state: unknown): void {
    const s = state as { t: number; tm?: TimerCapture; g?: BatchGroupsCapture };
    if (s.g !== undefined) {
      if (this.groups === undefined) {
        throw new SiddhiStateError('this timeBatch state holds per-group aggregates only, and the query now needs every row of the batch');
      }
      this.current.clear();
      this.expired.clear();
      this.unfolded = false;
      this.groups.restore(s.g);
    } else {
      super.restore(state);
      this.unfolded = this.groups !== undefined;
    }
    this.nextEmit = s.t;
    this.timer.restore(s.tm, this.rearm);
  }

  /** A per-group state fits only a window that keeps groups for the same aggregates and schema. */
  fits(state: unknown): boolean {
    const g = (state as { g?: BatchGroupsCapture }).g;
    return g === undefined || (this.groups !== undefined && this.groups.fits(g));
  }

  /** Rows restored in the row form join the groups (lazily: a delta of that form may follow its base). */
  fold(): void {
    if (!this.unfolded) return;
    // Cleared only once folded: a fold that throws leaves the rows where idle and the next fold still see them.
    this.groups!.fold(this.current, this.expired);
    this.unfolded = false;
  }

  /** Nothing collected and nothing emitted to expire. */
  get idle(): boolean {
    if (this.groups !== undefined && !this.unfolded) return this.groups.idle;
    return this.current.length === 0 && this.expired.length === 0;
  }
}

export interface TimeBatchOptions {
  readonly duration: number;
  /** Periods are aligned to `start + k·duration` when given. */
  readonly start?: number;
  readonly streamCurrent: boolean;
}

/**
 * Reads a flush in place of its chunk (the fused kernel): the emitted batch
 * expiring at `at`, then the new batch, as they stand before the window
 * moves them; returns what to emit once it has.
 */
export interface BatchReader {
  readBatch(expired: EventQueue, current: EventQueue, at: number): () => void;
}

export class TimeBatchWindow extends Pipe<StreamEvent> implements Window {
  readonly cell: TimeBatchWindowCell;
  private readonly timer: TimerSlot;
  /** Set by a fused kernel: flushes are read from the queues instead of emitted as events. */
  batchReader: BatchReader | undefined;

  constructor(
    readonly options: TimeBatchOptions,
    private readonly ctx: WindowContext,
  ) {
    super();
    this.timer = new TimerSlot(ctx.scheduler, (time) => this.onDue(time));
    this.cell = new TimeBatchWindowCell(ctx, this.timer, () => this.arm());
    ctx.declare(this.cell);
  }

  /** From now on the batch is kept per group (the planner's choice, before any event or restore). */
  keepGroups(selector: Selector): void {
    this.cell.groups = new BatchGroups(selector, this.ctx.attributes.length);
  }

  process(chunk: StreamEvent[]): void {
    const { current, expired, groups } = this.cell;
    const now = this.ctx.scheduler.now();
    this.cell.fold();
    // Flushes a late timer would have done, so an event on a boundary joins the next batch.
    if (this.cell.nextEmit !== -1) this.flushDue(now);
    const streamed: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      if (this.cell.nextEmit === -1) this.cell.nextEmit = this.firstEnd(now);
      if (groups !== undefined) {
        groups.rows++;
        groups.arrive(e);
      } else if (this.options.streamCurrent) {
        streamed.push(e);
        expired.push(e);
      } else {
        current.push(e);
      }
    }
    this.arm();
    if (streamed.length > 0) this.next.process(streamed);
  }

  /**
   * process() of one CURRENT event, given as its parts (the fused kernel's
   * path): its values are copied into the batch, `data` is not kept.
   */
  arrive(timestamp: number, data: unknown[]): void {
    if (this.options.streamCurrent) {
      this.process([new StreamEvent(timestamp, data, CURRENT)]);
      return;
    }
    const cell = this.cell;
    cell.fold();
    const now = this.ctx.scheduler.now();
    // flushDue's test first: this runs per event, and flushDue is too big to inline.
    if (cell.nextEmit !== -1 && cell.nextEmit <= now) this.flushDue(now);
    if (cell.nextEmit === -1) cell.nextEmit = this.firstEnd(now);
    // Kept per group: the caller adds the row to its group (BatchGroups.group/added) after this
    // returns, so the row is counted here, where arm() below must already see a batch that is not empty.
    if (cell.groups !== undefined) cell.groups.rows++;
    else cell.current.pushRow(timestamp, data, CURRENT);
    if (this.timer.pending !== cell.nextEmit) this.arm();
  }

  private onDue(time: number): void {
    this.cell.fold();
    this.flushDue(time);
    this.arm();
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.expired;
  }

  private flushDue(now: number): void {
    const cell = this.cell;
    const t = this.options.duration;
    while (cell.nextEmit <= now) {
      if (cell.idle) {
        // Idle: skip the silent periods in one step, keeping the alignment.
        cell.nextEmit += (Math.floor((now - cell.nextEmit) / t) + 1) * t;
        return;
      }
      const at = cell.nextEmit;
      if (cell.groups !== undefined) {
        const release = cell.groups.flush();
        cell.nextEmit += t;
        release();
        continue;
      }
      if (this.batchReader !== undefined) {
        const release = this.batchReader.readBatch(cell.expired, cell.current, at);
        cell.expired.clear();
        cell.expired.swap(cell.current);
        cell.nextEmit += t;
        release();
        continue;
      }
      const out = cell.expired.drainAs(EXPIRED, at);
      moveBatch(cell.current, cell.expired, out);
      cell.nextEmit += t;
      this.emit(out);
    }
  }

  private firstEnd(now: number): number {
    const { duration, start } = this.options;
    if (start === undefined) return now + duration;
    return now + (duration - ((now - start) % duration));
  }

  private arm(): void {
    if (this.cell.idle) return;
    this.timer.armBy(this.cell.nextEmit);
  }
}

const SIGNATURE = 'timeBatch(window.time int|long|time [, start.time int|long] [, stream.current.event bool])';

export const TIME_BATCH_WINDOW: WindowKind = {
  name: 'timeBatch',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('timeBatch', SIGNATURE, args, ctx).count(1, 3);
    const duration = a.int(0, 'window.time', 1);
    let start: number | undefined;
    let streamCurrent = false;
    if (args.length === 2) {
      if (a.isConstant(1, ['bool'])) streamCurrent = a.bool(1, 'stream.current.event');
      else start = a.int(1, 'start.time (or stream.current.event bool)', -Infinity);
    } else if (args.length === 3) {
      start = a.int(1, 'start.time', -Infinity);
      streamCurrent = a.bool(2, 'stream.current.event');
    }
    return (c) => new TimeBatchWindow({ duration, start, streamCurrent }, c);
  },
};
