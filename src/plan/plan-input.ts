// Plans a single-stream input `S[f]#window.w(…)#fn(…)`: finds the source,
// compiles filters, builds the window and stream functions, and reports the
// schema the selector will read.

import type { Expression, SingleInput, StreamHandler, WindowCall } from '../ast/index.js';
import { assertNever } from '../dispatch.js';
import type { StreamEvent } from '../runtime/event.js';
import type { Linked, Processor } from '../runtime/processor.js';
import { Filter } from '../runtime/operators/filter.js';
import { CONSOLE_LOGGER } from '../runtime/logger.js';
import { STREAM_FUNCTION_KINDS, STREAM_FUNCTION_NAMES } from '../runtime/operators/stream-functions.js';
import type { Window, WindowArg, WindowKind } from '../runtime/operators/window.js';
import { WINDOW_KINDS } from '../runtime/operators/windows.js';
import { StreamSchema } from '../runtime/schema.js';
import { compileCondition, compileExpression } from './compile-expression.js';
import { compileWindowExpression } from './plan-window-expression.js';
import type { PlanContext } from './plan-context.js';
import { planErrorAt, readableNames } from './plan-context.js';
import { createStreamScope } from './stream-scope.js';
import { withTables } from './plan-table.js';
import { describeAlternatives, lookUp, lookUpIgnoringCase } from './suggest.js';

export interface PlannedInput {
  /** Schema of the events leaving the chain (stream functions may add attributes). */
  readonly schema: StreamSchema;
  /** Names the query may qualify attributes with. */
  readonly names: readonly string[];
  /** Connects a processor as the chain's successor and subscribes the chain to its source. */
  connect(next: Processor): void;
  /** The chain's window, if any (joins read its contents). */
  readonly window?: Window;
}

export interface InputOptions {
  readonly element: string;
  /** Prefix of state ids, e.g. the query name. */
  readonly id: string;
}

export function planSingleInput(input: SingleInput, ctx: PlanContext, options: InputOptions): PlannedInput {
  const { element } = options;
  const source = input.inner ? innerSourceOf(input, ctx, element) : sourceOf(input, ctx, element);
  let schema = source.schema;
  const names = input.alias ? [input.stream, input.alias] : [input.stream];
  const stages: Linked[] = [];
  let window: Window | undefined;
  input.handlers.forEach((h, position) => {
    const scope = withTables(createStreamScope({ element, schema, names, now: () => ctx.scheduler.now() }), ctx);
    const planned = planHandler(h, position, { ctx, scope, schema, element, id: options.id, hasWindow: !!window });
    stages.push(planned.stage);
    schema = planned.schema;
    if (planned.window) window = planned.window;
  });
  return {
    schema,
    names,
    ...(window ? { window } : {}),
    connect(next: Processor) {
      for (let i = 0; i < stages.length - 1; i++) stages[i]!.next = stages[i + 1]!;
      if (stages.length > 0) stages[stages.length - 1]!.next = next;
      source.subscribe((stages[0] ?? next) as Processor<StreamEvent>);
    },
  };
}

interface Source {
  readonly schema: StreamSchema;
  subscribe(p: Processor<StreamEvent>): void;
}

function sourceOf(input: SingleInput, ctx: PlanContext, element: string): Source {
  const junction = ctx.junctions.get(input.stream);
  if (junction) return { schema: junction.schema, subscribe: (p) => junction.subscribe(p) };
  const w = ctx.windows.get(input.stream);
  if (w) return { schema: w.input.schema, subscribe: (p) => w.output.subscribe(p) };
  if (ctx.tables.has(input.stream)) {
    throw planErrorAt(element, `table '${input.stream}' cannot be read as a stream`, input.loc,
      `join it with a stream (from S join ${input.stream} on …), or test it with 'in ${input.stream}'`);
  }
  throw planErrorAt(element, `stream '${input.stream}' is not defined`, input.loc,
    describeAlternatives(input.stream, readableNames(ctx)));
}

function innerSourceOf(input: SingleInput, ctx: PlanContext, element: string): Source {
  if (!ctx.inner) throw planErrorAt(element, `inner stream '#${input.stream}' is only valid inside a partition`, input.loc);
  const junction = ctx.inner.get(input.stream);
  if (!junction) {
    throw planErrorAt(element, `inner stream '#${input.stream}' is not defined`, input.loc, 'a query of the partition inserts into it before it is read');
  }
  return { schema: junction.schema, subscribe: (p) => junction.subscribe(p) };
}

interface HandlerContext {
  readonly ctx: PlanContext;
  readonly scope: ReturnType<typeof createStreamScope>;
  readonly schema: StreamSchema;
  readonly element: string;
  readonly id: string;
  readonly hasWindow: boolean;
}

function planHandler(h: StreamHandler, position: number, hc: HandlerContext): { stage: Linked; schema: StreamSchema; window?: Window } {
  switch (h.kind) {
    case 'filter': {
      const cond = compileCondition(h.condition, hc.scope, 'a filter');
      return { stage: new Filter(cond.evaluate), schema: hc.schema };
    }
    case 'window': {
      if (hc.hasWindow) throw planErrorAt(hc.element, 'a stream can have only one window', h.loc);
      const window = buildWindow(h.call, position, hc);
      return { stage: window, schema: hc.schema, window };
    }
    case 'function':
      return planStreamFunction(h, position, hc);
    default:
      return assertNever(h, 'stream handler');
  }
}

/** The window kind `call` names (`length`, `unique:length`); a plan error listing the kinds when there is none. */
export function lookUpWindow(call: WindowCall, element: string): { name: string; kind: WindowKind } {
  const name = call.namespace ? `${call.namespace}:${call.name}` : call.name;
  const kind = lookUp(WINDOW_KINDS, name);
  if (!kind) {
    throw planErrorAt(element, `unknown window '${name}'`, call.loc, describeAlternatives(name, Object.keys(WINDOW_KINDS)));
  }
  return { name, kind };
}

function buildWindow(call: WindowCall, position: number, hc: HandlerContext): Window {
  const { name, kind } = lookUpWindow(call, hc.element);
  return kind.create(planWindowArgs(call.args, hc.scope), {
    id: `${hc.id}/${position}:window.${name}`,
    scheduler: hc.ctx.scheduler,
    cells: hc.ctx.cells,
    attributes: hc.schema.attributes,
    element: hc.element,
    loc: call.loc,
    compileCondition: (text) => compileWindowExpression(text, { schema: hc.schema, element: hc.element, loc: call.loc, now: () => hc.ctx.scheduler.now() }),
  });
}

export function planWindowArgs(args: readonly Expression[], scope: ReturnType<typeof createStreamScope>): WindowArg[] {
  return args.map((a) => {
    const c = compileExpression(a, scope);
    // Window parameters are literals in the reference; `lengthBatch(1/2)` is not a constant.
    const literal = c.constant !== undefined && isLiteral(a);
    return {
      type: c.type,
      constant: literal,
      ...(literal ? { value: c.constant!.value } : {}),
      get: c.evaluate as (e: StreamEvent) => unknown,
      ...(c.attribute ? { attribute: c.attribute } : {}),
      loc: a.loc,
    };
  });
}

function planStreamFunction(h: Extract<StreamHandler, { kind: 'function' }>, position: number, hc: HandlerContext): { stage: Linked; schema: StreamSchema } {
  const name = h.call.namespace ? `${h.call.namespace}:${h.call.name}` : h.call.name;
  const kind = lookUpIgnoringCase(STREAM_FUNCTION_KINDS, name);
  if (!kind) {
    throw planErrorAt(hc.element, `unknown stream function '${name}'`, h.loc, describeAlternatives(name, STREAM_FUNCTION_NAMES));
  }
  const planned = kind.create(planWindowArgs(h.call.args, hc.scope), {
    id: `${hc.id}/${position}:${kind.name}`,
    scheduler: hc.ctx.scheduler,
    cells: hc.ctx.cells,
    attributes: hc.schema.attributes,
    element: hc.element,
    loc: h.loc,
    logger: hc.ctx.logger ?? CONSOLE_LOGGER,
    appName: hc.ctx.appName ?? 'SiddhiApp',
  });
  const schema = planned.added.length === 0 ? hc.schema : new StreamSchema(hc.schema.name, [...hc.schema.attributes, ...planned.added]);
  return { stage: planned.stage, schema };
}

function isLiteral(e: Expression): boolean {
  return e.kind === 'constant' || e.kind === 'time' || (e.kind === 'unary' && e.op === '-' && isLiteral(e.operand));
}
