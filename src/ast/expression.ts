// Expression nodes of the SiddhiQL AST. Built by the parser's visitor, read by
// the planner's expression compiler; plain readonly data with a `kind` tag.

import type { Location } from './location.js';
import type { AttributeType } from './definition.js';

export type Expression =
  | Constant
  | Variable
  | BinaryExpression
  | UnaryExpression
  | IsNull
  | InTable
  | FunctionCall
  | TypedTimeConstant;

/** A literal. `type` is the Siddhi type the literal denotes (`10L` → long, `2.5f` → float). */
export interface Constant {
  readonly kind: 'constant';
  readonly type: AttributeType;
  readonly value: string | number | boolean | null;
  readonly loc: Location;
}

/** A time literal such as `1 sec` or `500 milliseconds`: a long of milliseconds. */
export interface TypedTimeConstant {
  readonly kind: 'time';
  readonly millis: number;
  readonly loc: Location;
}

/**
 * An attribute reference: `price`, `S.price`, `e1.price`, `e1[0].price`,
 * `e2[last].price`, `e2[last-1].price`. `stream` is the stream name, alias or
 * pattern reference (e1) when written; `inner` marks `#S.price` (partition inner
 * stream); `index` is the event index within a counted pattern state.
 */
export interface Variable {
  readonly kind: 'variable';
  readonly name: string;
  readonly stream?: string;
  readonly inner?: boolean;
  readonly index?: EventIndex;
  readonly loc: Location;
}

/** `e1[0]` → {kind:'at', at:0}; `e1[last]` → {kind:'last', minus:0}; `e1[last-1]` → minus 1. */
export type EventIndex =
  | { readonly kind: 'at'; readonly at: number }
  | { readonly kind: 'last'; readonly minus: number };

export type BinaryOperator =
  | 'or' | 'and'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '+' | '-' | '*' | '/' | '%';

export interface BinaryExpression {
  readonly kind: 'binary';
  readonly op: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
  readonly loc: Location;
}

/** `not x`, unary minus `-x` and unary plus `+x` (a numeric operand as it is). */
export interface UnaryExpression {
  readonly kind: 'unary';
  readonly op: 'not' | '-' | '+';
  readonly operand: Expression;
  readonly loc: Location;
}

/** `x is null`; also `e1 is null` for a pattern reference (operand is a variable with no attribute: name is the ref). */
export interface IsNull {
  readonly kind: 'isNull';
  readonly operand: Expression;
  readonly loc: Location;
}

/** `cond in TableName`: true when some row of the table satisfies cond. */
export interface InTable {
  readonly kind: 'in';
  readonly condition: Expression;
  readonly table: string;
  readonly loc: Location;
}

/**
 * A function call: `coalesce(a, b)`, `math:sin(x)` (namespace 'math'),
 * `count()`, `maximum(*)` (star true, no args). Aggregators are function calls
 * too; the planner tells them apart through the registries.
 */
export interface FunctionCall {
  readonly kind: 'call';
  readonly namespace?: string;
  readonly name: string;
  readonly args: readonly Expression[];
  readonly star?: boolean;
  readonly loc: Location;
}
