// The parser's front door: lex → parse → visit. `parseApp` returns the AST of
// a whole app or throws one SiddhiParseError listing every syntax problem.

import type { CstNode, ISerializedGast, Rule } from 'chevrotain';
import { tokenMatcher } from './chevrotain.js';
import type { App } from '../ast/app.js';
import type { Expression } from '../ast/expression.js';
import { SiddhiParseError, type ParseProblem } from '../errors.js';
import type { AppCstNode, ExpressionCstNode, OnDemandQueryCstNode } from './cst.js';
import type { OnDemandQuery } from '../ast/on-demand.js';
import { SiddhiParser, TooManySyntaxErrors } from './grammar.js';
import { checkTokens, MAX_PROBLEMS } from './limits.js';
import { errorMessageProvider, problemFromLexerError, problemFromParserError } from './syntax-errors.js';
import { Semi } from './tokens.js';
import { tokenize } from './lexer.js';
import { AstBuilder, locationOf } from './visitor.js';

let parser: SiddhiParser | undefined;

/** The one parser instance; building it runs Chevrotain's grammar analysis once. */
function getParser(): SiddhiParser {
  parser ??= new SiddhiParser({ errorMessageProvider });
  return parser;
}

function parseCst<N extends CstNode>(text: string, rule: (p: SiddhiParser) => CstNode): N {
  const lexed = tokenize(text);
  // Before parsing: the parser recurses once per bracket level.
  const overLimit = checkTokens(lexed.tokens);
  if (overLimit) throw SiddhiParseError.fromProblems(text, [overLimit]);
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
  const cst = parseCst<AppCstNode>(text, (p) => p.app());
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
