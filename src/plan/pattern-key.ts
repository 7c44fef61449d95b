// Finds an equality between a state's own event and an earlier state in its
// filter (`e2=S[symbol == e1.symbol and …]`), so its pending matches can be
// kept by key. Called by plan-pattern.ts for plain pattern states.

import type { Expression, Variable } from '../ast/index.js';
import type { StateEvent } from '../runtime/event.js';
import { isNumericType } from '../runtime/values.js';
import { compileExpression } from './compile-expression.js';
import { createPatternScope, slotOfName, type PatternSlot } from './pattern-scope.js';
import { conjuncts } from './conjuncts.js';

export interface PatternKey {
  readonly matchKey: (m: StateEvent) => unknown;
  /** The attribute of an arriving event that is its key. */
  readonly eventIndex: number;
  /** The earlier state's slot and attribute that matchKey reads. */
  readonly matchSlot: number;
  readonly matchAttribute: number;
}

export function findPatternKey(conditions: readonly Expression[], own: number, slots: readonly PatternSlot[], element: string): PatternKey | undefined {
  const slotOf = (name: string): number => slotOfName(slots, name);
  const ownAttribute = (e: Expression): number => {
    if (e.kind !== 'variable' || e.index !== undefined || e.inner) return -1;
    if (e.stream !== undefined && slotOf(e.stream) !== own) return -1;
    return slots[own]!.schema.indexOf(e.name);
  };
  const earlier = (e: Expression): Variable | undefined => {
    if (e.kind !== 'variable' || e.index !== undefined || e.stream === undefined || e.inner) return undefined;
    const k = slotOf(e.stream);
    if (k < 0 || k >= own || slots[k]!.count || slots[k]!.schema.indexOf(e.name) < 0) return undefined;
    return e;
  };
  for (const c of conditions.flatMap(conjuncts)) {
    if (c.kind !== 'binary' || c.op !== '==') continue;
    for (const [a, b] of [[c.left, c.right], [c.right, c.left]] as const) {
      const index = ownAttribute(a);
      const other = earlier(b);
      if (index < 0 || other === undefined) continue;
      const ownType = slots[own]!.schema.attributes[index]!.type;
      const scope = createPatternScope({ element, slots });
      const compiled = compileExpression(other, scope);
      const comparable = ownType === compiled.type ? ownType !== 'object' : isNumericType(ownType) && isNumericType(compiled.type);
      if (!comparable) continue;
      const get = compiled.evaluate as (m: StateEvent) => unknown;
      return { matchKey: get, eventIndex: index, matchSlot: slotOf(other.stream!), matchAttribute: slots[slotOf(other.stream!)]!.schema.indexOf(other.name) };
    }
  }
  return undefined;
}
