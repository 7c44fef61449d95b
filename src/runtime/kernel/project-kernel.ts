// The fused form of `from S[c1][c2]… select <expressions> [having h] insert into O`
// (no window, no aggregates, no order/limit, no rate limit): the filters,
// the projection and the output in one operator. Built by fuse.ts from the
// planned Filter and Selector; behaves exactly as that chain.

import { CURRENT, EXPIRED, type Row, StreamEvent } from '../event.js';
import type { SelectorConfig } from '../operators/selector.js';
import type { RowReader } from './row-reader.js';
import type { KernelOutput } from './kernel-output.js';
import { GeneratedStep, generateStepOnFirstRow } from './generate-step.js';
import type { StepShape } from './step-shape.js';

type Condition = (row: Row) => unknown;

export class ProjectKernel implements RowReader {
  /** The row being processed, as the compiled closures read it (one object, refilled per row). */
  private readonly scratch = new StreamEvent(0, [], CURRENT);
  private readonly projections: readonly ((row: Row) => unknown)[];
  private readonly having: Condition | undefined;
  readonly generated: GeneratedStep | undefined;

  constructor(
    private readonly conditions: readonly Condition[],
    private readonly selector: SelectorConfig,
    private readonly output: KernelOutput,
    /** The lowered query, when acceptRow is generated (generate-step.ts). */
    shape?: StepShape,
  ) {
    this.projections = selector.projections;
    this.having = selector.having;
    if (shape !== undefined) {
      this.generated = new GeneratedStep({ shape, row: this.scratch, output });
      this.acceptRow = generateStepOnFirstRow(this.generated, (step) => (this.acceptRow = step));
    }
  }

  acceptRow(timestamp: number, data: unknown[]): void {
    if (!this.selector.current) return this.evaluateOnly(timestamp, data);
    const row = this.scratch;
    row.timestamp = timestamp;
    (row as { data: unknown[] }).data = data;
    const conditions = this.conditions;
    for (let i = 0; i < conditions.length; i++) if (conditions[i]!(row) !== true) return;
    const out = this.project(row);
    if (this.having !== undefined && this.having(row) !== true) return;
    this.output.row(timestamp, out, CURRENT);
  }

  /** `insert expired events`: current rows are still filtered (conditions may call functions), never emitted. */
  private evaluateOnly(timestamp: number, data: unknown[]): void {
    this.process([new StreamEvent(timestamp, data, CURRENT)]);
  }

  process(chunk: StreamEvent[]): void {
    let rows: Row[] = chunk;
    // Filter by filter over the whole chunk, as the chain of Filter operators does.
    for (const condition of this.conditions) {
      if (rows.length === 1) {
        if (condition(rows[0]!) !== true) return;
        continue;
      }
      const kept: Row[] = [];
      for (let i = 0; i < rows.length; i++) if (condition(rows[i]!) === true) kept.push(rows[i]!);
      if (kept.length === 0) return;
      rows = kept;
    }
    const c = this.selector;
    const out: StreamEvent[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const type = row.type;
      if (type === CURRENT ? !c.current : type === EXPIRED ? !c.expired : true) continue;
      const data = this.project(row);
      if (this.having !== undefined && this.having(row) !== true) continue;
      out.push(new StreamEvent(row.timestamp, data, type));
    }
    if (out.length === 0) return;
    if (rows.length === 1) this.output.row(out[0]!.timestamp, out[0]!.data, out[0]!.type);
    else this.output.chunk(out);
  }

  private project(row: Row): unknown[] {
    const p = this.projections;
    const data = new Array<unknown>(p.length);
    for (let i = 0; i < p.length; i++) data[i] = p[i]!(row);
    // `having` reads output names through the frame.
    this.selector.frame.out = data;
    return data;
  }
}
