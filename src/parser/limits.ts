// Size and nesting limits of SiddhiQL input, checked by parseApp: the parser,
// the visitor and the planner recurse on nesting, so input nested past these
// limits is refused with a location instead of overflowing the stack.

import type { IToken } from 'chevrotain';
import { tokenMatcher } from './chevrotain.js';
import type { Expression } from '../ast/expression.js';
import type { ParseProblem } from '../errors.js';
import * as T from './tokens.js';

/** Brackets `(` `[` open at once (parentheses, calls, annotations, filters). */
export const MAX_NESTING = 64;
/** Operands and operators in one expression without parentheses (`a + a + …`). */
export const MAX_EXPRESSION_ITEMS = 2000;
/** Depth of one expression tree (each operator, call or prefix adds a level). */
export const MAX_EXPRESSION_DEPTH = 400;
/** Problems reported per app: the rest are usually consequences of the first ones. */
export const MAX_PROBLEMS = 20;

/** Characters in one name (names end up in messages, state ids and file names). */
export const MAX_NAME_LENGTH = 1000;

/**
 * The first token that breaks a limit, as a problem: a bracket opened past
 * MAX_NESTING, a name longer than MAX_NAME_LENGTH or with a lone surrogate
 * (which has no UTF-8 form, so state ids made from it would change in a checkpoint).
 */
export function checkTokens(tokens: readonly IToken[]): ParseProblem | undefined {
  let depth = 0;
  for (const t of tokens) {
    if (tokenMatcher(t, T.LParen) || tokenMatcher(t, T.LBracket)) {
      if (++depth > MAX_NESTING) return problemAt(t, `brackets nested more than ${MAX_NESTING} levels deep`, 'split the expression (e.g. into several queries or attributes)');
    } else if ((tokenMatcher(t, T.RParen) || tokenMatcher(t, T.RBracket)) && depth > 0) {
      depth--;
    } else if (tokenMatcher(t, T.Identifier)) {
      if (t.image.length > MAX_NAME_LENGTH) return problemAt(t, `a name longer than ${MAX_NAME_LENGTH} characters`);
      if (hasLoneSurrogate(t.image)) return problemAt(t, 'a name with an unpaired UTF-16 surrogate', 'names must be valid Unicode text');
    }
  }
  return undefined;
}

/** True when `s` has a UTF-16 surrogate without its pair (no UTF-8 form). */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}

// With the u flag a surrogate pair is one code point, so only unpaired halves match.
const LONE_SURROGATE = /\p{Cs}/u;

function problemAt(t: IToken, message: string, hint?: string): ParseProblem {
  return {
    message,
    line: t.startLine ?? 1,
    column: t.startColumn ?? 1,
    offendingText: t.image.length > 40 ? `${t.image.slice(0, 40)}…` : t.image,
    ...(hint ? { hint } : {}),
  };
}

/** The depth of an expression tree, walked without recursion (the tree may be too deep to recurse on). */
export function expressionDepth(root: Expression): number {
  let max = 0;
  const stack: [Expression, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [e, depth] = stack.pop()!;
    if (depth > max) max = depth;
    for (const child of childrenOf(e)) stack.push([child, depth + 1]);
  }
  return max;
}

function childrenOf(e: Expression): readonly Expression[] {
  switch (e.kind) {
    case 'constant':
    case 'variable':
    case 'time':
      return [];
    case 'binary':
      return [e.left, e.right];
    case 'unary':
    case 'isNull':
      return [e.operand];
    case 'in':
      return [e.condition];
    case 'call':
      return e.args;
    default: {
      const never: never = e;
      return never;
    }
  }
}
