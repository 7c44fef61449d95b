// `#window.expression(expr)`: a sliding window that keeps events while the
// condition holds. Each arrival is added (its aggregates too); if the condition
// fails, events expire from the oldest, each removed from the aggregates, until
// it holds again. `expr` is constant text, or a string attribute (re-read per
// event; a change re-evaluates every held event).

import { CURRENT, EVENT_CODEC, EXPIRED, StreamEvent } from '../event.js';
import { NOWHERE, type Processor } from '../processor.js';
import type { CaptureMode, StateCell } from '../../state/cell.js';
import { ConditionAggregates, conditionRow, type ConditionCompiler } from './window-condition.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

/** The condition source: fixed text, or an attribute read per event. */
export interface ConditionSource {
  readonly initial: string | undefined;
  readonly dynamic: ((e: StreamEvent) => unknown) | undefined;
}

/** State of the expression windows: held events, aggregate states and the condition text in force. */
export class ExpressionCell implements StateCell {
  readonly version = 1;
  queue: StreamEvent[] = [];
  /** expressionBatch's second queue (the previous batch, as expired copies). */
  expired: StreamEvent[] = [];
  aggregates: ConditionAggregates | undefined;

  /** `compile` is the instance's (WindowContext.compileCondition): conditions read its clock. */
  constructor(
    readonly kind: string,
    source: ConditionSource,
    private readonly compile: ConditionCompiler,
  ) {
    if (source.initial !== undefined) this.aggregates = new ConditionAggregates(compile(source.initial));
  }

  /** Switches to `text` when it differs from the condition in force; true when it changed. */
  use(text: string): boolean {
    if (this.aggregates?.condition.text === text) return false;
    this.aggregates = new ConditionAggregates(this.compile(text));
    return true;
  }

  capture(_mode: CaptureMode): unknown {
    const enc = (q: StreamEvent[]) => q.map((e) => EVENT_CODEC.encode(e));
    return { q: enc(this.queue), x: enc(this.expired), t: this.aggregates?.condition.text ?? null, a: this.aggregates?.save() ?? [] };
  }

  restore(state: unknown): void {
    const s = state as { q: unknown[]; x: unknown[]; t: string | null; a: unknown[] };
    this.queue = s.q.map((e) => EVENT_CODEC.decode(e));
    this.expired = s.x.map((e) => EVENT_CODEC.decode(e));
    if (s.t === null) this.aggregates = undefined;
    else {
      this.aggregates = new ConditionAggregates(this.compile(s.t));
      this.aggregates.load(s.a);
    }
  }
}

export class ExpressionWindow implements Window {
  next: Processor = NOWHERE;
  private readonly cell: ExpressionCell;

  constructor(
    private readonly source: ConditionSource,
    private readonly ctx: WindowContext,
  ) {
    this.cell = new ExpressionCell('window.expression', source, ctx.compileCondition!);
    ctx.declare(this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const now = this.ctx.scheduler.now();
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      if (this.source.dynamic && this.cell.use(String(this.source.dynamic(e)))) {
        const held = this.cell.queue;
        this.cell.queue = [];
        for (const h of held) this.admit(h, now, out);
      }
      this.admit(e, now, out);
      out.push(e);
    }
    if (out.length > 0) this.next.process(out);
  }

  /** Adds `e`; expires from the oldest while the condition fails (expired events go to `out`). */
  private admit(e: StreamEvent, now: number, out: StreamEvent[]): void {
    const cell = this.cell;
    const agg = cell.aggregates!;
    const queue = cell.queue;
    queue.push(e);
    const row = conditionRow(e, queue[0]!, e, CURRENT);
    agg.add(row);
    if (agg.holds(row)) return;
    while (queue.length > 0) {
      const x = queue.shift()!;
      out.push(new StreamEvent(now, x.data, EXPIRED));
      const r = conditionRow(x, queue[0] ?? x, e, EXPIRED);
      agg.remove(r);
      if (agg.holds(r)) break;
    }
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.queue;
  }
}

/** Reads the condition argument of both expression windows. */
export function conditionSource(a: WindowArgs, args: readonly WindowArg[], ctx: WindowPlanContext): ConditionSource {
  const arg = args[0]!;
  if (arg.type !== 'string') a.fail(`window '${a.name}': expression must be a string, got ${arg.type}`, arg);
  if (!ctx.checkCondition) a.fail(`window '${a.name}' is not available here`, arg);
  if (arg.constant) {
    const text = String(arg.value);
    ctx.checkCondition!(text);
    return { initial: text, dynamic: undefined };
  }
  return { initial: undefined, dynamic: arg.get };
}

const SIGNATURE = 'expression(expression string)';

export const EXPRESSION_WINDOW: WindowKind = {
  name: 'expression',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('expression', SIGNATURE, args, ctx).count(1, 1);
    const source = conditionSource(a, args, ctx);
    return (c) => new ExpressionWindow(source, c);
  },
};
