// Reading an aggregation: `within start[, end] per duration` compiled against
// the reader's scope (a join's stream side, or nothing for on-demand queries)
// into a Findable whose rows are the aggregation's buckets in that range. A
// constant `within`/`per` is checked at plan time, others when they are read.
// Compiled against the aggregation's spec; each instance binds its own Aggregation.

import type { AttributeType, Expression, Location, WithinPer } from '../ast/index.js';
import { SiddhiRuntimeError } from '../errors.js';
import type { Row } from '../runtime/event.js';
import type { Findable } from '../runtime/operators/find/findable.js';
import { parseTimeString, parseWithinPattern, perDuration, TIME_FORMATS, WITHIN_PATTERNS } from '../runtime/operators/aggregation/bucket-time.js';
import { compileExpression } from './compile-expression.js';
import { planErrorAt } from './plan-context.js';
import type { AggregationSpec } from './catalog.js';
import type { Aggregation } from '../runtime/operators/aggregation/aggregation.js';
import type { Scope } from './scope.js';
import { evaluatorIn, type Evaluate, type ExpressionEnv } from '../runtime/expression.js';

/** The rows of an aggregation for the probing row `row` (undefined for on-demand queries). */
export type AggregationRead = (row: Row | undefined) => Findable;

/** A read planned once: given an instance's Aggregation and clock (`within`/`per` may read it), the rows it selects there. */
export type PlannedAggregationRead = (aggregation: Aggregation, env: ExpressionEnv) => AggregationRead;

export function planAggregationRead(
  name: string, planned: AggregationSpec, within: WithinPer | undefined, scope: Scope, at: Location,
): PlannedAggregationRead {
  const element = scope.element;
  if (!within) throw planErrorAt(element, `reading aggregation '${name}' needs 'within <start>, <end>' (or one pattern such as '2017-06-** **:**:**')`, at);
  if (!within.per) throw planErrorAt(element, `reading aggregation '${name}' needs 'per <duration>' (e.g. per 'hours')`, within.loc);
  const { durations } = planned;
  const per = compileExpression(within.per, scope);
  if (per.type !== 'string') throw planErrorAt(element, `'per' must be a string such as 'hours', not ${per.type}`, within.per.loc);
  const perIn = (perText: Evaluate) => (row: Row | undefined) => {
    const text = perText(row as Row) as string;
    const d = perDuration(String(text));
    if (d === undefined) return { error: `'per ${text}' is not a duration; use seconds, minutes, hours, days, months or years` };
    if (!durations.includes(d)) return { error: `aggregation '${name}' does not aggregate per ${d}; it keeps ${durations.join(', ')}` };
    return { duration: d };
  };
  const range = planRange(within, scope, element);
  // As the reference: a constant `per` must name a duration at plan time; whether the aggregation keeps it is checked per read.
  if (per.constant && perDuration(String(per.constant.value)) === undefined) throw planErrorAt(element, perIn(per.evaluate)(undefined).error!, within.per.loc);
  if (range.constant && 'error' in range.constant) throw planErrorAt(element, range.constant.error, within.loc);
  return (aggregation, env) => {
    const perOf = perIn(evaluatorIn(per, env));
    const rangeOf = range.in(env);
    return (row) => ({
      scan(visit) {
        const p = perOf(row);
        if ('error' in p) throw new SiddhiRuntimeError(`${element}: ${p.error}`);
        const r = rangeOf(row);
        if ('error' in r) throw new SiddhiRuntimeError(`${element}: ${r.error}`);
        for (const e of aggregation.read(r.from, r.to, p.duration!)) visit(e);
      },
    });
  };
}

type RangeResult = { readonly from: number; readonly to: number } | { readonly error: string };

interface PlannedRange {
  /** The range of a row, with the bounds read in `env` (linked when one reads the clock). */
  in(env: ExpressionEnv): (row: Row | undefined) => RangeResult;
  /** The result when both bounds are constants. */
  readonly constant?: RangeResult;
}

const BOUND_TYPES = new Set<AttributeType>(['string', 'long', 'int']);

function planRange(within: WithinPer, scope: Scope, element: string): PlannedRange {
  const start = compileBound(within.start, scope, element);
  if (!within.end) {
    if (start.type !== 'string') throw planErrorAt(element, `a single 'within' value must be a string pattern, not ${start.type}`, within.start.loc, WITHIN_PATTERNS);
    const ofIn = (startOf: Evaluate) => (row: Row | undefined): RangeResult => {
      const text = String(startOf(row as Row));
      const r = parseWithinPattern(text);
      return r ? { from: r[0], to: r[1] } : { error: `within '${text}' is not ${WITHIN_PATTERNS}` };
    };
    return { in: (env) => ofIn(evaluatorIn(start, env)), ...(start.constant ? { constant: ofIn(start.evaluate)(undefined) } : {}) };
  }
  const end = compileBound(within.end, scope, element);
  const ofIn = (startOf: Evaluate, endOf: Evaluate) => (row: Row | undefined): RangeResult => {
    const from = timeOf(startOf(row as Row));
    const to = timeOf(endOf(row as Row));
    if (typeof from === 'string') return { error: from };
    if (typeof to === 'string') return { error: to };
    if (!(from < to)) return { error: `the start of 'within' (${from}) must be before its end (${to})` };
    return { from, to };
  };
  return {
    in: (env) => ofIn(evaluatorIn(start, env), evaluatorIn(end, env)),
    ...(start.constant && end.constant ? { constant: ofIn(start.evaluate, end.evaluate)(undefined) } : {}),
  };
}

function compileBound(e: Expression, scope: Scope, element: string) {
  const c = compileExpression(e, scope);
  if (!BOUND_TYPES.has(c.type)) throw planErrorAt(element, `'within' takes epoch milliseconds (long) or time strings, not ${c.type}`, e.loc);
  return c;
}

/** Epoch ms of a bound, or the error message. */
function timeOf(v: unknown): number | string {
  if (typeof v === 'number') return v;
  const t = typeof v === 'string' ? parseTimeString(v) : undefined;
  return t ?? `within '${String(v)}' is not epoch milliseconds or ${TIME_FORMATS}`;
}
