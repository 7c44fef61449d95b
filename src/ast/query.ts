// Query nodes: input (single stream, join, pattern/sequence), selector, output
// rate, and output action (insert / delete / update / update or insert / return).

import type { Location } from './location.js';
import type { Expression, Variable } from './expression.js';
import type { Annotation, OutputEventType, WindowCall } from './definition.js';

export interface Query {
  readonly kind: 'query';
  readonly annotations: readonly Annotation[];
  readonly input: QueryInput;
  readonly selector: Selector;
  readonly outputRate?: OutputRate;
  readonly output: OutputAction;
  readonly loc: Location;
}

export type QueryInput = SingleInput | JoinInput | StateInput;

/** A chain element after a stream name: `[filter]`, `#window.x(...)`, `#fn(...)`, `#ns:fn(...)`. */
export type StreamHandler =
  | { readonly kind: 'filter'; readonly condition: Expression; readonly loc: Location }
  | { readonly kind: 'window'; readonly call: WindowCall; readonly loc: Location }
  | { readonly kind: 'function'; readonly call: WindowCall; readonly loc: Location };

/** `from S[price > 10]#window.length(5) as a` */
export interface SingleInput {
  readonly kind: 'single';
  readonly stream: string;
  /** `#Inner` partition-local stream. */
  readonly inner: boolean;
  readonly alias?: string;
  readonly handlers: readonly StreamHandler[];
  readonly loc: Location;
}

export type JoinType = 'inner' | 'left' | 'right' | 'full';

/** `from A#window.length(1) as a [left outer] join B … on cond [within T] [per expr]` */
export interface JoinInput {
  readonly kind: 'join';
  readonly joinType: JoinType;
  readonly left: SingleInput;
  readonly right: SingleInput;
  readonly unidirectional?: 'left' | 'right';
  readonly on?: Expression;
  /** `within start[, end] [per duration]`: only when one side is an aggregation. */
  readonly within?: WithinPer;
  readonly loc: Location;
}

/** `within 'pattern'` or `within start, end`, and the optional `per` granularity of an aggregation read. */
export interface WithinPer {
  readonly start: Expression;
  readonly end?: Expression;
  readonly per?: Expression;
  readonly loc: Location;
}

/** A pattern (`->`) or sequence (`,`) over a tree of state elements. */
export interface StateInput {
  readonly kind: 'state';
  readonly type: 'pattern' | 'sequence';
  readonly element: StateElement;
  readonly loc: Location;
}

export type StateElement =
  | StreamStateElement
  | AbsentStateElement
  | CountStateElement
  | LogicalStateElement
  | NextStateElement
  | EveryStateElement;

/** `e1=S[filter]` (ref optional). */
export interface StreamStateElement {
  readonly kind: 'stream';
  readonly ref?: string;
  readonly input: SingleInput;
  readonly within?: number;
  readonly loc: Location;
}

/** `not S[filter] for 1 sec` (waitMillis absent when no `for`). */
export interface AbsentStateElement {
  readonly kind: 'absent';
  readonly input: SingleInput;
  readonly waitMillis?: number;
  readonly within?: number;
  readonly loc: Location;
}

/**
 * `e1=S<2:5>` (patterns), `e1=S+` / `*` / `?` (sequences).
 * min/max: `<2:5>` → 2,5; `<2:>` → 2,-1 (unbounded); `<:5>` → 0,5; `<3>` → 3,3;
 * `+` → 1,-1; `*` → 0,-1; `?` → 0,1.
 */
export interface CountStateElement {
  readonly kind: 'count';
  readonly stream: StreamStateElement;
  readonly min: number;
  readonly max: number;
  readonly within?: number;
  readonly loc: Location;
}

/** `A and B`, `A or B` where each side is a stream or absent element. */
export interface LogicalStateElement {
  readonly kind: 'logical';
  readonly op: 'and' | 'or';
  readonly left: StreamStateElement | AbsentStateElement;
  readonly right: StreamStateElement | AbsentStateElement;
  readonly within?: number;
  readonly loc: Location;
}

/** `A -> B` (pattern) or `A, B` (sequence): `first` then `next`. */
export interface NextStateElement {
  readonly kind: 'next';
  readonly first: StateElement;
  readonly next: StateElement;
  readonly within?: number;
  readonly loc: Location;
}

/** `every X` (X may be a parenthesised group). */
export interface EveryStateElement {
  readonly kind: 'every';
  readonly element: StateElement;
  readonly within?: number;
  readonly loc: Location;
}

export interface Selector {
  /** `select *` or no select clause at all. */
  readonly star: boolean;
  readonly attributes: readonly OutputAttribute[];
  readonly groupBy: readonly Variable[];
  readonly having?: Expression;
  readonly orderBy: readonly OrderByAttribute[];
  readonly limit?: Expression;
  readonly offset?: Expression;
  readonly loc: Location;
}

/** `expr as name`; name omitted for a plain variable (its attribute name is used). */
export interface OutputAttribute {
  readonly expression: Expression;
  readonly rename?: string;
  readonly loc: Location;
}

export interface OrderByAttribute {
  readonly variable: Variable;
  readonly order: 'asc' | 'desc';
  readonly loc: Location;
}

export type OutputRate =
  | { readonly kind: 'events'; readonly type: 'all' | 'first' | 'last'; readonly count: number; readonly loc: Location }
  | { readonly kind: 'time'; readonly type: 'all' | 'first' | 'last'; readonly millis: number; readonly loc: Location }
  | { readonly kind: 'snapshot'; readonly millis: number; readonly loc: Location };

export type OutputAction = InsertInto | DeleteFrom | UpdateTable | UpdateOrInsert | ReturnOutput;

/** `insert [all|current|expired events] into S` (`#S` for inner streams). */
export interface InsertInto {
  readonly kind: 'insert';
  readonly target: string;
  readonly inner: boolean;
  readonly events: OutputEventType;
  readonly loc: Location;
}

/** `delete T [for all events] on cond` */
export interface DeleteFrom {
  readonly kind: 'delete';
  readonly table: string;
  readonly events: OutputEventType;
  readonly on: Expression;
  readonly loc: Location;
}

/** `T.col = expr` inside `set`. */
export interface SetAssignment {
  readonly column: Variable;
  readonly value: Expression;
  readonly loc: Location;
}

/** `update T [for …] [set T.a = x, …] on cond` */
export interface UpdateTable {
  readonly kind: 'update';
  readonly table: string;
  readonly events: OutputEventType;
  readonly set: readonly SetAssignment[];
  readonly on: Expression;
  readonly loc: Location;
}

/** `update or insert into T [for …] [set …] on cond` */
export interface UpdateOrInsert {
  readonly kind: 'upsert';
  readonly table: string;
  readonly events: OutputEventType;
  readonly set: readonly SetAssignment[];
  readonly on: Expression;
  readonly loc: Location;
}

/** `return [events]` (used in on-demand queries; accepted for completeness). */
export interface ReturnOutput {
  readonly kind: 'return';
  readonly events: OutputEventType;
  readonly loc: Location;
}
