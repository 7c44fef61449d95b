// `#reorder:kslack(timestamp [, timeout] [, max.k] [, discard.late])`: the
// K-slack reorderer (siddhi-execution-reorder). Events wait until the largest
// timestamp seen is at least K past theirs; K grows to the largest disorder
// observed (up to max.k). With a timeout a timer flushes what waits, once per
// second after the first, as the reference's scheduler does.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { CURRENT, type StreamEvent } from '../event.js';
import { NOWHERE, type Linked, type Processor } from '../processor.js';
import { type TimerCapture, TimerSlot } from '../timer-slot.js';
import { ReorderBuffer, type ReorderBufferCapture } from './reorder-buffer.js';
import type { PlannedStreamFunction, StreamFunctionKind } from './stream-function.js';
import { WindowArgs } from './window-args.js';

/** The flush period after the first timeout, fixed in the reference. */
const REORDER_TICK = 1000;

/** The timeout schedule both reorderers keep in their cells. */
export interface TimeoutSchedule {
  lastScheduled: number;
  /** The timer found nothing to flush and stopped; the next event restarts it. */
  needScheduling: boolean;
  readonly timer: TimerSlot;
}

/** On an event: the first one starts the timeout (the reference: the app start); after a stop, whole ticks on. */
export function keepTimeoutRunning(s: TimeoutSchedule, timeout: number, now: number): void {
  if (s.lastScheduled < 0) {
    s.lastScheduled = now + timeout;
    s.timer.armAt(s.lastScheduled);
  } else if (s.needScheduling) {
    s.lastScheduled += Math.ceil((now - s.lastScheduled) / REORDER_TICK) * REORDER_TICK;
    s.timer.armAt(s.lastScheduled);
    s.needScheduling = false;
  }
}

/** After a timeout flush: tick again a second later while anything waits, else stop. */
export function afterTimeout(s: TimeoutSchedule, waiting: boolean): void {
  if (waiting) {
    s.lastScheduled += REORDER_TICK;
    s.timer.armAt(s.lastScheduled);
    s.needScheduling = false;
  } else {
    s.needScheduling = true;
  }
}

interface KSlackCapture {
  fresh: ReorderBufferCapture;
  held: ReorderBufferCapture;
  /** lastScheduled, lastSent, greatest, k, needScheduling (0/1). */
  n: [number, number, number, number, number];
  tm: TimerCapture;
}

export class KSlackCell implements StateCell, TimeoutSchedule {
  readonly kind = 'streamfn.reorder:kslack';
  readonly version = 1;
  /** Arrived since the greatest timestamp last grew. */
  readonly fresh = new ReorderBuffer();
  /** Waiting for the greatest timestamp to pass them by K. */
  readonly held = new ReorderBuffer();
  lastScheduled = -1;
  lastSent = -1;
  greatest = 0;
  k = 0;
  needScheduling = false;

  constructor(readonly timer: TimerSlot) {}

  capture(_mode: CaptureMode): KSlackCapture {
    const flag = this.needScheduling ? 1 : 0;
    return {
      fresh: this.fresh.capture(), held: this.held.capture(),
      n: [this.lastScheduled, this.lastSent, this.greatest, this.k, flag], tm: this.timer.capture(),
    };
  }

  restore(state: unknown): void {
    const s = state as KSlackCapture;
    this.fresh.restore(s.fresh);
    this.held.restore(s.held);
    [this.lastScheduled, this.lastSent, this.greatest, this.k] = s.n;
    this.needScheduling = s.n[4] === 1;
    this.timer.restore(s.tm, () => {});
  }
}

export interface KSlackOptions {
  readonly timestamp: (e: StreamEvent) => unknown;
  /** -1: no timeout. */
  readonly timeout: number;
  readonly maxK: number;
  readonly discardLate: boolean;
}

export class KSlack implements Linked<StreamEvent> {
  next: Processor = NOWHERE;
  readonly cell: KSlackCell;

  constructor(
    private readonly options: KSlackOptions,
    private readonly now: () => number,
    timer: (fire: (time: number) => void) => TimerSlot,
  ) {
    this.cell = new KSlackCell(timer((time) => this.onTimer(time)));
  }

  process(chunk: StreamEvent[]): void {
    const c = this.cell;
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      const ts = this.options.timestamp(e);
      if (typeof ts !== 'number') continue;
      if (this.options.discardLate && ts < c.lastSent) continue;
      if (this.options.timeout >= 0) keepTimeoutRunning(c, this.options.timeout, this.now());
      c.fresh.add(ts, [e]);
      if (ts <= c.greatest) continue;
      c.greatest = ts;
      const disorder = c.greatest - c.fresh.firstKey;
      if (disorder > c.k) c.k = Math.min(disorder, this.options.maxK);
      c.held.takeAll(c.fresh);
      out.push(...c.held.shiftWhile((key) => key + c.k <= c.greatest, (key) => (c.lastSent = key)));
    }
    if (out.length > 0) this.next.process(out);
  }

  private onTimer(time: number): void {
    const c = this.cell;
    const out = c.held.size > 0 ? c.held.shiftWhile((key) => key < this.options.timeout + time) : [];
    afterTimeout(c, c.held.size > 0);
    if (out.length > 0) this.next.process(out);
  }
}

const SIGNATURE = 'reorder:kslack(timestamp long [, timeout long] [, max.k long] [, discard.late.arrival bool])';

export const REORDER_KSLACK: StreamFunctionKind = {
  name: 'reorder:kslack',
  signature: SIGNATURE,
  plan(args, ctx) {
    const a = new WindowArgs('reorder:kslack', SIGNATURE, args, ctx, 'stream processor').count(1, 4);
    if (args[0]!.type !== 'long') a.fail(`stream processor 'reorder:kslack': timestamp must be long, got ${args[0]!.type}`, args[0]);
    let timeout = -1;
    let maxK = Number.MAX_SAFE_INTEGER;
    let discardLate = false;
    // The reference's forms: (ts, timeout|discard), (ts, timeout, maxK|discard), (ts, timeout, maxK, discard).
    if (args.length === 2) {
      if (a.isConstant(1, ['bool'])) discardLate = a.bool(1, 'discard.late.arrival');
      else timeout = longOf(a, 1, 'timeout (or discard.late.arrival bool)');
    } else if (args.length >= 3) {
      timeout = longOf(a, 1, 'timeout');
      if (args.length === 3 && a.isConstant(2, ['bool'])) discardLate = a.bool(2, 'discard.late.arrival');
      else maxK = longOf(a, 2, 'max.k (or discard.late.arrival bool)');
      if (args.length === 4) discardLate = a.bool(3, 'discard.late.arrival');
    }
    return plannedReorderer({ timestamp: args[0]!.get, timeout, maxK, discardLate }, KSlack);
  },
};

/** A constant long parameter (the reference refuses int here). */
export function longOf(a: WindowArgs, i: number, what: string): number {
  if (a.args[i]!.type !== 'long') a.fail(`stream processor '${a.name}': ${what} must be a constant long, got ${a.args[i]!.type}`, a.args[i]);
  return a.int(i, what, -1);
}

/** A reorderer as a planned stream function: made in each instance on its clock, with its cell declared there. */
export function plannedReorderer<O>(
  options: O,
  Reorderer: new (options: O, now: () => number, timer: (fire: (time: number) => void) => TimerSlot) => Linked<StreamEvent> & { readonly cell: StateCell },
): PlannedStreamFunction {
  return {
    added: [],
    build: (inst) => {
      const stage = new Reorderer(options, () => inst.scheduler.now(), (fire) => new TimerSlot(inst.scheduler, fire));
      inst.declare(stage.cell);
      return stage;
    },
  };
}
