// A compiled expression: a typed closure over a row. The planner builds these
// once; operators call `evaluate` on the hot path. The few trees that read the
// clock (currentTimeMillis() and the time: clock functions), call a function
// keeping state (math:rand, define function) or read a selector's frame
// (aggregator values, `having` over output names) carry `link` instead: an
// operator's `build(inst)` makes their closure for its instance.

import type { AttributeType } from '../ast/index.js';
import type { Row } from './event.js';
import type { InMemoryTable } from './operators/table/in-memory-table.js';
import type { ScriptScope } from './functions/script-scope.js';
import type { SelectorFrame } from './operators/selector-groups.js';

export type Evaluate = (row: Row) => unknown;

/** What a linked expression reads from the instance it runs in: its clock, its tables (`cond in T`), its script context, its selector's frame. */
export interface ExpressionEnv {
  now(): number;
  /** Absent where no `in T` can be compiled (aggregations, patterns, partition keys, window expressions). */
  readonly tables?: ReadonlyMap<string, InMemoryTable>;
  /** The runtime's script context (`define function …[javascript]`); absent in an app without script functions. */
  readonly scripts?: ScriptScope;
  /** The selector's frame of this build (aggregator values, the projected row for `having`): set only where a selector links its expressions. */
  readonly frame?: SelectorFrame;
}

/**
 * The env expressions built in an instance link to: its clock and, when it has
 * them, its tables and script context, and a selector build's own `frame`.
 */
export function instanceEnv(inst: {
  readonly scheduler: { now(): number }; readonly tables?: ReadonlyMap<string, InMemoryTable> | undefined; readonly scripts?: ScriptScope | undefined;
}, frame?: SelectorFrame): ExpressionEnv {
  const { scheduler, tables, scripts } = inst;
  if (tables === undefined && scripts === undefined && frame === undefined) return scheduler;
  return { now: () => scheduler.now(), ...(tables !== undefined ? { tables } : {}), ...(scripts !== undefined ? { scripts } : {}), ...(frame ? { frame } : {}) };
}

export interface CompiledExpression {
  readonly type: AttributeType;
  /** The closure; on a tree with `link`, a stand-in that throws (build the closure with `evaluatorIn`). */
  readonly evaluate: Evaluate;
  /**
   * Present only when the tree reads its instance's env (the clock, a function's
   * state, the script context, the selector's frame): makes its closure for one
   * instance. Env-free trees (most) have none and share `evaluate`.
   */
  readonly link?: (env: ExpressionEnv) => Evaluate;
  /** Present when the value is known at plan time (literals and folded constants). */
  readonly constant?: { readonly value: unknown };
  /** Present when the expression is a plain attribute reference. */
  readonly attribute?: { readonly name: string; readonly index: number; readonly side?: 0 | 1 };
  /**
   * True when `link` reads only the selector's frame (ExpressionEnv.frame),
   * not the clock or other instance state: such nodes are not counted in linkedNodes.
   */
  readonly framed?: true;
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

/** The closure of `c` in `env`: the shared `evaluate` of an env-free tree, else one linked for `env`. */
export function evaluatorIn(c: { readonly evaluate: Evaluate; readonly link?: (env: ExpressionEnv) => Evaluate }, env: ExpressionEnv): Evaluate {
  return c.link === undefined ? c.evaluate : c.link(env);
}

/** `c` with its closure linked in `env` (itself when env-free): for consumers that read `evaluate` off the expression. */
export function linkedIn(c: CompiledExpression, env: ExpressionEnv): CompiledExpression {
  if (c.link === undefined) return c;
  const { link, framed: _, ...rest } = c;
  return { ...rest, evaluate: link(env) };
}

/** The `evaluate` of a tree that must be linked first; reaching it means an operator skipped `evaluatorIn`. */
export const UNLINKED: Evaluate = () => {
  throw new Error('internal: an expression reading its instance (clock, function state, selector frame) was evaluated without being linked to one');
};

/** Linked nodes made in this process reading the clock or instance state (not only a selector's frame), at plan time only: a test checks that apps not reading the clock make none. */
export let linkedNodes = 0;

/** The closure fields of a node that reads its instance's env: every linked node is made here. `framed`: it reads only the selector's frame. */
export function linked(
  link: (env: ExpressionEnv) => Evaluate, framed = false,
): { readonly evaluate: Evaluate; readonly link: (env: ExpressionEnv) => Evaluate; readonly framed?: true } {
  if (framed) return { evaluate: UNLINKED, link, framed };
  linkedNodes++;
  return { evaluate: UNLINKED, link };
}

/** True when every linked node among `nodes` reads only the selector's frame. */
export function onlyFramed(nodes: readonly { readonly link?: unknown; readonly framed?: true }[]): boolean {
  return nodes.every((c) => c.link === undefined || c.framed === true);
}

/**
 * A composite node over `children`: `make` turns their closures into its own.
 * Env-free children give one shared closure, made now; when a child reads the
 * clock, the node links too, making its closure from the children's linked ones.
 */
export function combine(
  children: readonly CompiledExpression[], make: (evs: Evaluate[]) => Evaluate,
): { readonly evaluate: Evaluate; readonly link?: (env: ExpressionEnv) => Evaluate; readonly framed?: true } {
  if (!children.some((c) => c.link !== undefined)) return { evaluate: make(children.map((c) => c.evaluate)) };
  return linked((env) => make(children.map((c) => evaluatorIn(c, env))), onlyFramed(children));
}
