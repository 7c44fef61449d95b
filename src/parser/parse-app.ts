// The parser's front door: lex → parse → visit. `parseApp` returns the AST of
// a whole app or throws one SiddhiParseError listing every syntax problem.

import type { CstNode, ILexingError, IRecognitionException, ISerializedGast, IToken, Rule } from 'chevrotain';
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
import { elementSpans, type ElementSpan } from './element-spans.js';
import { lowerBound } from '../sorted.js';
import { lexElements, type LexStart, TEXT_START, tokenize } from './lexer.js';
import { AstBuilder, locationOf } from './visitor.js';
import { quickElement, type QuickElement } from './quick-element.js';

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

/** The tokens of `text` (from `start`), refused past the nesting and name limits. */
function lex(text: string, start?: LexStart): Lexed {
  const lexed = tokenize(text, start);
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
  const segmentOf = (offset: number) => (Number.isNaN(offset) ? semicolons.length : lowerBound(semicolons, offset));
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

/**
 * The spans of `tokens` that do not parse as one element, in order (at most
 * MAX_PROBLEMS): what error recovery then parses alone. The first `parsed`
 * elements are known to parse and are skipped.
 */
function failingSpans(tokens: readonly IToken[], parsed: number): ElementSpan[] {
  const spans = elementSpans(tokens);
  for (let k = 0; k < parsed; k++) spans.next();
  const failing: ElementSpan[] = [];
  for (let s = spans.next(); !s.done && failing.length < MAX_PROBLEMS; s = spans.next()) {
    if (parseElement(tokens, s.value) === undefined) failing.push(s.value);
  }
  return failing;
}

function parseElement(tokens: readonly IToken[], span: ElementSpan): ElementCstNode | undefined {
  return parseElementTokens(tokens.slice(span.start, span.end));
}

/** The CST of one element's tokens, or undefined when they are not one element. */
function parseElementTokens(tokens: readonly IToken[]): ElementCstNode | undefined {
  const p = getStrictParser();
  const cst = runRule(tokens, (q) => q.element(), p);
  return p.errors.length === 0 ? (cst as ElementCstNode) : undefined;
}

/** What parsing an app as it is lexed found. */
export interface StreamedParse {
  /** The app, when every element lexed, kept to the limits and parsed; with the visitor's problems. */
  readonly app?: App;
  readonly problems: readonly ParseProblem[];
  /** Otherwise: where to lex again, the start of the element before the first that failed (or of the text)… */
  readonly resume: LexStart;
  /** …and how many elements from there are known to parse (that one element, or none). */
  readonly parsed: number;
}

/**
 * Lexes, parses and visits one element at a time, so only one element's
 * tokens and CST are alive at once (a 1 MB app's ~300k tokens, alive for the
 * whole parse, were ~30 MB for the garbage collector to copy and mark). It
 * stops at the first element that does not lex, keep to the limits or parse.
 */
export function parseAsLexed(text: string): StreamedParse {
  const errors: ILexingError[] = [];
  const builder = new AstBuilder();
  // The first tokens of the element before the last one read, and of the last one.
  let before: IToken | undefined;
  let last: IToken | undefined;
  let stopped = false;
  function* elements(): Generator<ElementCstNode | QuickElement> {
    for (const tokens of lexElements(text, errors)) {
      before = last;
      last = tokens[0];
      const clean = errors.length === 0 && checkTokens(tokens) === undefined;
      const element = clean ? quickElement(tokens) ?? parseElementTokens(tokens) : undefined;
      if (element === undefined) {
        stopped = true;
        return;
      }
      yield element;
    }
    // Unexpected characters after the last element.
    if (errors.length > 0) {
      stopped = true;
      before = last;
    }
  }
  const app = builder.appOf(elements());
  if (!stopped) return { app, problems: builder.problems, resume: TEXT_START, parsed: 0 };
  if (before === undefined) return { problems: [], resume: TEXT_START, parsed: 0 };
  return { problems: [], resume: { offset: before.startOffset, line: before.startLine!, column: before.startColumn! }, parsed: 1 };
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
  const streamed = parseAsLexed(text);
  if (streamed.app !== undefined) {
    if (streamed.problems.length > 0) throw SiddhiParseError.fromProblems(text, streamed.problems.slice(0, MAX_PROBLEMS));
    return streamed.app;
  }
  // Everything before the element that failed lexed and parsed: the problems are from there on.
  const lexed = lex(text, streamed.resume);
  const tokens = tokensToParse(lexed);
  const errors = recoverSpans(tokens, failingSpans(tokens, streamed.parsed));
  if (errors !== undefined && (errors.length > 0 || lexed.errors.length > 0)) throw syntaxError(text, lexed, tokens, errors);
  // The spans misread the element ends (a name `begin` or `end`): the whole-app parse decides.
  return parseWholeApp(text);
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
