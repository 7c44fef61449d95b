// The parser's front door: lex → parse → visit. `parseApp` returns the AST of
// a whole app or throws one SiddhiParseError listing every syntax problem.

import type { CstNode, ISerializedGast, IToken, Rule } from 'chevrotain';
import { tokenMatcher } from './chevrotain.js';
import type { App } from '../ast/app.js';
import type { Expression } from '../ast/expression.js';
import { SiddhiParseError, type ParseProblem } from '../errors.js';
import type { AppCstNode, ElementCstNode, ExpressionCstNode, OnDemandQueryCstNode } from './cst.js';
import type { OnDemandQuery } from '../ast/on-demand.js';
import { SiddhiParser, TooManySyntaxErrors } from './grammar.js';
import { checkTokens, MAX_PROBLEMS } from './limits.js';
import { errorMessageProvider, problemFromLexerError, problemFromParserError } from './syntax-errors.js';
import { Begin, End, Semi } from './tokens.js';
import { tokenize } from './lexer.js';
import { AstBuilder, locationOf } from './visitor.js';

let parser: SiddhiParser | undefined;

/** The one parser instance; building it runs Chevrotain's grammar analysis once. */
function getParser(): SiddhiParser {
  parser ??= new SiddhiParser({ errorMessageProvider });
  return parser;
}

type Lexed = ReturnType<typeof tokenize>;

/** The tokens of `text`, refused past the nesting and name limits. */
function lex(text: string): Lexed {
  const lexed = tokenize(text);
  // Before parsing: the parser recurses once per bracket level.
  const overLimit = checkTokens(lexed.tokens);
  if (overLimit) throw SiddhiParseError.fromProblems(text, [overLimit]);
  return lexed;
}

function parseCst<N extends CstNode>(text: string, rule: (p: SiddhiParser) => CstNode, lexed: Lexed = lex(text)): N {
  const p = getParser();
  // Past MAX_PROBLEMS lexer errors nothing after the last shown one is reported: parse only up to it.
  const cut = lexed.errors.length >= MAX_PROBLEMS ? lexed.errors[MAX_PROBLEMS - 1]!.offset : Infinity;
  const tokens = cut === Infinity ? lexed.tokens : lexed.tokens.filter((t) => t.startOffset < cut);
  p.input = tokens;
  let cst: CstNode | undefined;
  try {
    cst = rule(p);
  } catch (e) {
    if (!(e instanceof TooManySyntaxErrors)) throw e;
  }
  if (lexed.errors.length === 0 && p.errors.length === 0) return cst as N;

  // Report the first problem of each `;`-separated segment: later ones there are
  // usually consequences of the first (a skipped character, a recovery guess).
  const semicolons = tokens.filter((t) => tokenMatcher(t, Semi)).map((t) => t.startOffset);
  const segmentOf = (offset: number) => (Number.isNaN(offset) ? semicolons.length : countBelow(semicolons, offset));
  const seen = new Set<number>();
  const problems: ParseProblem[] = [];
  for (const error of lexed.errors) {
    problems.push(problemFromLexerError(error, text));
    seen.add(segmentOf(error.offset));
  }
  for (const error of p.errors) {
    const segment = segmentOf(error.token.startOffset);
    if (seen.has(segment)) continue;
    seen.add(segment);
    problems.push(problemFromParserError(error, tokens));
  }
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  throw SiddhiParseError.fromProblems(text, problems.slice(0, MAX_PROBLEMS));
}

/** Thrown by `elementsOf` at an element with a problem. */
class ElementProblem extends Error {}

/**
 * The app of valid `tokens`, parsed and visited one element at a time, so no
 * more than one element's CST is alive at once: a 1 MB app's whole CST took
 * hundreds of MB, and moving it through the heap was most of the parse. An app
 * with a syntax error gives undefined; the whole-app parse then reports them all
 * (with the same messages as always, recovery and follow sets included). The
 * visitor's problems are the same either way.
 */
export function parseByElement(tokens: readonly IToken[]): { app: App; problems: readonly ParseProblem[] } | undefined {
  const builder = new AstBuilder();
  try {
    return { app: builder.appOf(elementsOf(tokens)), problems: builder.problems };
  } catch (e) {
    if (e instanceof ElementProblem || e instanceof TooManySyntaxErrors) return undefined;
    throw e;
  }
}

/**
 * Each `;`-separated element's CST in turn (the `;` inside `partition … begin
 * … end` stay in theirs). A `begin` or `end` that is a name can only make a
 * segment fail to parse, which falls back to the whole-app parse.
 */
function* elementsOf(tokens: readonly IToken[]): Generator<ElementCstNode> {
  const p = getParser();
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= tokens.length; i++) {
    const t = tokens[i];
    if (t !== undefined) {
      if (tokenMatcher(t, Begin)) depth++;
      else if (depth > 0 && tokenMatcher(t, End)) depth--;
      if (depth > 0 || !tokenMatcher(t, Semi)) continue;
    }
    if (i > start) {
      p.input = tokens.slice(start, i);
      const cst = p.element() as ElementCstNode;
      if (p.errors.length > 0) throw new ElementProblem();
      yield cst;
    }
    start = i + 1;
  }
}

/** How many of the sorted `values` are below `x`. */
function countBelow(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Parses a whole SiddhiQL app.
 * @throws SiddhiParseError with every syntax problem, each with line, column and a caret excerpt.
 *
 * @example
 * const app = parseApp('define stream S (a int); from S select a insert into O;');
 * app.elements.map((e) => e.kind); // ['stream', 'query']
 */
export function parseApp(text: string): App {
  const lexed = lex(text);
  const byElement = lexed.errors.length === 0 ? parseByElement(lexed.tokens) : undefined;
  if (byElement?.problems.length === 0) return byElement.app;
  if (byElement) throw SiddhiParseError.fromProblems(text, byElement.problems.slice(0, MAX_PROBLEMS));
  const cst = parseCst<AppCstNode>(text, (p) => p.app(), lexed);
  const builder = new AstBuilder();
  const app = builder.app(cst.children);
  if (builder.problems.length > 0) throw SiddhiParseError.fromProblems(text, builder.problems.slice(0, MAX_PROBLEMS));
  return app;
}

/**
 * Parses an on-demand query, e.g. `from T on price > 10 select symbol, price`.
 * @throws SiddhiParseError with line and column of each syntax problem.
 */
export function parseOnDemandQuery(text: string): OnDemandQuery {
  const cst = parseCst<OnDemandQueryCstNode>(text, (p) => p.onDemandQuery());
  const builder = new AstBuilder();
  const query = builder.onDemandQuery(cst.children, locationOf(cst));
  if (builder.problems.length > 0) throw SiddhiParseError.fromProblems(text, builder.problems);
  return query;
}

/** Parses one expression, e.g. `price > 10 and symbol == 'IBM'` (for tests and tools). */
export function parseExpression(text: string): Expression {
  const cst = parseCst<ExpressionCstNode>(text, (p) => p.expression());
  const builder = new AstBuilder();
  const expression = builder.expression(cst.children, locationOf(cst));
  if (builder.problems.length > 0) throw SiddhiParseError.fromProblems(text, builder.problems.slice(0, MAX_PROBLEMS));
  return expression;
}

/** The grammar in Chevrotain's serialized form (input of the syntax diagrams). */
export function getSerializedGrammar(): ISerializedGast[] {
  return getParser().getSerializedGastProductions();
}

/** The grammar's rules (input of the generated CST types). */
export function getGrammarProductions(): Record<string, Rule> {
  return getParser().getGAstProductions();
}
