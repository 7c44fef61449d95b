// SiddhiQL tokens and the lexer. Keywords are case-insensitive; most of them
// also belong to the `Identifier` category so that `order`, `end`, `events`,
// `min` … still work as stream, attribute and function names.

import type { TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';
import { matchScriptBody } from './script-body.js';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: 'LineComment', pattern: /--[^\n\r]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED });

export const Identifier = createToken({ name: 'Identifier', pattern: Lexer.NA, label: 'a name' });
export const PlainName = createToken({
  name: 'PlainName',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [Identifier],
  label: 'a name',
});
export const QuotedName = createToken({ name: 'QuotedName', pattern: /`[^`\r\n]+`/, categories: [Identifier], label: 'a name' });

export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /"""[\s\S]*?"""|'[^'\r\n]*'|"[^"\r\n]*"/,
  label: 'a string',
});

/** `{ … }` of `define function f[javascript] return T { … }`, braces balanced. */
export const ScriptBody = createToken({
  name: 'ScriptBody',
  pattern: matchScriptBody,
  line_breaks: true,
  start_chars_hint: ['{'],
  label: 'a script body { … }',
});

export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: Lexer.NA, label: 'a number' });
const NOT_WORD = '(?![A-Za-z0-9_])';
export const FloatLiteral = createToken({
  name: 'FloatLiteral',
  pattern: new RegExp(`(?:\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)[fF]${NOT_WORD}`),
  categories: [NumberLiteral],
  label: 'a number',
});
export const DoubleLiteral = createToken({
  name: 'DoubleLiteral',
  pattern: new RegExp(`\\d+(?:\\.\\d+)?[eE][+-]?\\d+[dD]?${NOT_WORD}|\\d+\\.\\d+[dD]?${NOT_WORD}|\\d+[dD]${NOT_WORD}`),
  categories: [NumberLiteral],
  label: 'a number',
});
export const LongLiteral = createToken({
  name: 'LongLiteral',
  pattern: new RegExp(`\\d+[lL]${NOT_WORD}`),
  categories: [NumberLiteral],
  label: 'a number',
});
export const IntLiteral = createToken({ name: 'IntLiteral', pattern: /\d+/, categories: [NumberLiteral], label: 'an integer' });

/** Operator categories: the grammar keeps expressions flat, precedence.ts orders them. */
export const BinaryOperator = createToken({ name: 'BinaryOperator', pattern: Lexer.NA, label: 'an operator' });
export const PrefixOperator = createToken({ name: 'PrefixOperator', pattern: Lexer.NA, label: "'not', '-' or '+'" });

function symbol(name: string, pattern: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, pattern, label: `'${pattern}'`, categories });
}

export const Arrow = symbol('Arrow', '->');
export const Equal = symbol('Equal', '==', [BinaryOperator]);
export const NotEqual = symbol('NotEqual', '!=', [BinaryOperator]);
export const LessEqual = symbol('LessEqual', '<=', [BinaryOperator]);
export const GreaterEqual = symbol('GreaterEqual', '>=', [BinaryOperator]);
export const Less = symbol('Less', '<', [BinaryOperator]);
export const Greater = symbol('Greater', '>', [BinaryOperator]);
export const Assign = symbol('Assign', '=');
// `+` is also a sign, as in the reference's signed literals: +95, +154L, +95.789f.
export const Plus = symbol('Plus', '+', [BinaryOperator, PrefixOperator]);
export const Minus = symbol('Minus', '-', [BinaryOperator, PrefixOperator]);
export const Star = symbol('Star', '*', [BinaryOperator]);
export const Slash = symbol('Slash', '/', [BinaryOperator]);
export const Percent = symbol('Percent', '%', [BinaryOperator]);
export const LParen = symbol('LParen', '(');
export const RParen = symbol('RParen', ')');
export const LBracket = symbol('LBracket', '[');
export const RBracket = symbol('RBracket', ']');
export const Comma = symbol('Comma', ',');
export const Semi = symbol('Semi', ';');
/** `every sec ... year` in an aggregation definition. */
export const Ellipsis = symbol('Ellipsis', '...');
export const Dot = symbol('Dot', '.');
export const Colon = symbol('Colon', ':');
export const Hash = symbol('Hash', '#');
/** `!S`: the fault stream of S (events whose processing failed, with `_error`). */
export const Bang = symbol('Bang', '!');
export const At = symbol('At', '@');
export const Question = symbol('Question', '?');

/** All keyword tokens; `keywordWords` lists their spellings (for "did you mean" hints). */
const keywordTokens: { token: TokenType; length: number }[] = [];
export const keywordWords: string[] = [];
/** Each keyword by every whole word it matches, lower case (lexer.ts lexes words as names, then looks them up here). */
export const keywordBySpelling = new Map<string, TokenType>();

interface KeywordOptions {
  /** Hard keywords are never names. */
  soft?: boolean;
  pattern?: RegExp;
  categories?: TokenType[];
  /** Every spelling, when `pattern` has several (the longest first). */
  spellings?: readonly string[];
}

function keyword(name: string, word: string, options: KeywordOptions = {}): TokenType {
  const soft = options.soft ?? true;
  const token = createToken({
    name,
    pattern: options.pattern ?? new RegExp(word, 'i'),
    longer_alt: PlainName,
    categories: [...(soft ? [Identifier] : []), ...(options.categories ?? [])],
    label: `'${word}'`,
  });
  const spellings = options.spellings ?? [word];
  keywordTokens.push({ token, length: spellings[0]!.length });
  keywordWords.push(word);
  for (const spelling of spellings) keywordBySpelling.set(spelling, token);
  return token;
}

export const TimeUnit = createToken({ name: 'TimeUnit', pattern: Lexer.NA, label: 'a time unit' });
const unit = (name: string, word: string, pattern: RegExp, spellings: readonly string[]): TokenType =>
  keyword(name, word, { pattern, categories: [TimeUnit], spellings });

// Hard keywords: never names, since they start expressions.
export const True = keyword('True', 'true', { soft: false });
export const False = keyword('False', 'false', { soft: false });
export const Null = keyword('Null', 'null', { soft: false });
export const Not = keyword('Not', 'not', { soft: false, categories: [PrefixOperator] });

export const From = keyword('From', 'from');
export const Select = keyword('Select', 'select');
export const Insert = keyword('Insert', 'insert');
export const Into = keyword('Into', 'into');
export const Define = keyword('Define', 'define');
export const Stream = keyword('Stream', 'stream');
export const Table = keyword('Table', 'table');
export const Window = keyword('Window', 'window');
export const Trigger = keyword('Trigger', 'trigger');
export const Partition = keyword('Partition', 'partition');
export const With = keyword('With', 'with');
export const Begin = keyword('Begin', 'begin');
export const End = keyword('End', 'end');
export const Of = keyword('Of', 'of');
export const As = keyword('As', 'as');
export const Join = keyword('Join', 'join');
export const Inner = keyword('Inner', 'inner');
export const Left = keyword('Left', 'left');
export const Right = keyword('Right', 'right');
export const Full = keyword('Full', 'full');
export const Outer = keyword('Outer', 'outer');
export const Unidirectional = keyword('Unidirectional', 'unidirectional');
export const On = keyword('On', 'on');
export const Within = keyword('Within', 'within');
export const Per = keyword('Per', 'per');
export const Every = keyword('Every', 'every');
export const And = keyword('And', 'and', { categories: [BinaryOperator] });
export const Or = keyword('Or', 'or', { categories: [BinaryOperator] });
export const For = keyword('For', 'for');
export const Is = keyword('Is', 'is');
export const In = keyword('In', 'in');
export const Group = keyword('Group', 'group');
export const By = keyword('By', 'by');
export const Having = keyword('Having', 'having');
export const Order = keyword('Order', 'order');
export const Asc = keyword('Asc', 'asc');
export const Desc = keyword('Desc', 'desc');
export const Limit = keyword('Limit', 'limit');
export const Offset = keyword('Offset', 'offset');
export const Output = keyword('Output', 'output');
export const Snapshot = keyword('Snapshot', 'snapshot');
export const All = keyword('All', 'all');
export const First = keyword('First', 'first');
export const Last = keyword('Last', 'last');
export const Events = keyword('Events', 'events');
export const Current = keyword('Current', 'current');
export const Expired = keyword('Expired', 'expired');
export const Delete = keyword('Delete', 'delete');
export const Update = keyword('Update', 'update');
export const SetKeyword = keyword('SetKeyword', 'set');
export const Return = keyword('Return', 'return');
export const FunctionKeyword = keyword('FunctionKeyword', 'function');
export const AtKeyword = keyword('AtKeyword', 'at');
export const Aggregation = keyword('Aggregation', 'aggregation');
export const Aggregate = keyword('Aggregate', 'aggregate');

export const StringType = keyword('StringType', 'string');
export const IntType = keyword('IntType', 'int');
export const LongType = keyword('LongType', 'long');
export const FloatType = keyword('FloatType', 'float');
export const DoubleType = keyword('DoubleType', 'double');
export const BoolType = keyword('BoolType', 'bool');
export const ObjectType = keyword('ObjectType', 'object');

export const Years = unit('Years', 'year', /years?/i, ['years', 'year']);
export const Months = unit('Months', 'month', /months?/i, ['months', 'month']);
export const Weeks = unit('Weeks', 'week', /weeks?/i, ['weeks', 'week']);
export const Days = unit('Days', 'day', /days?/i, ['days', 'day']);
export const Hours = unit('Hours', 'hour', /hours?/i, ['hours', 'hour']);
export const Minutes = unit('Minutes', 'min', /minutes?|min/i, ['minutes', 'minute', 'min']);
export const Milliseconds = unit('Milliseconds', 'millisecond', /milliseconds?|millisec|ms/i, ['milliseconds', 'millisecond', 'millisec', 'ms']);
export const Seconds = unit('Seconds', 'sec', /seconds?|sec/i, ['seconds', 'second', 'sec']);

export const allTokens: TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  StringLiteral,
  ScriptBody,
  FloatLiteral,
  DoubleLiteral,
  LongLiteral,
  IntLiteral,
  NumberLiteral,
  Arrow,
  Equal,
  NotEqual,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  Assign,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Semi,
  Ellipsis,
  Dot,
  Colon,
  Hash,
  Bang,
  At,
  Question,
  ...keywordTokens.sort((a, b) => b.length - a.length).map((k) => k.token),
  TimeUnit,
  BinaryOperator,
  PrefixOperator,
  Identifier,
  QuotedName,
  PlainName,
];

/** The keyword tokens (lexer.ts lexes them as names and looks them up). */
export const keywords: ReadonlySet<TokenType> = new Set(keywordTokens.map((k) => k.token));

/** The lexer's options; production skips Chevrotain's token validations (a test runs them). */
export const LEXER_OPTIONS = { positionTracking: 'full', ensureOptimizations: false } as const;

