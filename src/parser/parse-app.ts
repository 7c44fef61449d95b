// The parser's front door: lex → parse → visit. `parseApp` returns the AST of
// a whole app or throws one SiddhiParseError listing every syntax problem.

import type { CstNode, IRecognitionException, ISerializedGast, IToken, Rule } from 'chevrotain';
import { EOF, tokenMatcher } from './chevrotain.js';
import type { App } from '../ast/app.js';
import type { Expression } from '../ast/expression.js';
import { SiddhiParseError, type ParseProblem } from '../errors.js';
import type { AppCstNode, ElementCstNode, ExpressionCstNode, OnDemandQueryCstNode } from './cst.js';
import type { OnDemandQuery } from '../ast/on-demand.js';
import { SiddhiParser, TooManySyntaxErrors } from './grammar.js';
import { checkTokens, MAX_PROBLEMS } from './limits.js';
import { errorMessageProvider, problemFromLexerError, problemFromParserError } from './syntax-errors.js';
import { Semi } from './tokens.js';
import { countBelow, elementSpans, type ElementSpan } from './element-spans.js';
import { tokenize } from './lexer.js';
import { AstBuilder, locationOf } from './visitor.js';

let parser: SiddhiParser | undefined;
let strictParser: SiddhiParser | undefined;

/** The one recovering parser instance; building it runs Chevrotain's grammar analysis once. */
function getParser(): SiddhiParser {
  parser ??= new SiddhiParser({ errorMessageProvider });
  return parser;
}

/** The parser without error recovery: the element scan only asks whether an element parses. */
function getStrictParser(): SiddhiParser {
  strictParser ??= new SiddhiParser({ errorMessageProvider, recovery: false });
  return strictParser;
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

/** The tokens worth parsing: past MAX_PROBLEMS lexer errors nothing after the last shown one is reported. */
function tokensToParse(lexed: Lexed): readonly IToken[] {
  const cut = lexed.errors.length >= MAX_PROBLEMS ? lexed.errors[MAX_PROBLEMS - 1]!.offset : Infinity;
  return cut === Infinity ? lexed.tokens : lexed.tokens.filter((t) => t.startOffset < cut);
}

/** `rule` over `tokens`; its syntax errors are left in the parser's `errors`. */
function runRule(tokens: readonly IToken[], rule: (p: SiddhiParser) => CstNode, p: SiddhiParser = getParser()): CstNode | undefined {
  p.input = tokens as IToken[];
  try {
    return rule(p);
  } catch (e) {
    if (!(e instanceof TooManySyntaxErrors)) throw e;
    return undefined;
  }
}

function parseCst<N extends CstNode>(text: string, rule: (p: SiddhiParser) => CstNode, lexed: Lexed = lex(text)): N {
  const tokens = tokensToParse(lexed);
  const cst = runRule(tokens, rule);
  const errors = getParser().errors;
  if (lexed.errors.length === 0 && errors.length === 0) return cst as N;
  throw syntaxError(text, lexed, tokens, errors);
}

/**
 * The error listing lexer errors and the first parser error of each
 * `;`-separated segment: later ones there are usually consequences of the
 * first (a skipped character, a recovery guess).
 */
function syntaxError(text: string, lexed: Lexed, tokens: readonly IToken[], parserErrors: readonly IRecognitionException[]): SiddhiParseError {
  const semicolons = tokens.filter((t) => tokenMatcher(t, Semi)).map((t) => t.startOffset);
  const segmentOf = (offset: number) => (Number.isNaN(offset) ? semicolons.length : countBelow(semicolons, offset));
  const seen = new Set<number>();
  const problems: ParseProblem[] = [];
  for (const error of lexed.errors) {
    problems.push(problemFromLexerError(error, text));
    seen.add(segmentOf(error.offset));
  }
  for (const error of parserErrors) {
    const segment = segmentOf(error.token.startOffset);
    if (seen.has(segment)) continue;
    seen.add(segment);
    problems.push(problemFromParserError(error, tokens));
  }
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return SiddhiParseError.fromProblems(text, problems.slice(0, MAX_PROBLEMS));
}

/** What scanning an app element by element found. */
export interface ElementScan {
  /** The app, when every element parsed and the scan was asked to visit them. */
  readonly app?: App;
  /** The visitor's problems in that app. */
  readonly problems: readonly ParseProblem[];
  /** The spans that do not parse as one element, in order (at most MAX_PROBLEMS). */
  readonly failing: readonly ElementSpan[];
}

/**
 * Parses `tokens` one element at a time (and visits them into an app when
 * `visit`), so no more than one element's CST is alive at once: a 1 MB app's
 * whole CST took hundreds of MB, and moving it through the heap was most of
 * the parse. Past the first element with a syntax error only syntax is
 * checked, to find the failing spans that error recovery then parses alone.
 */
export function scanElements(tokens: readonly IToken[], visit: boolean): ElementScan {
  const spans = elementSpans(tokens);
  const failing: ElementSpan[] = [];
  const builder = new AstBuilder();
  const app = visit ? builder.appOf(validElements(tokens, spans, failing)) : undefined;
  for (let s = spans.next(); !s.done && failing.length < MAX_PROBLEMS; s = spans.next()) {
    if (parseElement(tokens, s.value) === undefined) failing.push(s.value);
  }
  return { ...(app !== undefined && failing.length === 0 ? { app } : {}), problems: builder.problems, failing };
}

/** Each span's element CST while they parse; the first that does not goes to `failing` and ends them. */
function* validElements(tokens: readonly IToken[], spans: Iterator<ElementSpan>, failing: ElementSpan[]): Generator<ElementCstNode> {
  for (let s = spans.next(); !s.done; s = spans.next()) {
    const cst = parseElement(tokens, s.value);
    if (cst === undefined) {
      failing.push(s.value);
      return;
    }
    yield cst;
  }
}

function parseElement(tokens: readonly IToken[], span: ElementSpan): ElementCstNode | undefined {
  const p = getStrictParser();
  const cst = runRule(tokens.slice(span.start, span.end), (q) => q.element(), p);
  return p.errors.length === 0 ? (cst as ElementCstNode) : undefined;
}

/**
 * Error recovery over each failing span with the element before it, as an app
 * (with the span's `;`, so an error there reads "found ';'" as in the whole
 * app): the work is that of the broken elements, not of the whole app around
 * them. Undefined when an error is at the end of a range that ends before the
 * app does, where the whole app has more to read.
 */
function recoverSpans(tokens: readonly IToken[], failing: readonly ElementSpan[]): IRecognitionException[] | undefined {
  const ranges: { start: number; end: number }[] = [];
  for (const span of failing) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && span.previous <= last.end) last.end = span.end + 1;
    else ranges.push({ start: span.previous, end: span.end + 1 });
  }
  const errors: IRecognitionException[] = [];
  for (const range of ranges) {
    runRule(tokens.slice(range.start, range.end), (p) => p.app());
    const found = getParser().errors;
    if (range.end < tokens.length && found.some((e) => e.token.tokenType === EOF)) return undefined;
    errors.push(...found);
  }
  return errors;
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
  const tokens = tokensToParse(lexed);
  const scan = scanElements(tokens, lexed.errors.length === 0);
  if (scan.app !== undefined) {
    if (scan.problems.length > 0) throw SiddhiParseError.fromProblems(text, scan.problems.slice(0, MAX_PROBLEMS));
    return scan.app;
  }
  const errors = recoverSpans(tokens, scan.failing);
  if (errors !== undefined && (errors.length > 0 || lexed.errors.length > 0)) throw syntaxError(text, lexed, tokens, errors);
  // The spans misread the element ends (a name `begin` or `end`): the whole-app parse decides.
  return parseWholeApp(text, lexed);
}

/**
 * The app parsed as one CST, with error recovery over all of it: what parseApp
 * falls back on, and what tests compare its errors with.
 */
export function parseWholeApp(text: string, lexed: Lexed = lex(text)): App {
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
