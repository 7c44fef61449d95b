// Compiles the condition text of the expression windows against rows
// [event, first, last]: `price` reads the event, `first.price` / `last.price`
// the window's oldest / newest event, `eventTimestamp(first)` their times, and
// aggregator calls become slots the window updates as events enter and leave.
// Each window instance compiles its own (the slot values are its own), linked
// to its clock; planning compiles once more only to report errors.

import type { FunctionCall, Location, Variable } from '../ast/index.js';
import { SiddhiParseError } from '../errors.js';
import { parseExpression } from '../parser/index.js';
import { AGGREGATOR_KINDS, AggregatorUsageError } from '../runtime/aggregators/index.js';
import type { Row, StateEvent, StreamEvent } from '../runtime/event.js';
import type { WindowCondition } from '../runtime/operators/window-condition.js';
import { evaluatorIn, linkedIn, type ExpressionEnv } from '../runtime/expression.js';
import type { StreamSchema } from '../runtime/schema.js';
import type { FunctionKind } from '../runtime/functions/index.js';
import { withAppFunctions } from './app-functions.js';
import { compileExpression } from './compile-expression.js';
import { planErrorAt } from './plan-context.js';
import type { CompiledExpression, ResolvedVariable, Scope } from './scope.js';
import { describeAlternatives, lookUpIgnoringCase } from './suggest.js';

export interface WindowExpressionOptions {
  readonly schema: StreamSchema;
  readonly element: string;
  /**
   * The app's functions (currentAppFunctions() when planned): conditions are
   * compiled again per instance (a partition key's, on its first event) and
   * per new text (dynamic conditions), long after planning.
   */
  readonly functions: ReadonlyMap<string, FunctionKind>;
  /** Where the window's expression argument is, for errors. */
  readonly loc: Location;
}

const SLOT: Record<string, number> = { first: 1, last: 2 };

/** Reports the plan errors of a condition (WindowPlanContext.checkCondition). */
export function checkWindowExpression(text: string, o: WindowExpressionOptions): void {
  compileWindowExpression(text, o, NO_CLOCK);
}

/** A clock for checking only: nothing compiled against it is evaluated. */
const NO_CLOCK: ExpressionEnv = {
  now(): number {
    throw new Error('internal: a window condition compiled for checking was evaluated');
  },
};

/** Compiles a condition for one window instance, reading `env`'s clock. */
export function compileWindowExpression(text: string, o: WindowExpressionOptions, env: ExpressionEnv): WindowCondition {
  return withAppFunctions(o.functions, () => compileCondition(text, o, env));
}

function compileCondition(text: string, o: WindowExpressionOptions, env: ExpressionEnv): WindowCondition {
  let expr;
  try {
    expr = parseExpression(text);
  } catch (e) {
    const first = e instanceof SiddhiParseError ? e.problems[0]?.message : String(e);
    throw planErrorAt(o.element, `window expression '${text}' does not parse: ${first ?? ''}`, o.loc);
  }
  const slots: WindowCondition['slots'][number][] = [];
  const values: unknown[] = [];
  const names = o.schema.attributes.map((a) => a.name);
  const attribute = (slot: number, v: Variable): ResolvedVariable => {
    const index = o.schema.indexOf(v.name);
    if (index < 0) {
      throw planErrorAt(o.element, `window expression '${text}': no attribute '${v.name}'`, o.loc, describeAlternatives(v.name, names));
    }
    return { type: o.schema.attributes[index]!.type, get: (row: Row) => ((row as StateEvent).events[slot] as StreamEvent).data[index] };
  };
  const scope: Scope = {
    element: o.element,
    resolveVariable(v: Variable): ResolvedVariable {
      if (v.stream !== undefined) {
        const slot = SLOT[v.stream] ?? (v.stream === o.schema.name ? 0 : undefined);
        if (slot === undefined) throw planErrorAt(o.element, `window expression '${text}': unknown reference '${v.stream}', use first or last`, o.loc);
        return attribute(slot, v);
      }
      const slot = SLOT[v.name];
      if (slot !== undefined && o.schema.indexOf(v.name) < 0) {
        // `eventTimestamp(first)`: the event itself, as an object.
        return { type: 'object', get: (row: Row) => (row as StateEvent).events[slot] };
      }
      return attribute(0, v);
    },
    aggregate(call: FunctionCall, args: readonly CompiledExpression[]): CompiledExpression | undefined {
      const kind = lookUpIgnoringCase(AGGREGATOR_KINDS, call.namespace ? `${call.namespace}:${call.name}` : call.name);
      if (!kind) return undefined;
      let type;
      let bound = kind;
      try {
        type = kind.resultType(call.star ? [] : args.map((a) => a.type));
        if (kind.configure) bound = kind.configure(args);
      } catch (e) {
        if (e instanceof AggregatorUsageError) throw planErrorAt(o.element, `window expression '${text}': ${e.message}`, o.loc);
        throw e;
      }
      const i = slots.length;
      const linked = args.map((a) => linkedIn(a, env));
      slots.push({ kind: bound, arg: call.star ? undefined : (bound.argument?.(linked) ?? linked[0]?.evaluate) });
      return { type, evaluate: () => values[i], aggregated: true };
    },
  };
  const compiled = compileExpression(expr, scope);
  if (compiled.type !== 'bool') {
    throw planErrorAt(o.element, `window expression '${text}' must be a bool expression, but it is ${compiled.type}`, o.loc);
  }
  return { text, slots, values, evaluate: evaluatorIn(compiled, env) };
}
