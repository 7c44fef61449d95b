// Where each `;`-separated element of an app's token list starts and ends,
// found from the tokens alone: parse-app.ts parses (and, after a syntax error,
// recovers) one element at a time over these spans.

import type { IToken } from 'chevrotain';
import { tokenMatcher } from './chevrotain.js';
import { Begin, End, Semi } from './tokens.js';

/** An element's tokens `[start, end)`; `end` is the index of its `;` (or the number of tokens). */
export interface ElementSpan {
  readonly start: number;
  readonly end: number;
  /**
   * Where the element before it starts (0 for the first): error recovery
   * parses from there, as Chevrotain recovers differently after an element
   * and `;` than at the start of an app.
   */
  readonly previous: number;
}

/**
 * The spans of the elements of `tokens`, in order, empty ones skipped. The `;`
 * inside `partition … begin … end` stay in their element. A `begin` or `end`
 * that is a name misplaces the ends; the span then fails to parse as one
 * element and parse-app.ts falls back to the whole-app parse.
 */
export function* elementSpans(tokens: readonly IToken[]): Generator<ElementSpan> {
  let depth = 0;
  let start = 0;
  let previous = 0;
  for (let i = 0; i <= tokens.length; i++) {
    const t = tokens[i];
    if (t !== undefined) {
      if (tokenMatcher(t, Begin)) depth++;
      else if (depth > 0 && tokenMatcher(t, End)) depth--;
      if (depth > 0 || !tokenMatcher(t, Semi)) continue;
    }
    if (i > start) {
      yield { start, end: i, previous };
      previous = start;
    }
    start = i + 1;
  }
}

