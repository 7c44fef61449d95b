// The lexer of parse-app.ts: a hand-written scanner producing the tokens
// Chevrotain's lexer makes from tokens.ts's patterns (same types, images,
// offsets, lines and columns; test/parser/lexer.test.ts compares them on every
// case app and on random text). Building Chevrotain's lexer cost ~50–90 ms of
// every cold start and its matching ~1 s per megabyte; this is one pass over
// the characters. Keywords are lexed as names and looked up by lower-case
// spelling (each keyword's longer_alt is the name, so one only ever matches a
// whole word). Text no token starts with is reported as lexing errors, one per
// run of such characters (as Chevrotain's recovery reports them).

import type { ILexingError, IToken, TokenType } from 'chevrotain';
import { matchScriptBody } from './script-body.js';
import * as T from './tokens.js';

/** ASCII characters that start no token (quotes do, when their string ends). */
export const JUNK_ASCII = /[\x00-\x08\x0E-\x1F\x7F$&^|~\\{}]/;

// Non-ASCII text outside strings and quoted names starts no token either (Unicode spaces are whitespace).
const RUN = new RegExp(`(?:[^\\x00-\\x7F\\s]|${JUNK_ASCII.source})+`, 'y');
const SPACES = /\s+/y;
const STRING = new RegExp(T.StringLiteral.PATTERN as RegExp, 'y');
const QUOTED_NAME = new RegExp(T.QuotedName.PATTERN as RegExp, 'y');
/** The number tokens in the order Chevrotain tries them (the first match wins, not the longest). */
const NUMBERS = [T.FloatLiteral, T.DoubleLiteral, T.LongLiteral, T.IntLiteral].map((type) => ({ type, pattern: new RegExp(type.PATTERN as RegExp, 'y') }));

/** The longest keyword spelling: longer words are names without a look-up. */
const LONGEST_KEYWORD = Math.max(...[...T.keywordBySpelling.keys()].map((k) => k.length));

// Character classes of the ASCII range.
const OTHER = 0;
const SPACE = 1;
const WORD_START = 2;
const DIGIT = 3;
const SYMBOL = 4;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  CLASS[c] = /\s/.test(ch) ? SPACE : /[A-Za-z_]/.test(ch) ? WORD_START : /\d/.test(ch) ? DIGIT : OTHER;
}
/** One-character tokens, by character code (`-`, `/`, `=`, `!`, `<`, `>`, `.` may start longer ones). */
const SINGLE: (TokenType | undefined)[] = [];
for (const t of [T.Less, T.Greater, T.Assign, T.Plus, T.Minus, T.Star, T.Slash, T.Percent, T.LParen, T.RParen, T.LBracket,
  T.RBracket, T.Comma, T.Semi, T.Dot, T.Colon, T.Hash, T.Bang, T.At, T.Question]) {
  const c = (t.PATTERN as string).charCodeAt(0);
  SINGLE[c] = t;
  CLASS[c] = SYMBOL;
}
/** Two-character tokens by their first character, then their second. */
const PAIRS: Record<string, TokenType> = { '->': T.Arrow, '==': T.Equal, '!=': T.NotEqual, '<=': T.LessEqual, '>=': T.GreaterEqual };

const classOf = (c: number): number => (c < 128 ? CLASS[c]! : OTHER);
const isWordPart = (c: number): boolean => classOf(c) === WORD_START || classOf(c) === DIGIT;

/**
 * A token as Chevrotain's lexer makes one, its image cut from the text when
 * read: a megabyte app has ~300k tokens and the lexer's time is mostly allocation.
 */
class Token implements IToken {
  constructor(
    private readonly text: string,
    readonly startOffset: number,
    readonly endOffset: number,
    readonly startLine: number,
    public endLine: number,
    readonly startColumn: number,
    public endColumn: number,
    readonly tokenTypeIdx: number,
    readonly tokenType: TokenType,
  ) {}

  get image(): string {
    return this.text.slice(this.startOffset, this.endOffset + 1);
  }
}

/** Where lexing starts: an offset of the text, at a token boundary, with its line and column. */
export interface LexStart {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** Where a whole app's text starts. */
export const TEXT_START: LexStart = { offset: 0, line: 1, column: 1 };

/** Tokens of `text` (from `start`) for the parser, and the runs of unexpected characters as lexing errors. */
export function tokenize(text: string, start: LexStart = TEXT_START): { tokens: IToken[]; errors: ILexingError[] } {
  const errors: ILexingError[] = [];
  const tokens = lexTokens(text, start, errors, false).next().value ?? [];
  return { tokens, errors };
}

/**
 * The tokens of `text` one element at a time, lexed as they are asked for: an
 * element's tokens without its `;` (those inside `partition … begin … end`
 * stay), empty elements skipped, as elementSpans() cuts a whole token list.
 * Lexing errors go to `errors` as they are met. A caller parsing each element
 * as it comes keeps no more than one element's tokens alive.
 */
export function lexElements(text: string, errors: ILexingError[]): Generator<IToken[], void> {
  return lexTokens(text, TEXT_START, errors, true);
}

function* lexTokens(text: string, start: LexStart, errors: ILexingError[], split: boolean): Generator<IToken[], void> {
  let tokens: IToken[] = [];
  const n = text.length;
  let line = start.line;
  let column = start.column;
  let lastErrorEnd = -1;
  let i = start.offset;
  /** `partition … begin` open (split: a `;` inside one does not end the element). */
  let depth = 0;

  const push = (type: TokenType, length: number): void => {
    tokens.push(new Token(text, i, i + length - 1, line, line, column, column + length - 1, type.tokenTypeIdx!, type));
    column += length;
    i += length;
  };
  /** Moves past `length` characters that may hold line breaks (\n, \r\n, \r), updating the token just made as Chevrotain does. */
  const passLines = (length: number, token: IToken | undefined): void => {
    let breaks = 0;
    let lastBreakEnd = -1;
    for (let k = i; k < i + length; k++) {
      const c = text.charCodeAt(k);
      if (c === 10 || c === 13) {
        if (c === 13 && k + 1 < i + length && text.charCodeAt(k + 1) === 10) k++;
        breaks++;
        lastBreakEnd = k - i;
      }
    }
    i += length;
    if (breaks === 0) {
      column += length;
      return;
    }
    line += breaks;
    column = length - lastBreakEnd;
    // Chevrotain keeps a token's one-line end when its only line break is its last character.
    if (token !== undefined && !(breaks === 1 && lastBreakEnd === length - 1)) {
      const endsInBreak = lastBreakEnd === length - 1;
      token.endLine = endsInBreak ? line - 1 : line;
      token.endColumn = endsInBreak ? column : column - 1;
    }
  };
  const pushLines = (type: TokenType, length: number): void => {
    const token = new Token(text, i, i + length - 1, line, line, column, column + length - 1, type.tokenTypeIdx!, type);
    tokens.push(token);
    passLines(length, token);
  };
  const unexpected = (length: number): void => {
    // Adjacent runs are one error, as Chevrotain reports them.
    const last = errors[errors.length - 1];
    if (last !== undefined && lastErrorEnd === i) (last as { length: number }).length += length;
    else errors.push({ offset: i, length, line, column, message: '' });
    column += length;
    i += length;
    lastErrorEnd = i;
  };
  const matchAt = (pattern: RegExp): number => {
    pattern.lastIndex = i;
    return pattern.test(text) ? pattern.lastIndex - i : -1;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    const kind = classOf(c);
    if (kind === WORD_START) {
      let end = i + 1;
      while (end < n && isWordPart(text.charCodeAt(end))) end++;
      const length = end - i;
      const keyword = length <= LONGEST_KEYWORD ? T.keywordBySpelling.get(text.slice(i, end).toLowerCase()) : undefined;
      push(keyword ?? T.PlainName, length);
      if (split && keyword !== undefined) {
        if (keyword === T.Begin) depth++;
        else if (keyword === T.End && depth > 0) depth--;
      }
    } else if (kind === SPACE) {
      let end = i + 1;
      while (end < n && classOf(text.charCodeAt(end)) === SPACE) end++;
      if (end < n && text.charCodeAt(end) >= 128) end = i + matchAt(SPACES);
      passLines(end - i, undefined);
    } else if (kind === SYMBOL) {
      const next = text.charCodeAt(i + 1);
      if (c === 45 && next === 45) { // -- line comment
        let end = i + 2;
        while (end < n && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
        column += end - i;
        i = end;
        continue;
      }
      if (c === 47 && next === 42) { // /* block comment */, when closed
        const close = text.indexOf('*/', i + 2);
        if (close >= 0) {
          passLines(close + 2 - i, undefined);
          continue;
        }
      }
      if (c === 46 && next === 46 && text.charCodeAt(i + 2) === 46) {
        push(T.Ellipsis, 3);
        continue;
      }
      if (split && c === 59 && depth === 0) { // ; ends an element
        column++;
        i++;
        if (tokens.length === 0) continue;
        yield tokens;
        tokens = [];
        continue;
      }
      const pair = next === 61 || next === 62 ? PAIRS[text.slice(i, i + 2)] : undefined;
      push(pair ?? SINGLE[c]!, pair ? 2 : 1);
    } else if (kind === DIGIT) {
      let end = i + 1;
      while (end < n && classOf(text.charCodeAt(end)) === DIGIT) end++;
      const after = text.charCodeAt(end);
      // Every other number token needs one of these after its leading digits.
      if (!(after === 46 || after === 101 || after === 69 || after === 102 || after === 70 || after === 100 || after === 68
        || after === 108 || after === 76)) {
        push(T.IntLiteral, end - i);
        continue;
      }
      for (const { type, pattern } of NUMBERS) {
        const length = matchAt(pattern);
        if (length > 0) {
          push(type, length);
          break;
        }
      }
    } else if (c === 39 || c === 34) { // ' or "
      const length = matchAt(STRING);
      if (length > 0) pushLines(T.StringLiteral, length);
      else unexpected(1);
    } else if (c === 96) { // `
      const length = matchAt(QUOTED_NAME);
      if (length > 0) push(T.QuotedName, length);
      else unexpected(1);
    } else {
      if (c === 123) { // { a script body, when its braces balance
        const body = matchScriptBody(text, i);
        if (body !== null) {
          pushLines(T.ScriptBody, body[0].length);
          continue;
        }
      }
      const spaces = c >= 128 ? matchAt(SPACES) : -1;
      if (spaces > 0) passLines(spaces, undefined);
      else {
        const length = matchAt(RUN);
        unexpected(length > 0 ? length : 1);
      }
    }
  }
  if (tokens.length > 0 || !split) yield tokens;
}
