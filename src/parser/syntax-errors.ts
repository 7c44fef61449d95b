// Turns Chevrotain lexer and parser errors into ParseProblems with a location,
// the offending text, what was expected, and a hint for common mistakes.

import type { ILexingError, IParserErrorMessageProvider, IRecognitionException, IToken, TokenType } from 'chevrotain';
import { EOF, tokenLabel, tokenMatcher } from './chevrotain.js';
import type { ParseProblem } from '../errors.js';
import * as T from './tokens.js';

const MAX_LISTED = 8;

/** Rules whose alternatives are summarised instead of listed token by token. */
const RULE_DESCRIPTIONS: Record<string, string> = {
  expression: 'an expression',
  operand: 'an expression',
  primary: 'an expression',
  selector: "'*' or an expression",
  element: "'define', 'from', 'partition' or an annotation",
};

function describeToken(token: IToken): string {
  if (token.tokenType === EOF) return 'end of input';
  if (tokenMatcher(token, T.StringLiteral)) return `string ${token.image}`;
  return `'${token.image}'`;
}

function listExpected(paths: TokenType[][][], ruleName: string): string {
  const described = RULE_DESCRIPTIONS[ruleName];
  if (described !== undefined) return described;
  const labels: string[] = [];
  for (const alt of paths) {
    for (const path of alt) {
      const first = path[0];
      if (first === undefined) continue;
      const label = first === EOF ? 'end of input' : tokenLabel(first);
      if (!labels.includes(label)) labels.push(label);
    }
  }
  if (labels.length === 0) return 'something else';
  const shown = labels.length > MAX_LISTED ? [...labels.slice(0, MAX_LISTED), '…'] : labels;
  return shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

/** Messages of the form "expected X but found Y", so that `expected` can be recovered. */
export const errorMessageProvider: IParserErrorMessageProvider = {
  // EOF is expected after the last complete element; problemFromParserError rewords it.
  buildMismatchTokenMessage: ({ expected, actual }) =>
    expected === EOF
      ? `unexpected ${describeToken(actual)}`
      : `expected ${tokenLabel(expected)} but found ${describeToken(actual)}`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) => `unexpected ${describeToken(firstRedundant)}`,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual, ruleName }) =>
    `expected ${listExpected(expectedPathsPerAlt, ruleName)} but found ${describeToken(actual[0]!)}`,
  buildEarlyExitMessage: ({ expectedIterationPaths, actual, ruleName }) =>
    `expected ${listExpected([expectedIterationPaths], ruleName)} but found ${describeToken(actual[0]!)}`,
};

/** Where a token starts; end of input is placed just after the last real token. */
function positionOf(token: IToken, previous: IToken | undefined): { line: number; column: number } {
  if (token.tokenType !== EOF && Number.isFinite(token.startLine)) {
    return { line: token.startLine!, column: token.startColumn! };
  }
  if (previous && Number.isFinite(previous.endLine)) return { line: previous.endLine!, column: previous.endColumn! + 1 };
  return { line: 1, column: 1 };
}

const ELEMENT_STARTS = [T.Define, T.From, T.Partition, T.At];

/** Keywords that start a clause; when one is consumed as a name, the error right after is puzzling. */
const CLAUSE_KEYWORDS = [
  T.Select, T.Insert, T.Into, T.Group, T.Having, T.Order, T.Limit, T.Offset, T.Output,
  T.Delete, T.Update, T.Return, T.Join, T.On, T.Within, T.Per, T.Begin, T.End,
];

export function problemFromParserError(error: IRecognitionException, tokens: readonly IToken[]): ParseProblem {
  const token = error.token;
  const index = tokens.indexOf(token);
  const previous = index > 0 ? tokens[index - 1] : index < 0 ? tokens[tokens.length - 1] : undefined;
  const { line, column } = positionOf(token, previous);
  let message = error.message;
  if (message.startsWith('unexpected ')) {
    // Left over after an element: either a ';' is missing or a new element starts wrongly.
    const next = previous === undefined || tokenMatcher(previous, T.Semi) ? RULE_DESCRIPTIONS.element! : "';'";
    message = `expected ${next} but found ${describeToken(token)}`;
  }
  if (previous && tokenMatcher(previous, T.Every) && /^\d/.test(token.image)) {
    // The number itself fits; what is missing is the word after it.
    message = `expected 'events' or a time unit after '${token.image}'`;
  }
  const expected = /^expected (.+) but found /.exec(message)?.[1];
  const hint = hintFor(token, previous, index > 1 ? tokens[index - 2] : undefined, expected ?? '');
  return {
    message,
    line,
    column,
    offendingText: token.tokenType === EOF ? '' : token.image,
    ...(expected !== undefined ? { expected } : {}),
    ...(hint !== undefined ? { hint } : {}),
  };
}

function hintFor(
  token: IToken,
  previous: IToken | undefined,
  beforePrevious: IToken | undefined,
  expected: string,
): string | undefined {
  if (token.tokenType === EOF) return 'the app ends in the middle of an element; is something missing at the end?';
  if (ELEMENT_STARTS.some((t) => tokenMatcher(token, t)) && previous && !tokenMatcher(previous, T.Semi)) {
    return `missing ';' before '${token.image}'? Definitions, queries and partitions are separated by ';'`;
  }
  if (previous && tokenMatcher(previous, T.Every) && /^\d/.test(token.image)) {
    return `write a count of events ('every ${token.image} events') or a time with a unit ('every ${token.image} sec')`;
  }
  if (tokenMatcher(token, T.Assign) && beforePrevious && tokenMatcher(beforePrevious, T.Not)) {
    return "an absent element ('not S[…] for <time>') cannot be bound to a reference such as 'e2='";
  }
  if (tokenMatcher(token, T.PlainName)) {
    const keyword = closestKeyword(token.image, expected);
    if (keyword !== undefined) return `'${token.image}' is not a keyword; did you mean '${keyword}'?`;
  }
  if (previous && CLAUSE_KEYWORDS.some((t) => tokenMatcher(previous, t))) {
    return `'${previous.image}' was read as a name here (keywords may be names); is something missing before it?`;
  }
  return undefined;
}

/** The keyword `word` is probably a typo of, preferring keywords that were expected there. */
function closestKeyword(word: string, expected: string): string | undefined {
  // No keyword is longer than ~12 letters: a long word cannot be a typo of one (and costs length² to compare).
  if (word.length < 3 || word.length > 24) return undefined;
  const lower = word.toLowerCase();
  const limit = lower.length <= 4 ? 2 : 3;
  const expectedWords = T.keywordWords.filter((k) => expected.includes(`'${k}'`));
  for (const candidates of [expectedWords, T.keywordWords]) {
    let best: string | undefined;
    let bestDistance = limit;
    for (const keyword of candidates) {
      if (Math.abs(lower.length - keyword.length) >= bestDistance) continue;
      const d = editDistance(lower, keyword);
      if (d < bestDistance) {
        best = keyword;
        bestDistance = d;
      }
    }
    if (best !== undefined) return best;
  }
  return undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

export function problemFromLexerError(error: ILexingError, text: string): ParseProblem {
  const char = text.slice(error.offset, error.offset + Math.max(1, error.length));
  const quote = char.startsWith("'") || char.startsWith('"');
  return {
    message: `unexpected character ${JSON.stringify(char[0] ?? '')}`,
    line: error.line ?? 1,
    column: error.column ?? 1,
    offendingText: char,
    ...(quote ? { hint: 'unterminated string literal? Strings end on the same line with the same quote' } : {}),
  };
}
