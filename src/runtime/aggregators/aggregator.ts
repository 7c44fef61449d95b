// The aggregator contract: SiddhiQL aggregators as data (`init/add/remove/value`)
// so sliding windows update incrementally. The selector planner looks kinds up
// in AGGREGATOR_KINDS (index.ts); the selector runs them per group.

import type { AttributeType } from '../../ast/index.js';
import type { Row } from '../event.js';
import type { CompiledExpression } from '../expression.js';

/**
 * One aggregator. `add`/`remove` may mutate the state and return it, or return
 * a new state (primitives). `save`/`load` turn a state holding Maps or class
 * instances into plain data for checkpoints; without them the state is plain.
 */
export interface AggregatorKind<S = any> {
  readonly name: string;
  /** Usage as documented, e.g. "sum(arg int|long|float|double) -> long|double". */
  readonly signature: string;
  /** The result type for these argument types; throws AggregatorUsageError. */
  resultType(argTypes: readonly AttributeType[]): AttributeType;
  init(): S;
  add(state: S, value: unknown): S;
  remove(state: S, value: unknown): S;
  value(state: S): unknown;
  save?(state: S): unknown;
  load?(raw: unknown): S;
  /**
   * Aggregators with constant extra arguments (str:groupConcat's separator,
   * math:percentile's p) return a kind specialised to them; called after resultType.
   */
  configure?(args: readonly CompiledExpression[]): AggregatorKind;
  /**
   * Aggregators of several per-event arguments (map:collect's key and value)
   * fold them into the one value add/remove see; called after configure.
   */
  argument?(args: readonly CompiledExpression[]): (row: Row) => unknown;
  /** Removal does not undo addition and a reset keeps the state (minForever, maxForever). */
  readonly forever?: boolean;
}

/** Thrown by `resultType` on misuse; the planner adds location and element. */
export class AggregatorUsageError extends Error {}

export const NUMERIC: readonly AttributeType[] = ['int', 'long', 'float', 'double'];

/** Checks arity and argument type, returning the single argument's type. */
export function expectOneOf(
  kind: AggregatorKind,
  argTypes: readonly AttributeType[],
  allowed: readonly AttributeType[],
): AttributeType {
  expectArgs(kind, argTypes, 1, 1);
  const t = argTypes[0]!;
  if (!allowed.includes(t)) {
    throw new AggregatorUsageError(
      `${kind.name}() does not accept ${t}; allowed argument types: ${allowed.join(', ')}; usage: ${kind.signature}`,
    );
  }
  return t;
}

export function expectArgs(kind: AggregatorKind, argTypes: readonly unknown[], min: number, max: number): void {
  const n = argTypes.length;
  if (n < min || n > max) {
    const want = min === max ? `exactly ${min}` : min === 0 ? `at most ${max}` : `${min} to ${max}`;
    throw new AggregatorUsageError(
      `${kind.name}() takes ${want} argument${max === 1 ? '' : 's'}, got ${n}; usage: ${kind.signature}`,
    );
  }
}

export function isNull(v: unknown): boolean {
  return v === null || v === undefined;
}

