// The fused form of `from A[f…]#window.length(n) [outer] join B[g…]#window.length(m)
// on A.x == B.y [and …] select <expressions> insert [current events] into O`:
// each side's filters, its length window, the hash index of the window on the
// join key, the probe of the other side's index and the plain projection in
// one operator per side. Stored rows are read from the other window's columns
// into one reused row: no event, pair or chunk per match. The planned windows'
// queues are the kernel's state (their cells checkpoint them as before); the
// key indexes are shared with the planned Join, so one side may run fused and
// the other not. Built by kernel/fuse.ts through buildJoinKernel; behaves
// exactly as the planned chain (the conformance suite runs both ways).

import { CURRENT, type Row, StateEvent, StreamEvent } from '../../event.js';
import type { Processor } from '../../processor.js';
import { KernelOutput } from '../../kernel/kernel-output.js';
import type { RowReader } from '../../kernel/row-reader.js';
import { generateStepOnFirstRow } from '../../kernel/generate-step.js';
import type { Condition } from '../../kernel/step-shape.js';
import { QueryCallbackTap } from '../query-callback.js';
import { LengthWindow } from '../length-window.js';
import { Selector, type SelectorConfig } from '../selector.js';
import type { Join } from './join.js';
import { JoinEntry } from './join.js';
import type { KeyIndex, KeyRows } from './key-index.js';
import { JoinStep } from './join-step.js';

/** What plan-join.ts tells a join whose shape a kernel can run. */
export interface JoinFusible {
  /** The attribute each side is looked up by (`on` has left[keys[0]] == right[keys[1]]). */
  readonly keys: readonly [number, number];
  /** Each side's window index on its key (the Join's own). */
  readonly indexes: readonly [KeyIndex, KeyIndex];
  /** The whole `on` condition over a [left, right] row; undefined when the key equality is all of it. */
  readonly test: ((row: Row) => unknown) | undefined;
  /** Side i's arrivals probe the other side (false: the other side is unidirectional). */
  readonly triggers: readonly [boolean, boolean];
  /** Side i is outer. */
  readonly outer: readonly [boolean, boolean];
}

/** What the probing row's data is between probes (the arriving row is only lent). */
const NO_DATA: unknown[] = [];

/** A side kernel for the head of a side's chain (its filters, then `window`), or undefined when the join's shape is not fused. */
export function buildJoinKernel(conditions: readonly Condition[], window: Processor): Processor<StreamEvent> | undefined {
  if (!(window instanceof LengthWindow) || window.size === 0 || !(window.next instanceof JoinEntry)) return undefined;
  const { join, side } = window.next;
  const kernel = kernelOf(join);
  return kernel && new JoinSideKernel(kernel, side, conditions, window.size);
}

const KERNELS = new WeakMap<Join, JoinKernel | null>();

function kernelOf(join: Join): JoinKernel | undefined {
  let k = KERNELS.get(join);
  if (k === undefined) {
    k = fusible(join) ?? null;
    KERNELS.set(join, k);
  }
  return k ?? undefined;
}

function fusible(join: Join): JoinKernel | undefined {
  const f = join.fusible;
  const selector = join.next;
  if (f === undefined || !(selector instanceof Selector) || !selector.plain || !(selector.next instanceof QueryCallbackTap)) return undefined;
  const c = selector.config;
  // Expired pairs need the expiring rows as events; an output that is a side's event would be the reused row.
  if (!c.current || c.expired || c.outputs === undefined || c.outputs.some((o) => o.type === 'object')) return undefined;
  return new JoinKernel(f, c, new KernelOutput(selector.next));
}

class JoinKernel {
  /** The row the compiled condition and projections read: [left, right], refilled per probe and match. */
  private readonly row = new StateEvent(0, [null, null], CURRENT);
  /** The probing row (its data is the arriving row) and the stored row read back from the columns. */
  private readonly probes = [new StreamEvent(0, [], CURRENT), new StreamEvent(0, [], CURRENT)] as const;
  private readonly stored = [new StreamEvent(0, [], CURRENT), new StreamEvent(0, [], CURRENT)] as const;

  /** [side, attribute] of each output, when every output is an attribute and nothing else is evaluated per pair. */
  private readonly picks: Int32Array | undefined;

  constructor(
    private readonly f: JoinFusible,
    private readonly selector: SelectorConfig,
    readonly output: KernelOutput,
  ) {
    const outputs = selector.outputs!;
    const plain = f.test === undefined && selector.having === undefined && outputs.every((o) => o.attribute?.side !== undefined);
    this.picks = plain ? Int32Array.from(outputs.flatMap((o) => [o.attribute!.side!, o.attribute!.index])) : undefined;
  }

  /** Side `side`'s acceptRow as generated source, when its outputs are picks (join-step.ts). */
  step(side: 0 | 1, size: number, filters: { conditions: readonly Condition[]; evaluates: readonly ((row: Row) => unknown)[] }, row: { timestamp: number; data: unknown[] }): JoinStep | undefined {
    const f = this.f;
    if (this.picks === undefined) return undefined;
    const shape = { side, size, key: f.keys[side], conditions: filters.conditions, picks: this.picks, triggers: f.triggers[side], outer: f.outer[side] };
    return new JoinStep(shape, { kernel: this, other: f.indexes[side === 0 ? 1 : 0], conditions: filters.evaluates, row, output: this.output });
  }

  /** Appends a row to side `side`'s window, expiring its oldest when full. */
  store(side: 0 | 1, size: number, timestamp: number, data: readonly unknown[]): void {
    const index = this.f.indexes[side];
    index.sync();
    const queue = index.queue;
    if (queue.length >= size) {
      index.leaving();
      queue.dropHead();
    }
    queue.pushRow(timestamp, data, CURRENT);
    index.entered(data[this.f.keys[side]]);
  }

  /** Emits the rows of one arrival on `side` (its data only read here) paired with the other side's matches. */
  probe(side: 0 | 1, timestamp: number, data: unknown[]): void {
    const f = this.f;
    if (!f.triggers[side]) return;
    const o = side === 0 ? 1 : 0;
    const key = data[f.keys[side]];
    const index = f.indexes[o];
    index.sync();
    // `==` with a null operand, or NaN, is false.
    const list = key === null || key !== key ? undefined : index.find(key);
    const matches = list === undefined ? 0 : list.end - list.start;
    if (matches === 0 && !f.outer[side]) return;
    if (this.picks !== undefined) this.pick(side, timestamp, data, list, matches);
    else this.evaluate(side, timestamp, data, list, matches);
  }

  /** Outputs that are attributes: each read from the probing row or straight from the stored row's column. */
  private pick(side: 0 | 1, timestamp: number, data: unknown[], list: KeyRows | undefined, matches: number): void {
    const picks = this.picks!;
    const n = picks.length >> 1;
    if (matches === 0) {
      const out = new Array<unknown>(n);
      for (let k = 0; k < n; k++) out[k] = picks[2 * k] === side ? data[picks[2 * k + 1]!] : null;
      this.output.row(timestamp, out, CURRENT);
      return;
    }
    const index = this.f.indexes[side === 0 ? 1 : 0];
    const queue = index.queue;
    const head = index.head;
    const seqs = list!.seqs;
    const start = list!.start;
    const rows: unknown[][] | undefined = matches === 1 ? undefined : [];
    for (let j = 0; j < matches; j++) {
      const at = seqs[start + j]! - head;
      const out = new Array<unknown>(n);
      for (let k = 0; k < n; k++) out[k] = picks[2 * k] === side ? data[picks[2 * k + 1]!] : queue.valueAt(at, picks[2 * k + 1]!);
      if (rows === undefined) this.output.row(timestamp, out, CURRENT);
      else rows.push(out);
    }
    if (rows !== undefined) this.output.rows(timestamp, rows, CURRENT);
  }

  /** Any other outputs, `having` or a condition beyond the key: compiled closures over one reused [left, right] row. */
  private evaluate(side: 0 | 1, timestamp: number, data: unknown[], list: KeyRows | undefined, matches: number): void {
    const f = this.f;
    const o = side === 0 ? 1 : 0;
    const row = this.row;
    const probe = this.probes[side];
    probe.timestamp = timestamp;
    (probe as { data: unknown[] }).data = data;
    row.timestamp = timestamp;
    row.events[side] = probe;
    let matched = false;
    let first: unknown[] | undefined;
    let more: unknown[][] | undefined;
    if (matches > 0) {
      const index = f.indexes[o];
      const queue = index.queue;
      const head = index.head;
      const stored = this.stored[o];
      row.events[o] = stored;
      const seqs = list!.seqs;
      for (let j = list!.start; j < list!.end; j++) {
        const at = seqs[j]! - head;
        stored.timestamp = queue.timestampAt(at);
        queue.readInto(at, stored.data);
        if (f.test !== undefined && f.test(row) !== true) continue;
        matched = true;
        const out = this.selected(row);
        if (out === undefined) continue;
        if (first === undefined) first = out;
        else (more ??= [first]).push(out);
      }
    }
    row.events[o] = null;
    if (!matched && f.outer[side]) first = this.selected(row);
    (probe as { data: unknown[] }).data = NO_DATA;
    if (more !== undefined) this.output.rows(timestamp, more, CURRENT);
    else if (first !== undefined) this.output.row(timestamp, first, CURRENT);
  }

  /** The output row of a pair, or undefined when `having` drops it. */
  private selected(row: StateEvent): unknown[] | undefined {
    const out = this.project(row);
    const having = this.selector.having;
    return having === undefined || having(row) === true ? out : undefined;
  }

  // Selector.project's loop, kept apart on purpose: a shared helper's p[i](row) call site would see every
  // query's projections and go megamorphic (the kernels exist to keep such sites per query).
  private project(row: Row): unknown[] {
    const p = this.selector.projections;
    const data = new Array<unknown>(p.length);
    for (let i = 0; i < p.length; i++) data[i] = p[i]!(row);
    // `having` reads output names through the frame.
    this.selector.frame.out = data;
    return data;
  }
}

/** One side's reader: its filters, then its window and probe in the join kernel. */
class JoinSideKernel implements RowReader {
  /** The arriving row as the filters read it. */
  private readonly scratch = new StreamEvent(0, [], CURRENT);
  private readonly conditions: readonly ((row: Row) => unknown)[];
  readonly generated: JoinStep | undefined;

  constructor(
    private readonly kernel: JoinKernel,
    private readonly side: 0 | 1,
    conditions: readonly Condition[],
    private readonly size: number,
  ) {
    this.conditions = conditions.map((c) => c.evaluate);
    this.generated = kernel.step(side, size, { conditions, evaluates: this.conditions }, this.scratch);
    if (this.generated !== undefined) this.acceptRow = generateStepOnFirstRow(this.generated, (step) => (this.acceptRow = step));
  }

  acceptRow(timestamp: number, data: unknown[]): void {
    const conditions = this.conditions;
    if (conditions.length > 0) {
      const row = this.scratch;
      row.timestamp = timestamp;
      (row as { data: unknown[] }).data = data;
      for (let i = 0; i < conditions.length; i++) if (conditions[i]!(row) !== true) return;
    }
    this.kernel.store(this.side, this.size, timestamp, data);
    this.kernel.probe(this.side, timestamp, data);
  }

  /** A chunk as the planned chain takes it: filter by filter, then the window stores all, then each probes. */
  process(chunk: StreamEvent[]): void {
    let rows = chunk.filter((e) => e.type === CURRENT);
    for (const condition of this.conditions) rows = rows.filter((e) => condition(e) === true);
    for (const e of rows) this.kernel.store(this.side, this.size, e.timestamp, e.data);
    for (const e of rows) this.kernel.probe(this.side, e.timestamp, e.data);
  }
}
