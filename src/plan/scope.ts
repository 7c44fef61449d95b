// What the expression compiler needs from its surroundings: how a variable
// becomes a typed accessor, and (in a selector) how aggregator calls are
// planned. Query, join, pattern and partition planners each provide one.

import type { AttributeType, Expression, FunctionCall, Location, Variable } from '../ast/index.js';
import type { Row } from '../runtime/event.js';

export type { CompiledExpression } from '../runtime/expression.js';
import type { CompiledExpression } from '../runtime/expression.js';

export interface ResolvedVariable {
  readonly type: AttributeType;
  readonly get: (row: Row) => unknown;
  readonly attribute?: { readonly name: string; readonly index: number; readonly side?: 0 | 1 };
  /** Without `attribute`: the read as JavaScript over `d`, when the scope gives one (a pattern filter's match, see pattern-scope.ts). */
  readonly js?: string;
  /** A selector's output name read by `having`: position `output` of the projected row in the frame of the build (`get` is not used). */
  readonly output?: number;
}

export interface Scope {
  /** For messages: "query 'q1'", "partition key of 'S'". */
  readonly element: string;
  /** Resolve `price`, `S.price`, `e1[0].price`; throws SiddhiPlanError listing what exists. */
  resolveVariable(v: Variable): ResolvedVariable;
  /**
   * Plans an aggregator call (only a selector scope has this). The compiler
   * offers every namespace-less call; it returns undefined for non-aggregators.
   */
  aggregate?(call: FunctionCall, args: readonly CompiledExpression[]): CompiledExpression | undefined;
  /** Plans `condition in Table` (only when tables are available). */
  inTable?(condition: Expression, table: string, loc: Location): CompiledExpression;
  /** Every input attribute in order, for `maximum(*)`-style calls. */
  allAttributes?(): readonly ResolvedVariable[];
}
