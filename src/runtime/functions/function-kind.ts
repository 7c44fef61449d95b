// The function registry's entry shape. A kind checks its argument types at
// plan time and returns one closure; the hot path never sees the registry.

import type { AttributeType } from '../../ast/index.js';
import type { Row } from '../event.js';
import type { CompiledExpression, ExpressionEnv } from '../expression.js';

/** What `plan` may read at run time: the clock of the instance the call is linked in (only kinds with `readsClock`). */
export type FunctionContext = ExpressionEnv;

export interface PlannedFunction {
  readonly type: AttributeType;
  readonly evaluate: (row: Row) => unknown;
}

export interface FunctionKind {
  readonly name: string;
  readonly signature: string;
  /** False for functions whose value changes between calls (UUID, clock): never folded. */
  readonly pure: boolean;
  /**
   * True (or true for these arguments) when the closure reads `ctx.now()`:
   * such a call is planned again in each instance with that instance's clock
   * (CompiledExpression.link); other calls never read `ctx` at run time.
   */
  readonly readsClock?: boolean | ((args: readonly CompiledExpression[]) => boolean);
  /**
   * True when the closure keeps state between calls (math:rand's generator):
   * state belongs to instances, so such a call is planned again in each
   * instance it is linked in, as a clock-reading one, and a plan built twice
   * gives each runtime its own.
   */
  readonly keepsState?: boolean;
  plan(args: readonly CompiledExpression[], ctx: FunctionContext): PlannedFunction;
}

/** Thrown by `plan` on misuse; the compiler adds the location and the element. */
export class FunctionUsageError extends Error {}

export function expectArity(kind: FunctionKind, args: readonly unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new FunctionUsageError(`${kind.name}() takes ${want} argument(s), got ${args.length}; usage: ${kind.signature}`);
  }
}

/** A `null` literal (or a constant folded to null): it fits an argument of any type. */
export function isNullConstant(arg: CompiledExpression): boolean {
  return arg.constant !== undefined && arg.constant.value === null;
}

/**
 * The one type of `args`, ignoring null constants, so `coalesce(null, 76, 567)`
 * is an int and `ifThenElse(c, null, name)` a string; all null is object.
 */
export function expectSameTypes(kind: FunctionKind, args: readonly CompiledExpression[]): AttributeType {
  const typed = args.filter((a) => !isNullConstant(a));
  const first = (typed[0] ?? args[0]!).type;
  for (let i = 1; i < typed.length; i++) {
    if (typed[i]!.type !== first) {
      throw new FunctionUsageError(
        `${kind.name}() needs arguments of one type, got ${args.map((a) => a.type).join(', ')}; usage: ${kind.signature}`,
      );
    }
  }
  return first;
}

/** A constant string argument such as the type name of cast(x, 'double'). */
export function expectConstantString(kind: FunctionKind, arg: CompiledExpression, what: string): string {
  if (!arg.constant || typeof arg.constant.value !== 'string') {
    throw new FunctionUsageError(`${kind.name}() needs ${what} as a constant string; usage: ${kind.signature}`);
  }
  return arg.constant.value;
}
