// Plans one query: input chain → selector (+ output rate) → output action.
// Joins, patterns and table outputs belong to later issues and are refused
// here with a plan error that says so.

import type { InsertInto as InsertIntoAst, Query } from '../ast/index.js';
import type { StreamEvent } from '../runtime/event.js';
import { QueryCallbackTap } from '../runtime/operators/query-callback.js';
import type { Processor } from '../runtime/processor.js';
import type { AttributeSchema } from '../runtime/schema.js';
import { StreamSchema } from '../runtime/schema.js';
import type { PlanContext } from './plan-context.js';
import { defineJunction, planErrorAt } from './plan-context.js';
import { planSingleInput } from './plan-input.js';
import { planSelector } from './plan-selector.js';
import { createStreamScope } from './stream-scope.js';
import { planPatternInput } from './plan-pattern.js';
import { planTableOutput, withTables } from './plan-table.js';
import { planJoinInput } from './plan-join.js';
import type { Scope } from './scope.js';

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

export function planQuery(q: Query, name: string, ctx: PlanContext): void {
  const element = `query '${name}'`;
  const output = q.output;
  if (output.kind === 'return') throw planErrorAt(element, "'return' is only valid in on-demand queries", output.loc);
  const input = planInput(q, name, ctx, element);
  const selector = planSelector({
    selector: q.selector,
    scope: input.scope,
    inputSchema: input.schema,
    outputEvents: output.events,
    element,
    cells: ctx.cells,
    id: `${name}/selector`,
    scheduler: ctx.scheduler,
    windowed: input.windowed,
    ...(q.outputRate ? { outputRate: q.outputRate } : {}),
  });
  const target = output.kind === 'insert' && !ctx.tables.has(output.target)
    ? outputTarget(output, selector.schema, ctx, element)
    : planTableOutput({ output, attributes: selector.schema, ctx, element });
  const tap = new QueryCallbackTap(name, ctx.report);
  ctx.queries.set(name, tap);
  selector.tail.next = tap as Processor;
  tap.next = target as Processor;
  input.connect(selector.head);
}

interface QueryInputPlan {
  readonly scope: Scope;
  readonly schema: readonly AttributeSchema[];
  readonly windowed: boolean;
  connect(next: Processor): void;
}

function planInput(q: Query, name: string, ctx: PlanContext, element: string): QueryInputPlan {
  if (q.input.kind === 'state') {
    const p = planPatternInput(q.input, ctx, { element, id: name });
    return { scope: withTables(p.scope, ctx), schema: p.schema, windowed: false, connect: (n) => p.connect(n) };
  }
  if (q.input.kind === 'join') {
    const j = planJoinInput(q.input, ctx, { element, id: name, expired: q.output.events !== 'current', star: q.selector.star });
    return { scope: j.scope, schema: j.schema, windowed: true, connect: (n) => j.connect(n) };
  }
  const input = planSingleInput(q.input, ctx, { element, id: name });
  const scope = withTables(createStreamScope({ element, schema: input.schema, names: input.names, now: () => ctx.scheduler.now() }), ctx);
  return { scope, schema: input.schema.attributes, windowed: input.window !== undefined, connect: (n) => input.connect(n) };
}

function outputTarget(
  output: InsertIntoAst,
  attributes: readonly AttributeSchema[],
  ctx: PlanContext,
  element: string,
): Processor<StreamEvent> {
  if (output.inner) throw planErrorAt(element, `inner stream '#${output.target}' is only valid inside a partition`, output.loc);
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

function checkCompatible(produced: StreamSchema, target: StreamSchema, element: string, loc: InsertIntoAst['loc']): void {
  const a = produced.attributes, b = target.attributes;
  if (a.length !== b.length || a.some((x, i) => x.type !== b[i]!.type)) {
    throw planErrorAt(element, `the output ${produced.describe()} does not match '${target.name}' ${target.describe()}`, loc,
      'select attributes with the same number and types as the target');
  }
}
