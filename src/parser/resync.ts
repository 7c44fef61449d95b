// A linear replacement for Chevrotain's findReSyncTokenType (error recovery
// inside a repetition): Chevrotain compares each upcoming token with every
// follow token type through lodash, and when only the end of input can follow
// (the app's top level) walks to the end at every stray token: a 1 MB app of
// stray tokens took seconds. Same result, one set look-up per token.

import type { IToken, TokenType } from 'chevrotain';
import { EOF, tokenMatcher } from './chevrotain.js';

interface TypeWithCategories {
  readonly tokenTypeIdx?: number;
  readonly isParent?: boolean;
  readonly categoryMatchesMap?: Record<number, boolean>;
}

/** The first follow type the upcoming tokens (`la(1)`, `la(2)` …) match, as Chevrotain defines it. */
export function findResyncType(follows: readonly TokenType[], la: (k: number) => IToken): TokenType {
  if (follows.length === 1 && follows[0] === EOF) return EOF;
  const matching = new Set<number>();
  for (const t of follows as readonly TypeWithCategories[]) {
    matching.add(t.tokenTypeIdx!);
    if (t.isParent && t.categoryMatchesMap) for (const idx of Object.keys(t.categoryMatchesMap)) matching.add(Number(idx));
  }
  for (let k = 1; ; k++) {
    const token = la(k);
    if (matching.has(token.tokenTypeIdx)) return follows.find((t) => tokenMatcher(token, t))!;
    // Past the end every look-ahead is EOF: nothing matches any more (Chevrotain would loop forever).
    if (token.tokenType === EOF) return EOF;
  }
}
