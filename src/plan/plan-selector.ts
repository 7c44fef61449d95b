// Plans a query's selector: output attributes, aggregator slots (through the
// scope's `aggregate` hook), group by, having, order by, offset/limit, and the
// output rate limiter behind it. Called by plan-query.ts.

import type {
  Expression, FunctionCall, Location, OrderByAttribute, OutputEventType, OutputRate, Selector as SelectorAst, Variable,
} from '../ast/index.js';
import { AGGREGATOR_KINDS, AggregatorUsageError } from '../runtime/aggregators/index.js';
import type { Scheduler } from '../runtime/clock.js';
import type { Row } from '../runtime/event.js';
import { evaluatorIn, instanceEnv, linked as linkedRead, linkedIn, UNLINKED, type CompiledExpression, type ExpressionEnv } from '../runtime/expression.js';
import type { ScriptScope } from '../runtime/functions/script-scope.js';
import type { InMemoryTable } from '../runtime/operators/table/in-memory-table.js';
import type { Linked, Processor } from '../runtime/processor.js';
import type { AttributeSchema } from '../runtime/schema.js';
import { AggregateCell, type AggregatorSlot, AggregateStore, type SelectorFrame } from '../runtime/operators/selector-groups.js';
import { compareFor, type OrderKey } from '../runtime/operators/selector-order.js';
import { Selector, type SelectorConfig, type SelectorMode } from '../runtime/operators/selector.js';
import type { CellRegistry, CellSignature } from '../runtime/instance.js';
import { compileCondition, compileExpression, compiledVariable } from './compile-expression.js';
import { planErrorAt } from './plan-context.js';
import { planOutputRate } from './plan-output-rate.js';
import { signatureOf, signedCells } from './cell-signature.js';
import type { ResolvedVariable, Scope } from './scope.js';
import { lookUpIgnoringCase } from './suggest.js';

export interface SelectorPlanOptions {
  readonly selector: SelectorAst;
  readonly outputRate?: OutputRate;
  /** Resolves input attributes (stream, join or pattern rows). */
  readonly scope: Scope;
  /** Resolves input attributes for `having` when they differ (a pattern's counting states); default `scope`. */
  readonly havingScope?: Scope;
  /**
   * `scope` with attributes as JavaScript over the input as its runtime's
   * generated code holds it (a pattern's match): a plain selector's outputs
   * are compiled again in it, for that code to project them itself (SelectorConfig.inputSources).
   */
  readonly sourceScope?: Scope;
  /** The input attributes in order, for `select *`. */
  readonly inputSchema: readonly AttributeSchema[];
  /** From `insert [all|current|expired] events into`. */
  readonly outputEvents: OutputEventType;
  /** For messages: "query 'q1'". */
  readonly element: string;
  readonly cells: CellRegistry;
  /** Stable state id prefix, e.g. `q1/selector`; the rate limiter uses `<id>/rate`. */
  readonly id: string;
  /** The input's cell signature: the selector's state means what its input means, plus its aggregators and keys. */
  readonly signature?: CellSignature;
  readonly scheduler: Scheduler;
  /** The input keeps a window, so expired rows leave an `output snapshot` picture. */
  readonly windowed?: boolean;
}

export interface PlannedSelector {
  /** Output attributes (names and types). */
  readonly schema: readonly AttributeSchema[];
  /** Where input rows go. */
  readonly head: Processor<Row>;
  /** The last operator (selector or rate limiter): link its `next` to the output. */
  readonly tail: Linked;
}

/**
 * A selector compiled once: `build` makes one running copy (selector, its
 * aggregates cell, rate limiter) in an instance. Copies share the compiled
 * closures that read neither the clock nor the frame; each has a frame of its
 * own, so an evaluation re-entering another copy (a function sending into
 * another runtime of the plan, or partition key) leaves this one's frame alone.
 */
export interface SelectorBlueprint {
  readonly schema: readonly AttributeSchema[];
  build(inst: { readonly cells: CellRegistry; readonly scheduler: Scheduler; readonly tables?: ReadonlyMap<string, InMemoryTable>; readonly scripts?: ScriptScope }): Omit<PlannedSelector, 'schema'>;
}

/** Compiles and builds one selector in `o.cells` (on-demand queries, aggregations). */
export function planSelector(o: SelectorPlanOptions): PlannedSelector {
  const blueprint = compileSelector(o);
  return { schema: blueprint.schema, ...blueprint.build(o) };
}

/** What compiling needs: the clock and the cells come with the instance a selector is built in. */
type SelectorCompileOptions = Omit<SelectorPlanOptions, 'scheduler' | 'cells'>;

export function compileSelector(o: SelectorCompileOptions): SelectorBlueprint {
  const ast = o.selector;
  const slots: AggregatorSlot[] = [];
  const calls: FunctionCall[] = [];
  const linkedSlots = new Map<number, (env: ExpressionEnv) => AggregatorSlot>();
  const scope = withAggregates(o.scope, o.element, { slots, calls, linkedSlots });

  const outputs = planOutputs(o, scope);
  const schema = outputs.map((x) => ({ name: x.name, type: x.compiled.type }));
  const keyExpressions = ast.groupBy.map((v) => compileExpression(v, o.scope));
  const keyGetters = keyExpressions.map((k) => k.evaluate);
  const havingCompiled = ast.having
    ? compileCondition(ast.having, selectorScope(
      o.havingScope ? withAggregates(o.havingScope, o.element, { slots, calls, linkedSlots }) : scope, schema,
    ), 'having')
    : undefined;
  const having = havingCompiled?.evaluate;
  const order = planOrderBy(ast.orderBy, o.scope, schema);
  const offset = ast.offset ? planRowCount(ast.offset, o.scope, 'offset', o.element) : 0;
  const limit = ast.limit ? planRowCount(ast.limit, o.scope, 'limit', o.element) : Infinity;

  const rate = o.outputRate;
  if (rate?.kind === 'snapshot' && o.outputEvents !== 'all') {
    throw planErrorAt(o.element, `'output snapshot' needs 'insert all events into', not '${o.outputEvents} events'`, rate.loc);
  }
  const grouped = keyGetters.length > 0;
  const aggregated = slots.length > 0;
  // Snapshot rate limiting watches every row; otherwise a chunk collapses to its last row (per group).
  const mode: SelectorMode = rate?.kind === 'snapshot' ? 'rows' : grouped ? 'groups' : aggregated ? 'last' : 'rows';
  const signature = signatureOf('selector', o.signature, calls, ast.groupBy);
  // Compiled a second time only for a plain projection (no aggregators): the first pass planned every check.
  const sourceScope = o.sourceScope;
  const inputSources = sourceScope === undefined || aggregated || grouped ? undefined
    : planOutputs({ ...o, scope: sourceScope }, sourceScope).map((x) => x.compiled.js);
  const config = {
    mode,
    projections: outputs.map((x) => x.compiled.evaluate),
    outputs: outputs.map((x) => x.compiled),
    ...(inputSources ? { inputSources } : {}),
    keys: keyExpressions,
    ...(grouped ? { groupKey: groupKeyOf(keyGetters) } : {}),
    ...(having ? { having } : {}),
    order,
    offset,
    limit,
    current: o.outputEvents !== 'expired',
    expired: o.outputEvents !== 'current',
  };
  const shape = {
    windowed: o.windowed ?? false,
    grouped,
    aggregatePositions: outputs.flatMap((x, i) => (x.compiled.aggregated ? [i] : [])),
    outputSize: outputs.length,
  };
  // The limiter holds output rows: their schema and the rate define its state.
  const rateSignature = rate === undefined ? undefined : signatureOf('rate', signature, rate, schema, o.outputEvents);
  const limiterOf = rate === undefined ? undefined : planOutputRate(rate, { element: o.element, grouped, shape });
  // Expressions reading the clock or the frame (aggregator values, `having` over output names) are linked in
  // each instance, with a frame of its own; the others keep the closures above, shared.
  const reads = [...outputs.map((x) => x.compiled), ...keyExpressions, ...(havingCompiled ? [havingCompiled] : [])];
  const linked = linkedSlots.size > 0 || reads.some((c) => c.link !== undefined);
  const linkIn = (env: ExpressionEnv & { readonly frame: SelectorFrame }): { config: SelectorConfig; slots: AggregatorSlot[] } => {
    const outs = outputs.map((x) => linkedIn(x.compiled, env));
    const keys = keyExpressions.map((k) => linkedIn(k, env));
    return {
      config: {
        ...config,
        frame: env.frame,
        projections: outs.map((x) => x.evaluate),
        outputs: outs,
        keys,
        ...(grouped ? { groupKey: groupKeyOf(keys.map((k) => k.evaluate)) } : {}),
        ...(havingCompiled ? { having: evaluatorIn(havingCompiled, env) } : {}),
      },
      slots: slots.map((s, i) => linkedSlots.get(i)?.(env) ?? s),
    };
  };
  return {
    schema,
    build(inst) {
      const own = linked ? linkIn(frameEnv(inst)) : { config: { ...config, frame: { values: [], out: [] } }, slots };
      const aggregates = aggregated
        ? new AggregateStore(own.slots, own.config.frame, new AggregateCell(grouped ? 'selector.groupBy' : 'selector.aggregates', own.slots))
        : undefined;
      if (aggregates) inst.cells.register(o.id, aggregates.cell, signature);
      const selector = new Selector(own.config, aggregates);
      if (limiterOf === undefined || rateSignature === undefined) return { head: selector, tail: selector };
      const limiter = limiterOf({ id: `${o.id}/rate`, cells: signedCells(inst.cells, rateSignature), scheduler: inst.scheduler });
      selector.next = limiter;
      return { head: selector, tail: limiter };
    },
  };
}

/** The instance's env with a new frame: each build of a selector evaluates in a frame of its own. */
function frameEnv(inst: Parameters<SelectorBlueprint['build']>[0]): ExpressionEnv & { readonly frame: SelectorFrame } {
  // instanceEnv sets `frame` when it is given one.
  return instanceEnv(inst, { values: [], out: [] }) as ExpressionEnv & { readonly frame: SelectorFrame };
}

interface PlannedOutput {
  readonly name: string;
  readonly compiled: CompiledExpression;
}

function planOutputs(o: SelectorCompileOptions, scope: Scope): PlannedOutput[] {
  if (o.selector.star) {
    const all = o.scope.allAttributes?.();
    return o.inputSchema.map((a, i) => {
      const v = all?.[i] ?? o.scope.resolveVariable({ kind: 'variable', name: a.name, loc: o.selector.loc });
      return { name: a.name, compiled: compiledVariable(v) };
    });
  }
  const seen = new Set<string>();
  return o.selector.attributes.map((a) => {
    const name = a.rename ?? (a.expression.kind === 'variable' ? a.expression.name : undefined);
    if (name === undefined) {
      throw planErrorAt(o.element, `this output expression needs a name`, a.loc, "add 'as <name>'");
    }
    if (seen.has(name)) throw planErrorAt(o.element, `output attribute '${name}' is selected twice`, a.loc);
    seen.add(name);
    return { name, compiled: compileExpression(a.expression, scope) };
  });
}

/** The input scope plus the aggregator hook: each call gets a slot read through the frame. */
function withAggregates(
  input: Scope, element: string,
  found: { slots: AggregatorSlot[]; calls: FunctionCall[]; linkedSlots: Map<number, (env: ExpressionEnv) => AggregatorSlot> },
): Scope {
  const { slots, calls, linkedSlots } = found;
  return {
    ...delegate(input),
    aggregate(call: FunctionCall, args: readonly CompiledExpression[]): CompiledExpression | undefined {
      const kind = lookUpIgnoringCase(AGGREGATOR_KINDS, call.namespace ? `${call.namespace}:${call.name}` : call.name);
      if (!kind) return undefined;
      if (args.some((a) => a.aggregated)) {
        throw planErrorAt(element, `aggregator calls cannot be nested inside ${kind.name}()`, call.loc);
      }
      let type;
      let bound = kind;
      try {
        type = kind.resultType(call.star ? [] : args.map((a) => a.type));
        if (kind.configure) bound = kind.configure(args);
      } catch (e) {
        if (e instanceof AggregatorUsageError) throw planErrorAt(element, e.message, call.loc);
        throw e;
      }
      const i = slots.length;
      const arg = call.star ? undefined : args[0];
      const folded = call.star ? undefined : bound.argument?.(args);
      if (folded !== undefined) slots.push({ kind: bound, arg: folded });
      else slots.push({ kind: bound, arg: arg?.evaluate, ...(arg?.js !== undefined ? { argSource: arg.js } : {}) });
      if (!call.star && args.some((a) => a.link !== undefined)) {
        // An argument reading the clock: the slot's argument is made again in each instance.
        linkedSlots.set(i, (env) => {
          const own = args.map((a) => linkedIn(a, env));
          return { kind: bound, arg: bound.argument?.(own) ?? own[0]?.evaluate };
        });
      }
      calls.push(call);
      // Read from the frame of the build the selector is linked in (a frame per instance: evaluation may re-enter another's).
      return { type, ...linkedRead((env) => { const values = env.frame!.values; return () => values[i]; }, true), aggregated: true, slot: i };
    },
  };
}

/** The scope's members as closures (the scope may be a class instance). */
function delegate(input: Scope): Scope {
  return {
    element: input.element,
    resolveVariable: (v: Variable) => input.resolveVariable(v),
    ...(input.inTable ? { inTable: (c: Expression, t: string, l: Location) => input.inTable!(c, t, l) } : {}),
    ...(input.allAttributes ? { allAttributes: () => input.allAttributes!() } : {}),
  };
}

/** Group keys are strings so that they survive checkpoints; several attributes join with a separator. */
export function groupKeyOf(getters: readonly ((row: Row) => unknown)[]): (row: Row) => string {
  const part = (v: unknown): string => (v === null || v === undefined ? '\u0000' : String(v));
  if (getters.length === 1) {
    const g = getters[0]!;
    return (row) => part(g(row));
  }
  return (row) => {
    let key = part(getters[0]!(row));
    for (let i = 1; i < getters.length; i++) key += '\u001f' + part(getters[i]!(row));
    return key;
  };
}

function outputIndex(v: Variable, schema: readonly AttributeSchema[]): number {
  if (v.stream !== undefined || v.index !== undefined || v.inner) return -1;
  return schema.findIndex((a) => a.name === v.name);
}

/** A scope for `having`: an output name (alias) wins over an input attribute of the same name. */
function selectorScope(scope: Scope, schema: readonly AttributeSchema[]): Scope {
  return {
    ...delegate(scope),
    ...(scope.aggregate ? { aggregate: scope.aggregate } : {}),
    resolveVariable(v: Variable): ResolvedVariable {
      const j = outputIndex(v, schema);
      if (j < 0) return scope.resolveVariable(v);
      return { type: schema[j]!.type, get: UNLINKED, output: j };
    },
  };
}

function planOrderBy(keys: readonly OrderByAttribute[], scope: Scope, schema: readonly AttributeSchema[]): OrderKey[] {
  return keys.map((k) => {
    const descending = k.order === 'desc';
    const j = outputIndex(k.variable, schema);
    if (j >= 0) return { get: (data) => data[j], compare: compareFor(schema[j]!.type), descending };
    const r = scope.resolveVariable(k.variable);
    const get = r.get;
    return { get: (_data, row) => get(row), compare: compareFor(r.type), descending };
  });
}

/** `limit` / `offset`: a constant, non-negative integer. */
function planRowCount(expr: Expression, scope: Scope, what: string, element: string): number {
  const c = compileExpression(expr, scope);
  const v = c.constant?.value;
  if ((c.type !== 'int' && c.type !== 'long') || typeof v !== 'number' || !Number.isInteger(v)) {
    throw planErrorAt(element, `'${what}' needs a constant int or long`, expr.loc);
  }
  if (v < 0) throw planErrorAt(element, `'${what}' cannot be negative, got ${v}`, expr.loc);
  return v;
}
