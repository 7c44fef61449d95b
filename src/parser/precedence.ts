// Operator precedence for SiddhiQL expressions. The grammar keeps expressions
// flat (operands and operators in source order); the visitor hands that list to
// `applyPrecedence`, a Pratt parser, to build the expression tree.

import type { IToken } from 'chevrotain';
import { tokenMatcher } from './chevrotain.js';
import type { BinaryOperator, Expression } from '../ast/expression.js';
import type { Location } from '../ast/location.js';
import * as T from './tokens.js';
import { INT_MAX } from './literals.js';

export type ExpressionItem =
  | { readonly kind: 'atom'; readonly expression: Expression }
  | { readonly kind: 'prefix'; readonly token: IToken }
  | { readonly kind: 'binary'; readonly token: IToken }
  | { readonly kind: 'in'; readonly token: IToken; readonly table: string }
  | { readonly kind: 'isNull'; readonly token: IToken };

/**
 * Binding powers, low → high, as in Siddhi's reference grammar (SiddhiQL.g4,
 * where `NOT math_operation` precedes every binary alternative): `not` binds
 * tighter than any binary operator (`not volume > 50` is `(not volume) > 50`,
 * which the planner then refuses), `is null` tighter still (`not x is null` is
 * `not (x is null)`), and `in` takes the whole comparison to its left
 * (`x == T.x in T` is `(x == T.x) in T`).
 */
const BINARY_POWER: Readonly<Record<BinaryOperator, number>> = {
  or: 1,
  and: 2,
  '==': 5,
  '!=': 5,
  '<': 6,
  '<=': 6,
  '>': 6,
  '>=': 6,
  '+': 8,
  '-': 8,
  '*': 9,
  '/': 9,
  '%': 9,
};
const NOT_POWER = 10;
const IN_POWER = 4;
const IS_NULL_POWER = 11;
const MINUS_POWER = 10;

/** Where a token starts, as an AST location. */
export function tokenLocation(token: IToken): Location {
  return { line: token.startLine!, column: token.startColumn!, offset: token.startOffset };
}

/**
 * `outOfRange` hears of an int literal 2147483648 that no minus makes
 * -2147483648 (the reference's Integer.parseInt refuses it; here it would wrap).
 */
export function applyPrecedence(items: readonly ExpressionItem[], outOfRange?: (literal: Expression) => void): Expression {
  let position = 0;

  const parse = (minPower: number): Expression => {
    let left = parsePrefix();
    for (;;) {
      const next = items[position];
      if (next === undefined) return left;
      if (next.kind === 'binary') {
        const op = next.token.image.toLowerCase() as BinaryOperator;
        const power = BINARY_POWER[op];
        if (power <= minPower) return left;
        position++;
        left = { kind: 'binary', op, left, right: parse(power), loc: left.loc };
      } else if (next.kind === 'in') {
        if (IN_POWER <= minPower) return left;
        position++;
        left = { kind: 'in', condition: left, table: next.table, loc: left.loc };
      } else if (next.kind === 'isNull') {
        if (IS_NULL_POWER <= minPower) return left;
        position++;
        left = { kind: 'isNull', operand: left, loc: left.loc };
      } else {
        throw new Error(`applyPrecedence: unexpected ${next.kind} after an operand`);
      }
    }
  };

  const parsePrefix = (): Expression => {
    const item = items[position++];
    if (item?.kind === 'atom') {
      const e = item.expression;
      if (e.kind === 'constant' && e.type === 'int' && e.value === INT_MAX + 1 && !afterMinus(items, position - 1)) outOfRange?.(e);
      return e;
    }
    if (item?.kind !== 'prefix') throw new Error('applyPrecedence: expected an operand');
    const loc = tokenLocation(item.token);
    if (tokenMatcher(item.token, T.Not)) return { kind: 'unary', op: 'not', operand: parse(NOT_POWER), loc };
    if (tokenMatcher(item.token, T.Plus)) return affirm(parse(MINUS_POWER), loc);
    return negate(parse(MINUS_POWER), loc);
  };

  return parse(0);
}

function afterMinus(items: readonly ExpressionItem[], at: number): boolean {
  const before = items[at - 1];
  return before?.kind === 'prefix' && tokenMatcher(before.token, T.Minus);
}

/** `+x`: a number or time literal as it is; another operand is checked to be numeric when planned. */
function affirm(operand: Expression, loc: Location): Expression {
  if ((operand.kind === 'constant' && typeof operand.value === 'number') || operand.kind === 'time') return { ...operand, loc };
  return { kind: 'unary', op: '+', operand, loc };
}

/** `-x`; a minus before a number or time literal folds into the literal. */
function negate(operand: Expression, loc: Location): Expression {
  if (operand.kind === 'constant' && typeof operand.value === 'number') return { ...operand, value: -operand.value, loc };
  if (operand.kind === 'time') return { ...operand, millis: -operand.millis, loc };
  return { kind: 'unary', op: '-', operand, loc };
}
