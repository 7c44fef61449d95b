// Plans a single-stream input `S[f]#window.w(…)#fn(…)`: finds the source,
// compiles filters, builds the window and stream functions, and reports the
// schema the selector will read.

import type { Expression, SingleInput, StreamHandler, WindowCall } from '../ast/index.js';
import { assertNever } from '../dispatch.js';
import type { StreamEvent } from '../runtime/event.js';
import type { Linked, Processor } from '../runtime/processor.js';
import { Filter } from '../runtime/operators/filter.js';
import { STREAM_FUNCTION_KINDS, STREAM_FUNCTION_NAMES } from '../runtime/operators/stream-functions.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from '../runtime/operators/window.js';
import { WINDOW_KINDS } from '../runtime/operators/windows.js';
import { StreamSchema } from '../runtime/schema.js';
import { compileCondition, compileExpression } from './compile-expression.js';
import { FUNCTION_KINDS } from '../runtime/functions/index.js';
import { currentAppFunctions } from './app-functions.js';
import { checkWindowExpression, compileWindowExpression, type WindowExpressionOptions } from './plan-window-expression.js';
import { evaluatorIn, instanceEnv, type CompiledExpression, type ExpressionEnv } from '../runtime/expression.js';
import type { WindowCondition } from '../runtime/operators/window-condition.js';
import { declareIn, type CellRegistry, type InstanceScope, type StateCell } from '../runtime/instance.js';
import type { Scheduler } from '../runtime/clock.js';
import type { PlanContext } from './plan-context.js';
import { planErrorAt, readableNames } from './plan-context.js';
import { faultStreamHint } from './plan-fault-stream.js';
import { createStreamScope } from './stream-scope.js';
import { withTables } from './plan-table.js';
import { describeAlternatives, lookUp, lookUpIgnoringCase } from './suggest.js';
import type { Scope } from './scope.js';

export interface PlannedInput {
  /** Schema of the events leaving the chain (stream functions may add attributes). */
  readonly schema: StreamSchema;
  /** Names the query may qualify attributes with. */
  readonly names: readonly string[];
  /** The chain has a window. */
  readonly windowed: boolean;
  /** Resolves the attributes of `schema` (with `cond in T`): the last handler's scope, when it read that schema. */
  scope(): Scope;
  /** Builds the chain's operators in `inst` (windows register their cells there). */
  build(inst: InstanceScope): BuiltInput;
}

/** One running copy of an input chain. */
export interface BuiltInput {
  /** The chain's window, if any (joins read its contents). */
  readonly window?: Window;
  /** Connects a processor as the chain's successor and subscribes the chain to its source. */
  connect(next: Processor): void;
}

export interface InputOptions {
  readonly element: string;
  /** Prefix of state ids, e.g. the query name. */
  readonly id: string;
}

/** A handler compiled once; `build` makes its operator in an instance. */
interface StageBlueprint {
  readonly schema: StreamSchema;
  readonly window: boolean;
  build(inst: InstanceScope): Linked;
}

export function planSingleInput(input: SingleInput, ctx: PlanContext, options: InputOptions): PlannedInput {
  const { element } = options;
  const source = input.inner ? innerSourceOf(input, ctx, element) : sourceOf(input, ctx, element);
  let schema = source.schema;
  const windowAt = input.inner ? -1 : input.handlers.findIndex((h) => h.kind === 'window');
  if (windowAt >= 0 && ctx.catalog.windows.has(input.stream)) {
    // As the reference (and joins here): a named window's events are read as they leave it, never windowed again.
    throw planErrorAt(element, `'${input.stream}' is a named window; it takes no further window`, input.handlers[windowAt]!.loc);
  }
  const names = input.alias ? [input.stream, input.alias] : [input.stream];
  // One scope per schema: filters and windows keep theirs, a stream function may add attributes.
  let scope: Scope | undefined;
  let scoped: StreamSchema | undefined;
  const scopeOf = (s: StreamSchema): Scope => {
    if (scope === undefined || scoped !== s) {
      scope = withTables(createStreamScope({ element, schema: s, names }), ctx);
      scoped = s;
    }
    return scope;
  };
  const stages: StageBlueprint[] = [];
  input.handlers.forEach((h, position) => {
    const planned = planHandler(h, position, { ctx, scope: scopeOf(schema), schema, element, id: options.id, hasWindow: stages.some((st) => st.window) });
    stages.push(planned);
    schema = planned.schema;
  });
  const last = schema;
  return {
    schema,
    names,
    windowed: stages.some((st) => st.window),
    scope: () => scopeOf(last),
    build(inst) {
      let window: Window | undefined;
      const built = stages.map((st) => {
        const op = st.build(inst);
        if (st.window) window = op as Window;
        return op;
      });
      return {
        ...(window ? { window } : {}),
        connect(next: Processor) {
          for (let i = 0; i < built.length - 1; i++) built[i]!.next = built[i + 1]!;
          if (built.length > 0) built[built.length - 1]!.next = next;
          source.subscribe(inst, (built[0] ?? next) as Processor<StreamEvent>);
        },
      };
    },
  };
}

/** Where a chain reads from, found by name in the instance it is built in. */
interface Source {
  readonly schema: StreamSchema;
  subscribe(inst: InstanceScope, p: Processor<StreamEvent>): void;
}

function sourceOf(input: SingleInput, ctx: PlanContext, element: string): Source {
  const name = input.stream;
  const stream = ctx.catalog.streams.get(name);
  if (stream) return { schema: stream, subscribe: (inst, p) => inst.read(name, p) };
  const window = ctx.catalog.windows.get(name);
  if (window) return { schema: window, subscribe: (inst, p) => inst.readWindow(name, p) };
  if (ctx.catalog.tables.has(name)) {
    throw planErrorAt(element, `table '${name}' cannot be read as a stream`, input.loc,
      `join it with a stream (from S join ${name} on …), or test it with 'in ${name}'`);
  }
  throw planErrorAt(element, `stream '${name}' is not defined`, input.loc,
    faultStreamHint(name, ctx) ?? describeAlternatives(name, readableNames(ctx)));
}

function innerSourceOf(input: SingleInput, ctx: PlanContext, element: string): Source {
  const { inner } = ctx.catalog;
  if (!inner) throw planErrorAt(element, `inner stream '#${input.stream}' is only valid inside a partition`, input.loc);
  const schema = inner.get(input.stream);
  if (!schema) {
    throw planErrorAt(element, `inner stream '#${input.stream}' is not defined`, input.loc, 'a query of the partition inserts into it before it is read');
  }
  const name = input.stream;
  return { schema, subscribe: (inst, p) => inst.inner!.get(name).subscribe(p) };
}

interface HandlerContext {
  readonly ctx: PlanContext;
  readonly scope: Scope;
  readonly schema: StreamSchema;
  readonly element: string;
  readonly id: string;
  readonly hasWindow: boolean;
}

function planHandler(h: StreamHandler, position: number, hc: HandlerContext): StageBlueprint {
  switch (h.kind) {
    case 'filter': {
      const cond = compileCondition(h.condition, hc.scope, 'a filter');
      return { schema: hc.schema, window: false, build: (inst) => new Filter(evaluatorIn(cond, instanceEnv(inst)), cond.js) };
    }
    case 'window': {
      if (hc.hasWindow) throw planErrorAt(hc.element, 'a stream can have only one window', h.loc);
      return { schema: hc.schema, window: true, build: windowFactory(h.call, position, hc) };
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

/** Compiles a window's arguments once; the factory makes one window per instance. */
function windowFactory(call: WindowCall, position: number, hc: HandlerContext): (inst: InstanceScope) => Window {
  const { name, kind } = lookUpWindow(call, hc.element);
  const args = planWindowArgs(call.args, hc.scope);
  const { schema, element, ctx } = hc;
  // Not `hc`: what the closures here capture lives as long as the window, and the handler's scope need not.
  const condition: WindowExpressionOptions = { schema, element, loc: call.loc, functions: currentAppFunctions() };
  const shared: WindowPlanContext = {
    id: `${hc.id}/${position}:window.${name}`,
    attributes: schema.attributes,
    element,
    loc: call.loc,
    checkCondition: (text) => checkWindowExpression(text, condition),
    // Only a partition's queries are planned with `#inner` streams.
    perKey: ctx.catalog.inner !== undefined,
  };
  const conditions = (text: string, env: ExpressionEnv) => compileWindowExpression(text, condition, env);
  const factoryIn = planWindowCall(kind, args, shared);
  return (inst) => factoryIn(instanceEnv(inst))(new InstanceWindowContext(shared, inst.scheduler, inst.cells, conditions));
}

/**
 * A window call planned once (its arguments checked now), and its factory in
 * an instance's env: the call is planned again there only when an argument
 * reads the clock. Query windows and named windows (plan-app) share it.
 */
export function planWindowCall(kind: WindowKind, args: readonly PlannedArg[], ctx: WindowPlanContext): (env: ExpressionEnv) => WindowFactory {
  const create = kind.plan(args, ctx);
  const linked = linkedArgs(args);
  return linked ? (env) => kind.plan(linked(env), ctx) : () => create;
}

/**
 * One instance's window context: its scheduler and registry, and the window
 * call's shared part (partition keys make one each: three fields, no
 * closures). One class for all windows: an `Object.create` of a prototype per
 * window call cost ~30 µs per query to plan, and windows read contexts of
 * thousands of shapes.
 */
class InstanceWindowContext implements WindowContext {
  constructor(
    private readonly shared: WindowPlanContext,
    readonly scheduler: Scheduler,
    private readonly cells: CellRegistry,
    private readonly conditions: (text: string, env: ExpressionEnv) => WindowCondition,
  ) {}

  get id(): string {
    return this.shared.id;
  }

  get attributes(): WindowContext['attributes'] {
    return this.shared.attributes;
  }

  get element(): string {
    return this.shared.element;
  }

  get loc(): WindowContext['loc'] {
    return this.shared.loc;
  }

  get compileCondition(): WindowContext['compileCondition'] {
    return (text) => this.conditions(text, this.scheduler);
  }

  get perKey(): boolean | undefined {
    return this.shared.perKey;
  }

  declare(cell: StateCell, part?: string): void {
    this.cells.register(part === undefined ? this.shared.id : `${this.shared.id}/${part}`, cell);
  }
}

/** A window's or stream function's arguments; an argument reading the clock keeps its compiled form for `linkedArgs`. */
export type PlannedArg = WindowArg & { readonly compiled?: CompiledExpression };

export function planWindowArgs(args: readonly Expression[], scope: Scope): PlannedArg[] {
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
      ...(c.link ? { compiled: c } : {}),
    };
  });
}

/** When an argument reads the clock: the arguments linked in an instance's env; else undefined. */
function linkedArgs(args: readonly PlannedArg[]): ((env: ExpressionEnv) => WindowArg[]) | undefined {
  if (!args.some((a) => a.compiled)) return undefined;
  return (env) => args.map((a) => (a.compiled ? { ...a, get: evaluatorIn(a.compiled, env) as (e: StreamEvent) => unknown } : a));
}

function planStreamFunction(h: Extract<StreamHandler, { kind: 'function' }>, position: number, hc: HandlerContext): StageBlueprint {
  const name = h.call.namespace ? `${h.call.namespace}:${h.call.name}` : h.call.name;
  const kind = lookUpIgnoringCase(STREAM_FUNCTION_KINDS, name);
  if (!kind) {
    // `#lengthBatch(10)`, as the reference's window docs write it, names a window without `window.`.
    // `#str:locate(str, '@x')`, as its docs write it, names a function, which maps values, not events.
    const hint = lookUp(WINDOW_KINDS, name) ? `'${name}' is a window: write #window.${name}(…)`
      : lookUpIgnoringCase(FUNCTION_KINDS, name) ? `'${name}' is a function, not a stream function: call it in select or a filter, e.g. select ${name}(…) as v`
        : describeAlternatives(name, STREAM_FUNCTION_NAMES);
    throw planErrorAt(hc.element, `unknown stream function '${name}'`, h.loc, hint);
  }
  const star: readonly Expression[] | undefined = h.call.star
    ? hc.schema.attributes.map((a) => ({ kind: 'variable', name: a.name, loc: h.call.loc }))
    : undefined;
  const args = planWindowArgs(star ?? h.call.args, hc.scope);
  const id = `${hc.id}/${position}:${kind.name}`;
  const planning = {
    id,
    attributes: hc.schema.attributes,
    element: hc.element,
    loc: h.loc,
  };
  const planned = kind.plan(args, planning);
  const { added } = planned;
  const schema = added.length === 0 ? hc.schema : new StreamSchema(hc.schema.name, [...hc.schema.attributes, ...added]);
  const linked = linkedArgs(args);
  // Arguments reading the clock: the call is planned again in each instance, with its clock.
  const plannedIn = linked ? (env: ExpressionEnv) => kind.plan(linked(env), planning) : () => planned;
  return { schema, window: false, build: (inst) => plannedIn(instanceEnv(inst)).build({
    scheduler: inst.scheduler, declare: declareIn(inst.cells, id), logger: inst.logger, appName: inst.appName,
  }) };
}

function isLiteral(e: Expression): boolean {
  return e.kind === 'constant' || e.kind === 'time' || (e.kind === 'unary' && e.op === '-' && isLiteral(e.operand));
}
