// The `and`-ed parts of a condition, for the planners that take one part on
// its own: a join's key equality (join-key.ts), a find's indexed equalities
// (compile-find.ts), a pattern state's key (pattern-key.ts) and its own-event
// test (pattern-prefilter.ts).

import type { Expression } from '../ast/index.js';

/** `a and (b and c)` → [a, b, c]; any other expression is its only part. */
export function conjuncts(e: Expression): Expression[] {
  return e.kind === 'binary' && e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}
