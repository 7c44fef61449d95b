// The body of `define function f[lang] return T { … }`: one token from the
// opening brace to its matching close, skipping braces inside strings and
// comments (the reference lexes SCRIPT the same way). Used by tokens.ts.

import type { CustomPatternMatcherReturn } from 'chevrotain';

/** Chevrotain custom pattern: the balanced `{ … }` starting at `offset`, or null. */
export function matchScriptBody(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (text[offset] !== '{') return null;
  let depth = 0;
  for (let i = offset; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(text, i, c);
      if (i < 0) return null;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return null;
      i = end + 1;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return [text.slice(offset, i + 1)];
  }
  return null;
}

/** Index of the closing quote of the string opening at `start`, -1 when unterminated. */
function skipString(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}
