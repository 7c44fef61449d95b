// A compiled expression: a typed closure over a row. The planner builds these
// once; operators call `evaluate` on the hot path.

import type { AttributeType } from '../ast/index.js';
import type { Row } from './event.js';

export interface CompiledExpression {
  readonly type: AttributeType;
  readonly evaluate: (row: Row) => unknown;
  /** Present when the value is known at plan time (literals and folded constants). */
  readonly constant?: { readonly value: unknown };
  /** Present when the expression is a plain attribute reference. */
  readonly attribute?: { readonly name: string; readonly index: number };
  /** True when it contains an aggregator call. */
  readonly aggregated?: boolean;
}

export function constantExpression(type: AttributeType, value: unknown): CompiledExpression {
  return { type, evaluate: () => value, constant: { value } };
}
