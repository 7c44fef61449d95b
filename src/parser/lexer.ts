// The lexer of parse-app.ts. Text no token starts with becomes an `Unexpected`
// token (outside the grammar's vocabulary), removed here and reported as lexer
// errors: Chevrotain's own recovery tries every pattern at each offending
// character, seconds for a megabyte of junk; one token per run is linear.
// Keywords are lexed as names and then looked up by their lower-case spelling:
// the same tokens as one pattern per keyword (each keyword's longer_alt is the
// name, so it only ever matches a whole word), without trying up to a dozen
// keyword patterns at the start of every word.

import type { ILexingError, IToken } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';
import { allTokens, keywordBySpelling, keywords, LEXER_OPTIONS, PlainName } from './tokens.js';

/** ASCII characters that start no token (quotes do, when their string ends). */
export const JUNK_ASCII = /[\x00-\x08\x0E-\x1F\x7F$&^|~\\{}]/;

// Non-ASCII text outside strings and quoted names starts no token either (Unicode spaces are whitespace).
const RUN = new RegExp(`(?:[^\\x00-\\x7F\\s]|${JUNK_ASCII.source})+`, 'y');

// Chevrotain's first-character table holds codes below 256 one by one and the others in buckets of 255.
const ANY_START = [
  ...Array.from({ length: 256 }, (_, i) => i),
  ...Array.from({ length: Math.ceil((0x10000 - 256) / 255) }, (_, i) => Math.min(256 + i * 255, 0xffff)),
];

const Unexpected = createToken({
  name: 'Unexpected',
  pattern: {
    exec: (text: string, offset: number) => {
      RUN.lastIndex = offset;
      return RUN.exec(text) ?? ([text[offset]!] as unknown as RegExpExecArray);
    },
  },
  start_chars_hint: ANY_START,
  line_breaks: false,
});

const lexer = new Lexer([...allTokens.filter((t) => !keywords.has(t)), Unexpected], { ...LEXER_OPTIONS, skipValidations: true });

/** The longest keyword spelling: longer words are names without a look-up. */
const LONGEST_KEYWORD = Math.max(...[...keywordBySpelling.keys()].map((k) => k.length));

/** Gives each name that is a keyword its keyword's token type. */
function markKeywords(tokens: IToken[]): void {
  for (const t of tokens) {
    if (t.tokenType !== PlainName || t.image.length > LONGEST_KEYWORD) continue;
    const keyword = keywordBySpelling.get(t.image.toLowerCase());
    if (keyword === undefined) continue;
    t.tokenType = keyword;
    t.tokenTypeIdx = keyword.tokenTypeIdx!;
  }
}

/** Tokens of `text` for the parser, and the runs of unexpected characters as lexing errors. */
export function tokenize(text: string): { tokens: IToken[]; errors: ILexingError[] } {
  const lexed = lexer.tokenize(text);
  markKeywords(lexed.tokens);
  const errors: ILexingError[] = lexed.errors;
  let tokens = lexed.tokens;
  if (tokens.some((t) => t.tokenType === Unexpected)) {
    tokens = [];
    let last: ILexingError | undefined;
    let lastEnd = -2;
    for (const t of lexed.tokens) {
      if (t.tokenType !== Unexpected) {
        tokens.push(t);
        continue;
      }
      // Adjacent runs are one error, as Chevrotain reports them.
      if (last && lastEnd + 1 === t.startOffset) (last as { length: number }).length += t.image.length;
      else errors.push((last = { offset: t.startOffset, length: t.image.length, line: t.startLine, column: t.startColumn, message: '' }));
      lastEnd = t.endOffset!;
    }
    errors.sort((a, b) => a.offset - b.offset);
  }
  return { tokens, errors };
}
