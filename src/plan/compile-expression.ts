// Expression → typed closure, once per query at plan time. Type rules follow
// the reference: numeric promotion, 32-bit int and float, null propagation,
// comparisons with null are false except `!=`.

import { assertNever } from '../dispatch.js';
import type { AttributeType, BinaryExpression, Expression, FunctionCall, UnaryExpression } from '../ast/index.js';
import type { Row } from '../runtime/event.js';
import type { CompiledExpression, ExpressionEnv } from '../runtime/expression.js';
import { combine, constantExpression, linked, linkedIn, onlyFramed } from '../runtime/expression.js';
import { AGGREGATOR_KINDS } from '../runtime/aggregators/index.js';
import { FUNCTION_KINDS, FunctionUsageError } from '../runtime/functions/index.js';
import { STREAM_FUNCTION_NAMES } from '../runtime/operators/stream-functions.js';
import { isNumericType, widerNumeric } from '../runtime/values.js';
import { arithmetic, comparison } from './arithmetic.js';
import type { ResolvedVariable, Scope } from './scope.js';
import { planErrorAt } from './plan-context.js';
import { describeAlternatives, lookUpIgnoringCase } from './suggest.js';
import { appFunction, appFunctionNames } from './app-functions.js';

/** A resolved attribute read as a compiled expression (also `select *`'s outputs). */
export function compiledVariable(v: ResolvedVariable): CompiledExpression {
  const j = v.output;
  if (j !== undefined) return { type: v.type, ...linked((env) => { const frame = env.frame!; return () => frame.out[j]; }, true) };
  if (!v.attribute) return { type: v.type, evaluate: v.get, ...(v.js !== undefined ? { js: v.js } : {}) };
  // `d[i]` is JS over one stream's row; a join side's attribute is read from a pair, so it has none.
  return { type: v.type, evaluate: v.get, attribute: v.attribute, ...(v.attribute.side === undefined ? { js: `d[${v.attribute.index}]` } : {}) };
}

export function compileExpression(expr: Expression, scope: Scope): CompiledExpression {
  switch (expr.kind) {
    case 'constant':
      return constantExpression(expr.type, expr.type === 'float' ? Math.fround(expr.value as number) : expr.value);
    case 'time':
      return constantExpression('long', expr.millis);
    case 'variable':
      return compiledVariable(scope.resolveVariable(expr));
    case 'binary':
      return compileBinary(expr, scope);
    case 'unary':
      return compileUnary(expr, scope);
    case 'isNull': {
      const operand = compileExpression(expr.operand, scope);
      return fold({ type: 'bool', ...combine([operand], ([ev]) => (row) => ev!(row) == null) }, [operand]);
    }
    case 'in': {
      if (!scope.inTable) throw planErrorAt(scope.element, `'in ${expr.table}' is not available here`, expr.loc);
      return scope.inTable(expr.condition, expr.table, expr.loc);
    }
    case 'call':
      return compileCall(expr, scope);
    default:
      return assertNever(expr, 'expression');
  }
}

/** Compiles a condition (filter, having, on): it must be bool. */
export function compileCondition(expr: Expression, scope: Scope, what: string): CompiledExpression {
  const c = compileExpression(expr, scope);
  if (c.type !== 'bool') {
    throw planErrorAt(scope.element, `${what} must be a bool expression, but this one is ${c.type}`, expr.loc);
  }
  return c;
}

function compileBinary(expr: BinaryExpression, scope: Scope): CompiledExpression {
  const left = compileExpression(expr.left, scope);
  const right = compileExpression(expr.right, scope);
  const op = expr.op;
  let out: CompiledExpression;
  switch (op) {
    case 'and':
    case 'or': {
      if (left.type !== 'bool' || right.type !== 'bool') {
        // The query guide writes `1 hour and 25 minutes`; the reference's time values have no 'and'.
        const times = op === 'and' && expr.left.kind === 'time' && expr.right.kind === 'time';
        throw planErrorAt(scope.element, `'${op}' needs bool operands, got ${left.type} ${op} ${right.type}`, expr.loc,
          times ? "a time value lists its units without 'and', e.g. `1 hour 25 minutes`" : 'compare the attribute explicitly, e.g. `volume > 0`');
      }
      out = {
        type: 'bool',
        ...combine([left, right], op === 'and'
          ? ([l, r]) => (row) => l!(row) === true && r!(row) === true
          : ([l, r]) => (row) => l!(row) === true || r!(row) === true),
      };
      out = withSource(out, left.js !== undefined && right.js !== undefined
        ? `(${left.js} === true ${op === 'and' ? '&&' : '||'} ${right.js} === true)` : undefined);
      break;
    }
    case '==': case '!=': case '<': case '<=': case '>': case '>=': {
      const cmp = comparison(op, left.type, right.type);
      if (!cmp) throw planErrorAt(scope.element, `cannot compare ${left.type} ${op} ${right.type}`, expr.loc);
      out = withSource({ type: 'bool', ...combine([left, right], ([l, r]) => againstConstant(op, l!, right) ?? ((row) => cmp(l!(row), r!(row)))) },
        comparisonSource(op, left, right));
      break;
    }
    case '+': case '-': case '*': case '/': case '%': {
      if (!isNumericType(left.type) || !isNumericType(right.type)) {
        throw planErrorAt(scope.element, `'${op}' needs numeric operands, got ${left.type} ${op} ${right.type}`, expr.loc);
      }
      const type = widerNumeric(left.type, right.type);
      const fn = arithmetic(op, type);
      out = {
        type,
        ...combine([left, right], ([l, r]) => (row) => {
          const a = l!(row), b = r!(row);
          return a === null || a === undefined || b === null || b === undefined ? null : fn(a as number, b as number);
        }),
      };
      break;
    }
    default:
      return assertNever(op, 'operator');
  }
  return fold(out, [left, right]);
}

/**
 * `x > 5` and the like, the usual filter: one closure instead of three (the
 * comparison with a non-null constant needs only the left side's null check).
 */
function againstConstant(op: string, l: (row: Row) => unknown, right: CompiledExpression): ((row: Row) => boolean) | undefined {
  const k = right.constant?.value as number | null | undefined;
  if (k === null || k === undefined) return undefined;
  switch (op) {
    case '<': return (row) => { const a = l(row); return a !== null && a !== undefined && (a as number) < k; };
    case '<=': return (row) => { const a = l(row); return a !== null && a !== undefined && (a as number) <= k; };
    case '>': return (row) => { const a = l(row); return a !== null && a !== undefined && (a as number) > k; };
    case '>=': return (row) => { const a = l(row); return a !== null && a !== undefined && (a as number) >= k; };
    default: return undefined;
  }
}

/** Longer sources are left to the closures: comparisons repeat their operands. */
const MAX_SOURCE = 400;

function withSource(out: CompiledExpression, js: string | undefined): CompiledExpression {
  return js !== undefined && js.length <= MAX_SOURCE ? { ...out, js } : out;
}

/** The source of a comparison with the closure's semantics (null never compares), for operand types it need not special-case. */
function comparisonSource(op: string, left: CompiledExpression, right: CompiledExpression): string | undefined {
  const a = left.js, b = right.js;
  if (a === undefined || b === undefined || left.type === 'object' || right.type === 'object') return undefined;
  const ordered = op !== '==' && op !== '!=';
  if (ordered && !(isNumericType(left.type) && isNumericType(right.type))) return undefined;
  // A non-null literal needs no null check.
  const known = (e: CompiledExpression) => e.constant !== undefined && e.constant.value !== null && e.constant.value !== undefined;
  const nulls = [left, right].filter((e) => !known(e)).map((e) => e.js!);
  if (op === '!=') return `(${[...nulls.map((x) => `${x} == null`), `${a} !== ${b}`].join(' || ')})`;
  return `(${[...nulls.map((x) => `${x} != null`), `${a} ${op === '==' ? '===' : op} ${b}`].join(' && ')})`;
}

function compileUnary(expr: UnaryExpression, scope: Scope): CompiledExpression {
  const operand = compileExpression(expr.operand, scope);
  if (expr.op === 'not') {
    if (operand.type !== 'bool') throw planErrorAt(scope.element, `'not' needs a bool operand, got ${operand.type}`, expr.loc);
    return fold(withSource({ type: 'bool', ...combine([operand], ([ev]) => (row) => ev!(row) !== true) }, operand.js && `(${operand.js} !== true)`), [operand]);
  }
  if (!isNumericType(operand.type)) throw planErrorAt(scope.element, `'${expr.op}' needs a numeric operand, got ${operand.type}`, expr.loc);
  if (expr.op === '+') return operand;
  const neg = arithmetic('-', operand.type);
  return fold({
    type: operand.type,
    ...combine([operand], ([ev]) => (row) => {
      const v = ev!(row);
      return v === null || v === undefined ? null : neg(0, v as number);
    }),
  }, [operand]);
}

function compileCall(expr: FunctionCall, scope: Scope): CompiledExpression {
  const args = expr.star ? starArguments(expr, scope) : expr.args.map((a) => compileExpression(a, scope));
  if (scope.aggregate) {
    const agg = scope.aggregate(expr, args);
    if (agg) return agg;
  }
  const name = expr.namespace ? `${expr.namespace}:${expr.name}` : expr.name;
  const kind = appFunction(name) ?? lookUpIgnoringCase(FUNCTION_KINDS, name);
  if (!kind) {
    // `S[sum(price) > 1]`: an aggregate outside a selector (a filter, an on condition, a window argument).
    if (lookUpIgnoringCase(AGGREGATOR_KINDS, name)) {
      throw planErrorAt(scope.element, `aggregate function '${name}' cannot be used here`, expr.loc,
        'aggregates go in select; to filter on one, name it there and test it in having');
    }
    throw planErrorAt(scope.element, `unknown function '${name}'`, expr.loc, describeUnknownFunction(expr));
  }
  let planned;
  try {
    planned = kind.plan(args, PLANNING);
  } catch (e) {
    if (e instanceof FunctionUsageError) throw planErrorAt(scope.element, e.message, expr.loc);
    throw e;
  }
  // A call reading the clock or keeping state, or over an argument that reads the clock, is planned again in each instance it is linked in.
  const clock = typeof kind.readsClock === 'function' ? kind.readsClock(args) : kind.readsClock === true;
  const own = clock || kind.keepsState === true;
  const out: CompiledExpression = own || args.some((a) => a.link !== undefined)
    ? { type: planned.type, ...linked((env) => kind.plan(args.map((a) => linkedIn(a, env)), env).evaluate, !own && onlyFramed(args)) }
    : { type: planned.type, evaluate: planned.evaluate };
  return kind.pure ? fold(out, args) : out;
}

/** The clock of a call planned only for its checks: a kind reading it must say so (FunctionKind.readsClock) and is linked. */
const PLANNING: ExpressionEnv = {
  now(): number {
    throw new Error('internal: a function read the clock without declaring readsClock');
  },
};

/** The hint of an unknown function: close names, the namespace's functions, and how to add one's own. */
function describeUnknownFunction(expr: FunctionCall): string {
  const names = [...Object.keys(FUNCTION_KINDS), ...Object.keys(AGGREGATOR_KINDS), ...appFunctionNames()];
  const own = "to use a function of your own, register it with manager.setFunction('ns:name', …)";
  const namespaces = [...new Set(names.filter((n) => n.includes(':')).map((n) => n.slice(0, n.indexOf(':'))))].sort();
  if (expr.namespace === undefined) return `${describeAlternatives(expr.name, names.filter((n) => !n.includes(':')))}; extension namespaces: ${namespaces.join(', ')}; ${own}`;
  const inNamespace = names.filter((n) => n.startsWith(`${expr.namespace}:`));
  const name = `${expr.namespace}:${expr.name}`;
  const streamFn = STREAM_FUNCTION_NAMES.includes(name) ? `'${name}' is a stream processor: write it after the stream, e.g. from S#${name}(…); ` : '';
  if (inNamespace.length === 0) return `${streamFn}no namespace '${expr.namespace}'; namespaces: ${namespaces.join(', ')}; ${own}`;
  return `${streamFn}${describeAlternatives(name, inNamespace)}; ${own}`;
}

function starArguments(expr: FunctionCall, scope: Scope): CompiledExpression[] {
  if (!scope.allAttributes) throw planErrorAt(scope.element, `'${expr.name}(*)' is not available here`, expr.loc);
  return scope.allAttributes().map((v) => ({ type: v.type, evaluate: v.get, ...(v.attribute ? { attribute: v.attribute } : {}) }));
}

/** Evaluates once at plan time when every input is a constant; a failure is left for run time, as in the reference. */
function fold(out: CompiledExpression, inputs: readonly CompiledExpression[]): CompiledExpression {
  if (inputs.length > 0 && inputs.every((i) => i.constant)) {
    let value: unknown;
    try {
      value = out.evaluate(undefined as unknown as Row);
    } catch {
      return out;
    }
    return constantExpression(out.type, value);
  }
  if (inputs.some((i) => i.aggregated)) return { ...out, aggregated: true };
  return out;
}

export type { AttributeType };
