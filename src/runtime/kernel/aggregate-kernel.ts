// The fused form of `from S[c…]#window.w(…) select … aggregates … [group by …]
// [having …] insert into O` (no order, offset, limit or rate): filters, the
// window's arrival step (inline for `length`, the planned window operator
// otherwise) and the aggregating selector in one operator, with no arrays or
// events made per row. Built by fuse.ts; behaves exactly as the planned chain
// (the selector's deferred path, or with `having` its row-by-row path), whose cells it shares.

import { CURRENT, EXPIRED, RESET, type Row, StreamEvent } from '../event.js';
import type { LengthWindow } from '../operators/length-window.js';
import type { TimeWindow } from '../operators/time-window.js';
import type { BatchReader, TimeBatchWindow } from '../operators/time-batch-window.js';
import type { BatchGroups } from '../operators/batch-groups.js';
import type { EventQueue } from '../event-queue.js';
import type { AggregateStore, GroupState } from '../operators/selector-groups.js';
import type { Selector, SelectorConfig } from '../operators/selector.js';
import type { Window } from '../operators/window.js';
import type { Processor } from '../processor.js';
import type { KernelOutput } from './kernel-output.js';
import type { RowReader } from './row-reader.js';
import { GeneratedStep, generateStepOnFirstRow } from './generate-step.js';
import type { StepShape } from './step-shape.js';

type Condition = (row: Row) => unknown;

export interface AggregateKernelParts {
  readonly conditions: readonly Condition[];
  /** The planned window, if any (one keeping arrivals as columns, so a lent row may go in); its output is routed into this kernel. */
  readonly window?: Window;
  /** Set when the window is a `length` window whose arrivals the kernel does inline. */
  readonly length?: LengthWindow;
  /** Set when the window is a `time` window whose arrivals the kernel does inline. */
  readonly time?: TimeWindow;
  /** Set when the window is a `timeBatch` window: arrivals go in without an event (its flushes come as chunks). */
  readonly batch?: TimeBatchWindow;
  readonly selector: SelectorConfig;
  /**
   * With `having`: the planned selector, which takes every chunk (its
   * row-by-row path checks `having` per row); single rows take the generated step.
   */
  readonly checked?: Selector;
  readonly output: KernelOutput;
  /**
   * Lowers the query for a generated acceptRow (generate-step.ts), given the
   * timeBatch window's groups if any; undefined keeps the steps below.
   */
  readonly lower?: (batch: { window: TimeBatchWindow; groups: BatchGroups } | undefined) => StepShape | undefined;
}

export class AggregateKernel implements RowReader, BatchReader {
  /** The arriving row as the compiled closures read it (refilled per row). */
  private readonly scratch = new StreamEvent(0, [], CURRENT);
  /** The row a `length` window expires, read back from its columns into a reused array. */
  private readonly expiring = new StreamEvent(0, [], EXPIRED);
  private readonly aggregates: AggregateStore;
  private readonly grouped: boolean;
  // Rows of the chunk in progress whose output is still to be made (the selector's deferred path).
  private rows: Row[] = [];
  private keys: string[] = [];
  private groups: GroupState[] = [];
  private done: (unknown[] | undefined)[] = [];
  private n = 0;
  private seen: Map<string, number> | undefined;
  readonly generated: GeneratedStep | undefined;

  constructor(private readonly p: AggregateKernelParts) {
    this.aggregates = p.selector.aggregates!;
    this.grouped = p.selector.mode === 'groups';
    if (p.window) p.window.next = { process: (chunk) => this.processRows(chunk) } satisfies Processor;
    const groups = p.batch?.cell.groups;
    // A batch kept as rows is read at its flushes; reusing row objects there is only safe while expired rows are never emitted.
    if (p.batch && groups === undefined && !p.selector.expired) p.batch.batchReader = this;
    // With a timeBatch window only a batch kept per group has a generated form.
    const shape = p.batch === undefined ? p.lower?.(undefined) : groups && p.lower?.({ window: p.batch, groups });
    if (shape !== undefined) {
      this.generated = new GeneratedStep({ shape, row: this.scratch, output: p.output, expired: this.expiring });
      this.acceptRow = generateStepOnFirstRow(this.generated, (step) => (this.acceptRow = step));
    }
  }

  acceptRow(timestamp: number, data: unknown[]): void {
    // Windows keep arrivals as columns and the checked selector keeps no row, so the lent array may go in.
    if (this.p.checked !== undefined) return this.process([new StreamEvent(timestamp, data, CURRENT)]);
    const row = this.scratch;
    row.timestamp = timestamp;
    (row as { data: unknown[] }).data = data;
    const conditions = this.p.conditions;
    for (let i = 0; i < conditions.length; i++) if (conditions[i]!(row) !== true) return;
    const { length, time, batch, window } = this.p;
    if (length !== undefined) return this.slideLength(length, row);
    if (time !== undefined) return this.slideTime(time, row);
    if (batch !== undefined) {
      batch.arrive(timestamp, data);
      const groups = batch.cell.groups;
      if (groups === undefined) return;
      // A flush inside arrive() may have run callbacks that sent again (and refilled the scratch row).
      row.timestamp = timestamp;
      (row as { data: unknown[] }).data = data;
      return groups.arrive(row);
    }
    if (window !== undefined) {
      window.process([new StreamEvent(timestamp, data, CURRENT)]);
      return;
    }
    this.add(row);
    this.end();
  }

  process(chunk: StreamEvent[]): void {
    let rows: StreamEvent[] = chunk;
    for (const condition of this.p.conditions) {
      const kept: StreamEvent[] = [];
      for (let i = 0; i < rows.length; i++) if (condition(rows[i]!) === true) kept.push(rows[i]!);
      if (kept.length === 0) return;
      rows = kept;
    }
    if (this.p.window !== undefined) this.p.window.process(rows);
    else this.processRows(rows);
  }

  /**
   * `LengthWindow.process` for one arrival, without materialising the expired
   * event: the window steps before the selector sees either row, as there.
   */
  private slideLength(w: LengthWindow, row: StreamEvent): void {
    const queue = w.queue;
    const full = queue.length >= w.size;
    const ex = this.expiring;
    if (full) {
      queue.readInto(0, ex.data);
      ex.timestamp = w.ctx.scheduler.now();
      queue.dropHead();
    }
    queue.pushRow(row.timestamp, row.data, CURRENT);
    if (full) this.add(ex);
    this.add(row);
    this.end();
  }

  /**
   * `TimeWindow.process` for one arrival: what is due leaves first, then the
   * arrival joins. No expiry timer is armed: expired rows produce no output
   * here, so expiring them at the next arrival is the same as at their due
   * time. A timer armed by the window itself (the chunk path, a restore)
   * still fires into this kernel.
   */
  private slideTime(w: TimeWindow, row: StreamEvent): void {
    const queue = w.queue;
    const now = w.ctx.scheduler.now();
    const ex = this.expiring;
    while (queue.length > 0 && queue.peekTimestamp() + w.span <= now) {
      queue.readInto(0, ex.data);
      ex.timestamp = now;
      queue.dropHead();
      this.add(ex);
    }
    queue.pushRow(row.timestamp, row.data, CURRENT);
    this.add(row);
    this.end();
  }

  private processRows(chunk: Row[]): void {
    if (this.p.checked !== undefined) return this.p.checked.process(chunk);
    for (let i = 0; i < chunk.length; i++) this.add(chunk[i]!);
    this.end();
  }

  /**
   * One row of a chunk: the selector's deferred step. Returns a row object
   * free for reuse (`row`, or the pending row it replaced), undefined when
   * `row` is now pending.
   */
  private add(row: Row): Row | undefined {
    const c = this.p.selector;
    const type = row.type;
    const aggregates = this.aggregates;
    if (type === RESET) {
      for (let j = 0; j < this.n; j++) this.done[j] ??= this.materialize(this.rows[j]!, this.groups[j]!);
      aggregates.reset();
      return row;
    }
    if (type !== CURRENT && type !== EXPIRED) return row;
    const key = c.groupKey !== undefined ? c.groupKey(row) : '';
    const at = this.pendingAt(key);
    if (!(type === CURRENT ? c.current : c.expired)) {
      if (at >= 0 && this.done[at] === undefined) this.done[at] = this.materialize(this.rows[at]!, this.groups[at]!);
      aggregates.update(row, key, false);
      return row;
    }
    const group = aggregates.update(row, key, false);
    if (at >= 0) {
      const replaced = this.rows[at];
      this.rows[at] = row;
      this.groups[at] = group;
      this.done[at] = undefined;
      return replaced;
    }
    const n = this.n;
    if (this.seen !== undefined) this.seen.set(key, n);
    else if (this.grouped && n >= 8) this.seen = indexKeys(this.keys, n, key);
    this.rows[n] = row;
    this.keys[n] = key;
    this.groups[n] = group;
    this.done[n] = undefined;
    this.n = n + 1;
    return undefined;
  }

  private pendingAt(key: string): number {
    const n = this.n;
    if (!this.grouped) return n > 0 ? 0 : -1;
    if (this.seen !== undefined) return this.seen.get(key) ?? -1;
    const keys = this.keys;
    for (let j = 0; j < n; j++) if (keys[j] === key) return j;
    return -1;
  }

  /** Emits the chunk's output; made in full before anything is emitted (a callback may send again). */
  private end(): void {
    const n = this.n;
    if (n === 0) return;
    const { rows, groups, done } = this;
    if (n === 1) {
      const row = rows[0]!;
      const data = done[0] ?? this.materialize(row, groups[0]!);
      const { timestamp, type } = row;
      this.clear();
      this.p.output.row(timestamp, data, type);
      return;
    }
    this.p.output.chunk(this.collect());
  }

  /** The chunk's output events; the pending rows are let go. */
  private collect(): StreamEvent[] {
    const { rows, groups, done } = this;
    const events = new Array<StreamEvent>(this.n);
    for (let j = 0; j < this.n; j++) {
      const row = rows[j]!;
      events[j] = new StreamEvent(row.timestamp, done[j] ?? this.materialize(row, groups[j]!), row.type);
    }
    this.clear();
    return events;
  }

  /**
   * A timeBatch flush read from the window's columns (BatchReader): the
   * expiring batch goes through one reused row (never emitted here), the new
   * batch through row objects recycled as pending rows are replaced.
   */
  readBatch(expired: EventQueue, current: EventQueue, at: number): () => void {
    const ex = this.expiring;
    for (let i = 0; i < expired.length; i++) {
      expired.readInto(i, ex.data);
      ex.timestamp = at;
      this.add(ex);
    }
    let spare: Row | undefined;
    for (let i = 0; i < current.length; i++) {
      const row = (spare ?? new StreamEvent(0, [], CURRENT)) as StreamEvent;
      current.readInto(i, row.data);
      row.timestamp = current.timestampAt(i);
      spare = this.add(row);
    }
    if (this.n === 0) return NOTHING;
    const events = this.collect();
    return () => this.p.output.chunk(events);
  }

  private clear(): void {
    for (let j = 0; j < this.n; j++) {
      this.rows[j] = undefined!;
      this.done[j] = undefined;
    }
    this.n = 0;
    this.seen = undefined;
  }

  /** The output row of `row` with its group's aggregates as they stand now. */
  private materialize(row: Row, group: GroupState): unknown[] {
    this.aggregates.loadFrom(group);
    const p = this.p.selector.projections;
    const data = new Array<unknown>(p.length);
    for (let i = 0; i < p.length; i++) data[i] = p[i]!(row);
    this.p.selector.frame.out = data;
    return data;
  }
}

const NOTHING = (): void => {};

function indexKeys(keys: readonly string[], n: number, next: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let j = 0; j < n; j++) m.set(keys[j]!, j);
  m.set(next, n);
  return m;
}
