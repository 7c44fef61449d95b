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
  readonly attribute?: { readonly name: string; readonly index: number; readonly side?: 0 | 1 };
  /** True when it contains an aggregator call. */
  readonly aggregated?: boolean;
  /** Present when the expression is one aggregator call: its slot in the selector's frame. */
  readonly slot?: number;
  /**
   * A JavaScript expression computing the same value from the row's data array
   * `d`, when the expression is simple enough (attributes, literals,
   * comparisons, and/or/not): fused kernels inline it (see runtime/kernel).
   */
  readonly js?: string;
}

export function constantExpression(type: AttributeType, value: unknown): CompiledExpression {
  const js = literalSource(value);
  return { type, evaluate: () => value, constant: { value }, ...(js !== undefined ? { js } : {}) };
}

/** Source of a literal value, for values whose source text reads back exactly. */
function literalSource(value: unknown): string | undefined {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? String(value) : undefined;
  if (typeof value === 'string') return JSON.stringify(value);
  return undefined;
}
