// The equality a fused join kernel looks rows up by (runtime/operators/join/join-kernel.ts):
// a top-level conjunct `l.x == r.y` of the join's `on`, x an attribute of the
// left side and y of the right, both strings, both bools or both numbers (only
// same-kind values key alike in a Map, as they compare under `==`).

import type { AttributeType, Expression } from '../ast/index.js';
import type { JoinScope } from './join-scope.js';
import type { StreamSchema } from '../runtime/schema.js';
import { conjuncts } from './conjuncts.js';

export interface JoinKey {
  /** The key attribute's position on the left and on the right. */
  readonly keys: readonly [number, number];
  /** The equality is the whole condition: a Map hit needs no further test. */
  readonly whole: boolean;
}

type KeyKind = 'string' | 'bool' | 'number' | undefined;

const KIND: Record<AttributeType, KeyKind> = {
  string: 'string', bool: 'bool', int: 'number', long: 'number', float: 'number', double: 'number', object: undefined,
};

export function joinKey(on: Expression | undefined, scope: JoinScope, sides: readonly [StreamSchema, StreamSchema]): JoinKey | undefined {
  if (on === undefined) return undefined;
  const parts = conjuncts(on);
  for (const e of parts) {
    const keys = keyOf(e, scope, sides);
    if (keys !== undefined) return { keys, whole: parts.length === 1 };
  }
  return undefined;
}

function keyOf(e: Expression, scope: JoinScope, sides: readonly [StreamSchema, StreamSchema]): JoinKey['keys'] | undefined {
  if (e.kind !== 'binary' || e.op !== '==' || e.left.kind !== 'variable' || e.right.kind !== 'variable') return undefined;
  const a = scope.sideOf(e.left);
  const b = scope.sideOf(e.right);
  if (a === undefined || b === undefined || a.side === b.side) return undefined;
  const [l, r] = a.side === 0 ? [a, b] : [b, a];
  const kind = KIND[sides[0].attributes[l.index]!.type];
  if (kind === undefined || kind !== KIND[sides[1].attributes[r.index]!.type]) return undefined;
  return [l.index, r.index];
}
