// Plans one query: input (by kind) → selector (+ output rate) → output action
// (by kind): one entry per input kind (stream chain here, plan-join,
// plan-pattern) and per output action (streams here, tables in plan-table).

import type {
  DeleteFrom, InsertInto as InsertIntoAst, JoinInput, OutputAction, OutputEventType, Query, QueryInput, ReturnOutput, SingleInput,
  StateInput, UpdateOrInsert, UpdateTable,
} from '../ast/index.js';
import { dispatch, type Handlers } from '../dispatch.js';
import type { StreamEvent } from '../runtime/event.js';
import { QueryCallbackTap } from '../runtime/operators/query-callback.js';
import type { Processor } from '../runtime/processor.js';
import type { AttributeSchema } from '../runtime/schema.js';
import { StreamSchema } from '../runtime/schema.js';
import { StreamJunction } from '../runtime/junction.js';
import type { PlanContext } from './plan-context.js';
import { defineJunction, planErrorAt } from './plan-context.js';
import { planSingleInput } from './plan-input.js';
import { planSelector } from './plan-selector.js';
import { planPatternInput } from './plan-pattern.js';
import { planTableOutput, withTables } from './plan-table.js';
import { planJoinInput } from './plan-join.js';
import type { Scope } from './scope.js';
import { createStreamScope } from './stream-scope.js';
import { signatureOf, signedCells, sourceSchemasOf } from './cell-signature.js';

/** The name of a query: `@info(name='…')`, else `query<position>` (1-based). */
export function queryName(q: Query, position: number): string {
  return explicitQueryName(q) ?? `query${position}`;
}

/** `@info(name='…')`, if given. */
export function explicitQueryName(q: Query): string | undefined {
  for (const a of q.annotations) {
    if (a.namespace === undefined && a.name.toLowerCase() === 'info') {
      const n = a.elements.find((e) => e.key?.toLowerCase() === 'name');
      if (n) return n.value;
    }
  }
  return undefined;
}

/** What the selector needs from a planned input, whatever its kind. */
export interface QueryInputPlan {
  /** Resolves the attributes the selector may read. */
  readonly scope: Scope;
  /** The input attributes in order, for `select *`. */
  readonly schema: readonly AttributeSchema[];
  /** The input keeps a window (`output snapshot` then reports what it holds). */
  readonly windowed: boolean;
  /** Links `next` behind the input and subscribes the input to its sources. */
  connect(next: Processor): void;
}

/** What a planned output action gives the selector and receives from it. */
export interface OutputPlan {
  /** `insert [all|current|expired] events`. */
  readonly events: OutputEventType;
  /** The operator receiving the selector's rows, given the selected attributes. */
  target(attributes: readonly AttributeSchema[]): Processor<StreamEvent>;
}

/** One query's planning context: the app's, plus the query and its name for messages and state ids. */
export interface QueryPlanning {
  readonly ctx: PlanContext;
  readonly query: Query;
  /** Query name, the prefix of its state ids. */
  readonly name: string;
  /** For messages: "query 'q1'". */
  readonly element: string;
}

const INPUT_PLANNERS: Handlers<QueryInput, [QueryPlanning], QueryInputPlan> = {
  single: planStreamInput,
  join: planJoin,
  state: planPattern,
};

const OUTPUT_PLANNERS: Handlers<OutputAction, [QueryPlanning], OutputPlan> = {
  insert: planInsertInto,
  delete: planTableWrite,
  update: planTableWrite,
  upsert: planTableWrite,
  return: planReturn,
};

export function planQuery(q: Query, name: string, ctx: PlanContext): void {
  const qp: QueryPlanning = { ctx, query: q, name, element: `query '${name}'` };
  const output = dispatch(OUTPUT_PLANNERS, q.output, qp);
  // Input cells (windows, stream functions, join sides, patterns) mean what the input says, over the schemas it reads.
  const signature = signatureOf('input', q.input, sourceSchemasOf(q.input, ctx));
  const input = dispatch(INPUT_PLANNERS, q.input, { ...qp, ctx: { ...ctx, cells: signedCells(ctx.cells, signature) } });
  const selector = planSelector({
    selector: q.selector,
    scope: input.scope,
    inputSchema: input.schema,
    outputEvents: output.events,
    element: qp.element,
    cells: ctx.cells,
    id: `${name}/selector`,
    signature,
    scheduler: ctx.scheduler,
    windowed: input.windowed,
    ...(q.outputRate ? { outputRate: q.outputRate } : {}),
  });
  const target = output.target(selector.schema);
  const tap = new QueryCallbackTap(name, ctx.report);
  ctx.queries.set(name, tap);
  selector.tail.next = tap;
  tap.next = target;
  input.connect(selector.head);
}

function planStreamInput(input: SingleInput, qp: QueryPlanning): QueryInputPlan {
  const { ctx, element } = qp;
  const planned = planSingleInput(input, ctx, { element, id: qp.name });
  return {
    scope: withTables(createStreamScope({ element, schema: planned.schema, names: planned.names, now: () => ctx.scheduler.now() }), ctx),
    schema: planned.schema.attributes,
    windowed: planned.window !== undefined,
    connect: (next) => planned.connect(next),
  };
}

function planJoin(input: JoinInput, qp: QueryPlanning): QueryInputPlan {
  const { query } = qp;
  const j = planJoinInput(input, qp.ctx, {
    element: qp.element, id: qp.name, expired: query.output.events !== 'current', star: query.selector.star,
  });
  return { scope: j.scope, schema: j.schema, windowed: true, connect: (n) => j.connect(n) };
}

function planPattern(input: StateInput, qp: QueryPlanning): QueryInputPlan {
  const p = planPatternInput(input, qp.ctx, { element: qp.element, id: qp.name });
  return { scope: withTables(p.scope, qp.ctx), schema: p.schema, windowed: false, connect: (n) => p.connect(n) };
}

function planInsertInto(output: InsertIntoAst, qp: QueryPlanning): OutputPlan {
  const { ctx, element } = qp;
  return {
    events: output.events,
    target: (attributes) => ctx.tables.has(output.target)
      ? planTableOutput({ output, attributes, ctx, element })
      : outputTarget(output, attributes, ctx, element),
  };
}

function planTableWrite(output: DeleteFrom | UpdateTable | UpdateOrInsert, qp: QueryPlanning): OutputPlan {
  const { ctx, element } = qp;
  return { events: output.events, target: (attributes) => planTableOutput({ output, attributes, ctx, element }) };
}

function planReturn(output: ReturnOutput, qp: QueryPlanning): OutputPlan {
  throw planErrorAt(qp.element, "'return' is only valid in on-demand queries", output.loc);
}

function outputTarget(
  output: InsertIntoAst,
  attributes: readonly AttributeSchema[],
  ctx: PlanContext,
  element: string,
): Processor<StreamEvent> {
  if (output.inner) return innerTarget(output, attributes, ctx, element);
  const produced = new StreamSchema(output.target, attributes);
  const w = ctx.windows.get(output.target);
  const existing = w ? w.input : ctx.junctions.get(output.target);
  if (existing) {
    checkCompatible(produced, existing.schema, element, output.loc);
    return existing;
  }
  ctx.inputStreams.add(output.target);
  return defineJunction(ctx, output.target, attributes);
}

function innerTarget(output: InsertIntoAst, attributes: readonly AttributeSchema[], ctx: PlanContext, element: string): StreamJunction {
  if (!ctx.inner) throw planErrorAt(element, `inner stream '#${output.target}' is only valid inside a partition`, output.loc);
  const existing = ctx.inner.get(output.target);
  if (existing) {
    checkCompatible(new StreamSchema(output.target, attributes), existing.schema, element, output.loc);
    return existing;
  }
  const junction = new StreamJunction(new StreamSchema(output.target, attributes), ctx.report);
  ctx.inner.set(output.target, junction);
  return junction;
}

function checkCompatible(produced: StreamSchema, target: StreamSchema, element: string, loc: InsertIntoAst['loc']): void {
  const a = produced.attributes, b = target.attributes;
  if (a.length !== b.length || a.some((x, i) => x.type !== b[i]!.type)) {
    throw planErrorAt(element, `the output ${produced.describe()} does not match '${target.name}' ${target.describe()}`, loc,
      'select attributes with the same number and types as the target');
  }
  const renamed = a.findIndex((x, i) => x.name !== b[i]!.name);
  if (renamed >= 0) {
    throw planErrorAt(element, `the output ${produced.describe()} does not match '${target.name}' ${target.describe()}: attribute ${renamed + 1} is '${a[renamed]!.name}', not '${b[renamed]!.name}'`, loc,
      `name the selected attributes as the target's, e.g. '… as ${b[renamed]!.name}'`);
  }
}
