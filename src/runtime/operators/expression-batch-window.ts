// `#window.expressionBatch(expr [, includeTriggeringEvent [, streamCurrentEvents]])`:
// a batch grows while the condition holds; the event that breaks it flushes the
// previous batch (expired) and this batch (current, stamped with the flush time),
// and starts the next batch (or, with includeTriggeringEvent, ends this one).
// With streamCurrentEvents, arrivals are emitted at once and batches only expire.

import { CURRENT, EXPIRED, StreamEvent } from '../event.js';
import { NOWHERE, type Processor } from '../processor.js';
import { type ConditionSource, conditionSource, ExpressionCell } from './expression-window.js';
import { conditionRow } from './window-condition.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

interface BatchOptions {
  readonly includeTriggering: (e: StreamEvent) => boolean;
  readonly streamCurrent: boolean;
}

const at = (e: StreamEvent, time: number, type = e.type): StreamEvent => new StreamEvent(time, e.data, type);

export class ExpressionBatchWindow implements Window {
  next: Processor = NOWHERE;
  private readonly cell: ExpressionCell;

  constructor(
    private readonly source: ConditionSource,
    private readonly o: BatchOptions,
    private readonly ctx: WindowContext,
  ) {
    this.cell = new ExpressionCell('window.expressionBatch', source, ctx.compileCondition!);
    ctx.declare(this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const now = this.ctx.scheduler.now();
    const chunks: StreamEvent[][] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      if (this.source.dynamic && this.cell.use(String(this.source.dynamic(e)))) this.reevaluate(now, chunks);
      if (this.o.streamCurrent) this.stream(e, now, chunks, true);
      else this.batch(e, now, chunks);
    }
    for (const c of chunks) if (c.length > 0) this.next.process(c);
  }

  /** A new condition: the held events are evaluated again from the start. */
  private reevaluate(now: number, chunks: StreamEvent[][]): void {
    const cell = this.cell;
    if (this.o.streamCurrent) {
      const held = cell.expired;
      cell.expired = [];
      for (const h of held) this.stream(h, now, chunks, false);
    } else {
      const held = cell.queue;
      cell.queue = [];
      for (const h of held) this.batch(h, now, chunks);
    }
  }

  private batch(e: StreamEvent, now: number, chunks: StreamEvent[][]): void {
    const cell = this.cell;
    const agg = cell.aggregates!;
    const row = conditionRow(e, cell.queue[0] ?? e, e, CURRENT);
    agg.add(row);
    if (agg.holds(row)) {
      cell.queue.push(e);
      return;
    }
    // The breaking event starts the aggregates of the next batch.
    agg.reset();
    agg.add(row);
    const out: StreamEvent[] = cell.expired.map((x) => at(x, now));
    cell.expired = [];
    if (cell.queue.length > 0) {
      for (const c of cell.queue) {
        out.push(at(c, now, CURRENT));
        cell.expired.push(at(c, now, EXPIRED));
      }
      cell.queue = [];
      if (this.o.includeTriggering(e)) {
        out.push(e);
        cell.expired.push(at(e, now, EXPIRED));
      } else cell.queue.push(e);
    } else {
      out.push(at(e, now, EXPIRED), at(e, now, CURRENT));
    }
    chunks.push(out);
  }

  private stream(e: StreamEvent, now: number, chunks: StreamEvent[][], output: boolean): void {
    const cell = this.cell;
    const agg = cell.aggregates!;
    const row = conditionRow(e, cell.expired[0] ?? e, e, CURRENT);
    const out: StreamEvent[] = [];
    if (output && cell.queue.length > 0) {
      out.push(...cell.queue);
      cell.queue = [];
    }
    agg.add(row);
    if (agg.holds(row)) {
      cell.expired.push(at(e, e.timestamp, EXPIRED));
      if (output) {
        out.push(e);
        chunks.push(out);
      }
      return;
    }
    agg.reset();
    agg.add(row);
    if (cell.expired.length > 0) {
      const previous = cell.expired.map((x) => at(x, now));
      cell.expired = [];
      const copy = at(e, e.timestamp, EXPIRED);
      if (this.o.includeTriggering(e)) {
        out.push(e);
        if (output) out.push(...previous, at(copy, now));
        else cell.queue.push(...previous, copy);
      } else {
        if (output) out.push(...previous);
        else cell.queue.push(...previous);
        out.push(e);
        cell.expired.push(copy);
      }
    } else if (output) {
      out.push(at(e, now, EXPIRED), at(e, now, CURRENT));
    } else {
      cell.queue.push(e);
    }
    if (output) chunks.push(out);
  }

  contents(): Iterable<StreamEvent> {
    return this.o.streamCurrent ? this.cell.expired : this.cell.queue;
  }
}

const SIGNATURE = 'expressionBatch(expression string [, include.triggering.event bool [, stream.current.events bool]])';

export const EXPRESSION_BATCH_WINDOW: WindowKind = {
  name: 'expressionBatch',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('expressionBatch', SIGNATURE, args, ctx).count(1, 3);
    const source = conditionSource(a, args, ctx);
    let includeTriggering: (e: StreamEvent) => boolean = () => false;
    if (args.length > 1) {
      const t = args[1]!;
      if (t.type !== 'bool') a.fail(`window 'expressionBatch': include.triggering.event must be bool, got ${t.type}`, t);
      includeTriggering = t.constant ? ((v) => () => v)(t.value === true) : (e) => t.get(e) === true;
    }
    const streamCurrent = args.length > 2 ? a.bool(2, 'stream.current.events') : false;
    return (c) => new ExpressionBatchWindow(source, { includeTriggering, streamCurrent }, c);
  },
};
