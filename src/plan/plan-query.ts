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
import type { PlanContext } from './plan-context.js';
import { defineStream, planErrorAt } from './plan-context.js';
import { planSingleInput } from './plan-input.js';
import { compileSelector } from './plan-selector.js';
import type { InstanceScope } from '../runtime/instance.js';
import type { QueryBlueprint } from '../runtime/app-plan.js';
import { planPatternInput } from './plan-pattern.js';
import { planTableOutput, withTables } from './plan-table.js';
import { planJoinInput } from './plan-join.js';
import type { Scope } from './scope.js';
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
  /** Resolves what `having` reads, when it differs from `scope` (patterns). */
  readonly havingScope?: Scope;
  /** `scope` with attributes as JavaScript over the input's own generated code's values (patterns: SelectorPlanOptions.sourceScope). */
  readonly sourceScope?: Scope;
  /** The input attributes in order, for `select *`. */
  readonly schema: readonly AttributeSchema[];
  /** The input keeps a window (`output snapshot` then reports what it holds). */
  readonly windowed: boolean;
  /** Builds the input's operators in `inst`, links `next` behind them and subscribes them to their sources. */
  connect(next: Processor, inst: InstanceScope): void;
}

/** The operator of an instance that receives a query's output rows. */
export type TargetFactory = (inst: InstanceScope) => Processor<StreamEvent>;

/** What a planned output action gives the selector and receives from it. */
export interface OutputPlan {
  /** `insert [all|current|expired] events`. */
  readonly events: OutputEventType;
  /** Checks (and defines) the target for the selected attributes. */
  target(attributes: readonly AttributeSchema[]): TargetFactory;
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

export function planQuery(q: Query, name: string, ctx: PlanContext): QueryBlueprint {
  const qp: QueryPlanning = { ctx, query: q, name, element: `query '${name}'` };
  const output = dispatch(OUTPUT_PLANNERS, q.output, qp);
  // Input cells (windows, stream functions, join sides, patterns) mean what the input says, over the schemas it reads.
  const signature = signatureOf('input', q.input, () => sourceSchemasOf(q.input, ctx));
  const input = dispatch(INPUT_PLANNERS, q.input, qp);
  const selector = compileSelector({
    selector: q.selector,
    scope: input.scope,
    ...(input.havingScope ? { havingScope: input.havingScope } : {}),
    ...(input.sourceScope ? { sourceScope: input.sourceScope } : {}),
    inputSchema: input.schema,
    outputEvents: output.events,
    element: qp.element,
    id: `${name}/selector`,
    signature,
    windowed: input.windowed,
    ...(q.outputRate ? { outputRate: q.outputRate } : {}),
  });
  const target = output.target(selector.schema);
  return {
    name,
    instantiate(inst, shared) {
      const built = selector.build(inst);
      const next = target(inst);
      const tap = shared?.forInstance(next) ?? new QueryCallbackTap(name, inst.report);
      built.tail.next = tap;
      tap.next = next;
      input.connect(built.head, { ...inst, cells: signedCells(inst.cells, signature) });
      return tap;
    },
  };
}

function planStreamInput(input: SingleInput, qp: QueryPlanning): QueryInputPlan {
  const { ctx, element } = qp;
  const planned = planSingleInput(input, ctx, { element, id: qp.name });
  return {
    scope: planned.scope(),
    schema: planned.schema.attributes,
    windowed: planned.windowed,
    connect: (next, inst) => planned.build(inst).connect(next),
  };
}

function planJoin(input: JoinInput, qp: QueryPlanning): QueryInputPlan {
  const { query } = qp;
  const options = { element: qp.element, id: qp.name, expired: query.output.events !== 'current', star: query.selector.star };
  const planned = planJoinInput(input, qp.ctx, options);
  return { scope: planned.scope, schema: planned.schema, windowed: true, connect: (next, inst) => planned.build(inst).connect(next) };
}

function planPattern(input: StateInput, qp: QueryPlanning): QueryInputPlan {
  const planned = planPatternInput(input, qp.ctx, { element: qp.element, id: qp.name });
  return {
    scope: withTables(planned.scope, qp.ctx),
    havingScope: withTables(planned.havingScope, qp.ctx),
    ...(planned.sourceScope ? { sourceScope: withTables(planned.sourceScope, qp.ctx) } : {}),
    schema: planned.schema,
    windowed: false,
    connect: (next, inst) => planned.build(inst).connect(next),
  };
}

function planInsertInto(output: InsertIntoAst, qp: QueryPlanning): OutputPlan {
  const { ctx, element } = qp;
  return {
    events: output.events,
    target: (attributes) => {
      if (!ctx.catalog.tables.has(output.target)) return outputTarget(output, attributes, ctx, element);
      return planTableOutput({ output, attributes, ctx, element });
    },
  };
}

function planTableWrite(output: DeleteFrom | UpdateTable | UpdateOrInsert, qp: QueryPlanning): OutputPlan {
  const { ctx, element } = qp;
  return {
    events: output.events,
    target: (attributes) => planTableOutput({ output, attributes, ctx, element }),
  };
}

function planReturn(output: ReturnOutput, qp: QueryPlanning): OutputPlan {
  throw planErrorAt(qp.element, "'return' is only valid in on-demand queries", output.loc);
}

function outputTarget(output: InsertIntoAst, attributes: readonly AttributeSchema[], ctx: PlanContext, element: string): TargetFactory {
  const name = output.target;
  if (output.inner) {
    innerTarget(output, attributes, ctx, element);
    // Each instance has its own inner streams, made with it from the partition's schemas (this one among them).
    return (inst) => inst.inner!.get(name);
  }
  if (ctx.catalog.aggregations.has(name)) {
    // As the reference, where defining the output stream finds an aggregation of that id (DuplicateDefinitionException).
    throw planErrorAt(element, `'${name}' is already defined as an aggregation; a query cannot insert into it`, output.loc,
      `an aggregation is fed only by its own 'from' stream: insert into that stream, or give the output another name`);
  }
  const produced = new StreamSchema(name, attributes);
  const window = ctx.catalog.windows.get(name);
  const existing = window ?? ctx.catalog.streams.get(name);
  if (existing) {
    checkCompatible(produced, existing, element, output.loc);
  } else {
    ctx.inputStreams.add(name);
    defineStream(ctx, name, attributes);
  }
  return (inst) => inst.writer(name);
}

/** Checks an `insert into #name` against the partition's inner stream of that name, defining it the first time. */
function innerTarget(output: InsertIntoAst, attributes: readonly AttributeSchema[], ctx: PlanContext, element: string): StreamSchema {
  const { inner } = ctx.catalog;
  if (!inner) throw planErrorAt(element, `inner stream '#${output.target}' is only valid inside a partition`, output.loc);
  const produced = new StreamSchema(output.target, attributes);
  const existing = inner.get(output.target);
  if (existing) {
    checkCompatible(produced, existing, element, output.loc);
    return existing;
  }
  inner.set(output.target, produced);
  return produced;
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
