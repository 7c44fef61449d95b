// The equality a fused join kernel looks rows up by (runtime/operators/join/join-kernel.ts):
// a top-level conjunct `l.x == r.y` of the join's `on`, x an attribute of the
// left side and y of the right, both strings, both bools or both numbers (only
// same-kind values key alike in a Map, as they compare under `==`).

import type { AttributeType, Expression } from '../ast/index.js';
import type { JoinScope } from './join-scope.js';
import type { StreamSchema } from '../runtime/schema.js';

export interface JoinKey {
  /** The key attribute's position on the left and on the right. */
  readonly keys: readonly [number, number];
  /** The equality is the whole condition: a Map hit needs no further test. */
  readonly whole: boolean;
  /** Strings or bools: `==` is exactly Map key equality (numbers differ on NaN). */
  readonly exact: boolean;
}

type KeyKind = 'string' | 'bool' | 'number' | undefined;

const KIND: Record<AttributeType, KeyKind> = {
  string: 'string', bool: 'bool', int: 'number', long: 'number', float: 'number', double: 'number', object: undefined,
};

export function joinKey(on: Expression | undefined, scope: JoinScope, sides: readonly [StreamSchema, StreamSchema]): JoinKey | undefined {
  if (on === undefined) return undefined;
  const found = conjuncts(on).map((e) => keyOf(e, scope, sides)).find((k) => k !== undefined);
  return found && { ...found, whole: conjuncts(on).length === 1 };
}

function conjuncts(e: Expression): Expression[] {
  return e.kind === 'binary' && e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

function keyOf(e: Expression, scope: JoinScope, sides: readonly [StreamSchema, StreamSchema]): Omit<JoinKey, 'whole'> | undefined {
  if (e.kind !== 'binary' || e.op !== '==' || e.left.kind !== 'variable' || e.right.kind !== 'variable') return undefined;
  const a = scope.sideOf(e.left);
  const b = scope.sideOf(e.right);
  if (a === undefined || b === undefined || a.side === b.side) return undefined;
  const [l, r] = a.side === 0 ? [a, b] : [b, a];
  const kind = KIND[sides[0].attributes[l.index]!.type];
  if (kind === undefined || kind !== KIND[sides[1].attributes[r.index]!.type]) return undefined;
  return { keys: [l.index, r.index], exact: kind !== 'number' };
}
