// `#reorder:akslack(timestamp, correlation [, batch.size] [, timeout] [, max.k]
// [, discard.late] [, error.threshold, confidence.level])`: alpha-K-slack
// (siddhi-execution-reorder). As K-slack, but K is the observed disorder times
// alpha, and every batch.size events alpha is re-tuned so the buffer covers the
// share of events the correlation values' spread asks for (a PD controller).

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { CURRENT, type StreamEvent } from '../event.js';
import { NOWHERE, type Linked, type Processor } from '../processor.js';
import { type TimerCapture, TimerSlot } from '../timer-slot.js';
import { ReorderBuffer, type ReorderBufferCapture } from './reorder-buffer.js';
import { type TimeoutSchedule, afterTimeout, keepTimeoutRunning, longOf, plannedReorderer } from './reorder-kslack.js';
import type { StreamFunctionKind } from './stream-function.js';
import { WindowArgs } from './window-args.js';
import { inverseNormal, runtimeWindowCoverage, windowCoverageThreshold } from './window-coverage.js';

/** The reference's fixed coverage window and controller weights. */
const WINDOW_SIZE = 10_000_000_000;
const KP = 0.5;
const KD = 0.8;

interface AKSlackCapture {
  primary: ReorderBufferCapture;
  secondary: ReorderBufferCapture;
  /** k, largest, lastSent, lastScheduled, counter, previousAlpha, previousError, alpha, l, needScheduling (0/1). */
  n: number[];
  data: number[];
  times: number[];
  tm: TimerCapture;
}

export class AKSlackCell implements StateCell, TimeoutSchedule {
  readonly kind = 'streamfn.reorder:akslack';
  readonly version = 1;
  readonly primary = new ReorderBuffer();
  readonly secondary = new ReorderBuffer();
  k = 0;
  largest = 0;
  lastSent = -1;
  lastScheduled = -1;
  counter = 0;
  previousAlpha = 0;
  previousError = 0;
  alpha = 1;
  l = 0;
  needScheduling = false;
  /** Correlation values of the running batch. */
  data: number[] = [];
  /** Timestamps seen within the coverage window. */
  times: number[] = [];

  constructor(readonly timer: TimerSlot) {}

  capture(_mode: CaptureMode): AKSlackCapture {
    return {
      primary: this.primary.capture(), secondary: this.secondary.capture(),
      n: [this.k, this.largest, this.lastSent, this.lastScheduled, this.counter, this.previousAlpha, this.previousError,
        this.alpha, this.l, this.needScheduling ? 1 : 0],
      data: [...this.data], times: [...this.times], tm: this.timer.capture(),
    };
  }

  restore(state: unknown): void {
    const s = state as AKSlackCapture;
    this.primary.restore(s.primary);
    this.secondary.restore(s.secondary);
    [this.k, this.largest, this.lastSent, this.lastScheduled, this.counter, this.previousAlpha, this.previousError,
      this.alpha, this.l] = s.n as [number, number, number, number, number, number, number, number, number];
    this.needScheduling = s.n[9] === 1;
    this.data = [...s.data];
    this.times = [...s.times];
    this.timer.restore(s.tm, () => {});
  }
}

export interface AKSlackOptions {
  readonly timestamp: (e: StreamEvent) => unknown;
  readonly correlation: (e: StreamEvent) => unknown;
  readonly batchSize: number;
  readonly timeout: number;
  readonly maxK: number;
  readonly discardLate: boolean;
  readonly errorThreshold: number;
  readonly criticalValue: number;
}

export class AKSlack implements Linked<StreamEvent> {
  next: Processor = NOWHERE;
  readonly cell: AKSlackCell;

  constructor(
    private readonly o: AKSlackOptions,
    private readonly now: () => number,
    timer: (fire: (time: number) => void) => TimerSlot,
  ) {
    this.cell = new AKSlackCell(timer((time) => this.onTimer(time)));
  }

  process(chunk: StreamEvent[]): void {
    const c = this.cell;
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      const ts = this.o.timestamp(e);
      if (typeof ts !== 'number') continue;
      c.times.push(ts);
      const v = this.o.correlation(e);
      c.data.push(typeof v === 'number' ? v : 0);
      if (this.o.discardLate && ts < c.lastSent) continue;
      if (this.o.timeout >= 0) keepTimeoutRunning(c, this.o.timeout, this.now());
      c.primary.add(ts, [e]);
      if (++c.counter > this.o.batchSize) this.retune(ts);
      if (ts <= c.largest) continue;
      c.largest = ts;
      const disorder = c.largest - c.primary.firstKey;
      if (disorder > c.k) c.k = disorder < this.o.maxK ? Math.round(disorder * c.alpha) : this.o.maxK;
      c.secondary.takeAll(c.primary);
      out.push(...c.secondary.shiftWhile((key) => key + c.k <= c.largest, (key) => (c.lastSent = key)));
    }
    if (out.length > 0) this.next.process(out);
  }

  /** A new alpha from the batch's correlation values and the coverage K achieved, then a new l. */
  private retune(ts: number): void {
    const c = this.cell;
    const threshold = windowCoverageThreshold(this.o.errorThreshold, this.o.criticalValue, c.data);
    const coverage = c.l === 0 ? 1 : runtimeWindowCoverage(ts, c.times, c.l, WINDOW_SIZE);
    const error = threshold - coverage;
    c.alpha = Math.abs(c.previousAlpha + KP * error + KD * (error - c.previousError));
    c.previousError = error;
    c.previousAlpha = c.alpha;
    c.l = Math.min(Math.round(c.alpha * c.k), c.k);
    c.counter = 0;
    c.data = [];
  }

  private onTimer(time: number): void {
    const c = this.cell;
    const due = (key: number): boolean => key < this.o.timeout + time;
    const out = [...c.secondary.removeWhere(due), ...c.primary.removeWhere(due)];
    afterTimeout(c, c.secondary.size > 0 || c.primary.size > 0);
    if (out.length > 0) this.next.process(out);
  }
}

const SIGNATURE = 'reorder:akslack(timestamp long, correlation.field int|long|float|double [, batch.size long] [, timeout long] ' +
  '[, max.k long] [, discard.flag bool] [, error.threshold double, confidence.level double])';

export const REORDER_AKSLACK: StreamFunctionKind = {
  name: 'reorder:akslack',
  signature: SIGNATURE,
  plan(args, ctx) {
    const a = new WindowArgs('reorder:akslack', SIGNATURE, args, ctx, 'stream processor').count(2, 8);
    if (args.length === 7) a.fail("stream processor 'reorder:akslack': error.threshold and confidence.level go together (8 arguments), got 7", args[6]);
    if (args[0]!.type !== 'long') a.fail(`stream processor 'reorder:akslack': timestamp must be long, got ${args[0]!.type}`, args[0]);
    if (!['int', 'long', 'float', 'double'].includes(args[1]!.type)) {
      a.fail(`stream processor 'reorder:akslack': correlation.field must be int, long, float or double, got ${args[1]!.type}`, args[1]);
    }
    const batchSize = args.length > 2 ? longOf(a, 2, 'batch.size') : 10_000;
    const timeout = args.length > 3 ? longOf(a, 3, 'timeout') : -1;
    const maxK = args.length > 4 ? longOf(a, 4, 'max.k') : -1;
    const discardLate = args.length > 5 ? a.bool(5, 'discard.flag') : false;
    const errorThreshold = args.length > 6 ? doubleOf(a, 6, 'error.threshold') : 0.03;
    const confidence = args.length > 7 ? doubleOf(a, 7, 'confidence.level') : 0.95;
    const options: AKSlackOptions = {
      timestamp: args[0]!.get, correlation: args[1]!.get, batchSize, timeout, discardLate, errorThreshold,
      maxK: maxK === -1 ? Number.MAX_SAFE_INTEGER : maxK,
      criticalValue: Math.abs(inverseNormal((1 - confidence) / 2)),
    };
    return plannedReorderer(options, AKSlack);
  },
};

function doubleOf(a: WindowArgs, i: number, what: string): number {
  if (a.args[i]!.type !== 'double') a.fail(`stream processor 'reorder:akslack': ${what} must be a constant double, got ${a.args[i]!.type}`, a.args[i]);
  return a.number(i, what);
}
