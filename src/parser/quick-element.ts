// A hand-written reader for the commonest element shapes (a stream definition;
// a query from one stream with filters, windows and stream functions, a
// select clause and `insert into`), straight from tokens to the AST the
// grammar and visitor build, without Chevrotain's CST: building that was most
// of parsing a large app (issue 13). It reads a subset of the grammar and gives
// up (undefined) on anything else, on anything the visitor would report, and
// on anything unsure; parse-app.ts then parses the element with Chevrotain.
// test/parser/quick-element.test.ts holds it to the grammar's AST, key order
// included, on every case app and on mutated elements.

import type { IToken } from 'chevrotain';
import { tokenMatcher } from './chevrotain.js';
import type { Annotation, AnnotationElement, Attribute, AttributeType, OutputEventType, StreamDefinition, WindowCall } from '../ast/definition.js';
import type { Expression, FunctionCall, Variable } from '../ast/expression.js';
import type { InsertInto, OrderByAttribute, OutputAttribute, Query, Selector, SingleInput, StreamHandler } from '../ast/query.js';
import { INT_MAX, nameValue, numberValue, stringValue } from './literals.js';
import { MAX_EXPRESSION_DEPTH } from './limits.js';
import { applyPrecedence, tokenLocation, type ExpressionItem } from './precedence.js';
import * as T from './tokens.js';

/** An element read without Chevrotain: its annotations (the visitor lifts `@app:…` ones) and its body. */
export interface QuickElement {
  readonly annotations: Annotation[];
  readonly body: StreamDefinition | Query;
}

/** Thrown inside the reader when the element is not of its subset (caught in quickElement). */
const GIVE_UP = new Error('not a quick element');

const ATTRIBUTE_TYPES = new Map<unknown, AttributeType>([
  [T.StringType, 'string'], [T.IntType, 'int'], [T.LongType, 'long'], [T.FloatType, 'float'],
  [T.DoubleType, 'double'], [T.BoolType, 'bool'], [T.ObjectType, 'object'],
]);

const EVENT_TYPES = new Map<unknown, OutputEventType>([[T.All, 'all'], [T.Current, 'current'], [T.Expired, 'expired']]);

/** Tokens that may follow a query's single input in this subset (anything else may be a join or a pattern). */
const AFTER_INPUT = new Set<unknown>([T.Select, T.Insert]);

/**
 * The AST of one element's tokens (without its `;`), or undefined when they
 * are not of the subset read here. Past MAX_EXPRESSION_DEPTH tokens the
 * visitor's depth and size limits could apply: such elements are left to it.
 */
export function quickElement(tokens: readonly IToken[]): QuickElement | undefined {
  if (tokens.length >= MAX_EXPRESSION_DEPTH) return undefined;
  try {
    return new Reader(tokens).element();
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

class Reader {
  private i = 0;

  constructor(private readonly tokens: readonly IToken[]) {}

  element(): QuickElement {
    const annotations: Annotation[] = [];
    while (this.is(T.At)) annotations.push(this.annotation());
    const body = this.is(T.Define) ? this.streamDefinition() : this.query();
    if (this.i !== this.tokens.length) throw GIVE_UP;
    return { annotations, body };
  }

  // ---- tokens -------------------------------------------------------------------

  private peek(k = 0): IToken | undefined {
    return this.tokens[this.i + k];
  }

  private is(type: unknown, k = 0): boolean {
    return this.tokens[this.i + k]?.tokenType === type;
  }

  private isName(k = 0): boolean {
    const t = this.tokens[this.i + k];
    return t !== undefined && tokenMatcher(t, T.Identifier);
  }

  private take(type: unknown): IToken {
    const t = this.tokens[this.i];
    if (t === undefined || t.tokenType !== type) throw GIVE_UP;
    this.i++;
    return t;
  }

  /** `<keyword> by a, b, …` when the next token is `keyword` (group, order), else an empty list. */
  private byList<X>(keyword: unknown, read: () => X): X[] {
    if (!this.is(keyword)) return [];
    this.i++;
    this.take(T.By);
    return this.commaList(read);
  }

  /** `read()`, then again after each comma: as an exact-size array (a pushed one keeps room for 17). */
  private commaList<X>(read: () => X): X[] {
    const items = [read()];
    while (this.is(T.Comma)) {
      this.i++;
      items.push(read());
    }
    return exact(items);
  }

  private name(): IToken {
    if (!this.isName()) throw GIVE_UP;
    return this.tokens[this.i++]!;
  }

  // ---- annotations and definitions ----------------------------------------------

  private annotation(): Annotation {
    const loc = tokenLocation(this.take(T.At));
    const first = nameValue(this.name());
    const second = this.is(T.Colon) ? (this.i++, nameValue(this.name())) : undefined;
    let elements: AnnotationElement[] = [];
    if (this.is(T.LParen)) {
      this.i++;
      if (!this.is(T.RParen)) elements = this.commaList(() => this.annotationElement());
      this.take(T.RParen);
    }
    const head = second === undefined ? { name: first } : { namespace: first, name: second };
    return { kind: 'annotation', ...head, elements, annotations: [], loc };
  }

  /** `key = value` or `value`; a nested annotation is left to the grammar. */
  private annotationElement(): AnnotationElement {
    const start = this.peek();
    if (start === undefined) throw GIVE_UP;
    const loc = tokenLocation(start);
    if (this.isName()) {
      let key = nameValue(this.name());
      while (this.is(T.Dot) || this.is(T.Colon) || this.is(T.Minus)) key += this.tokens[this.i++]!.image + nameValue(this.name());
      this.take(T.Assign);
      return { key, value: this.propertyValue(), loc };
    }
    return { value: this.propertyValue(), loc };
  }

  private propertyValue(): string {
    const t = this.peek();
    if (t === undefined) throw GIVE_UP;
    this.i++;
    if (t.tokenType === T.StringLiteral) return stringValue(t);
    if (tokenMatcher(t, T.NumberLiteral) || t.tokenType === T.True || t.tokenType === T.False) return t.image;
    throw GIVE_UP;
  }

  private streamDefinition(): StreamDefinition {
    const loc = tokenLocation(this.take(T.Define));
    this.take(T.Stream);
    const name = nameValue(this.name());
    this.take(T.LParen);
    const attributes = this.commaList(() => this.attribute());
    this.take(T.RParen);
    return { kind: 'stream', name, attributes, annotations: [], loc };
  }

  private attribute(): Attribute {
    const token = this.name();
    const type = ATTRIBUTE_TYPES.get(this.peek()?.tokenType);
    if (type === undefined) throw GIVE_UP;
    this.i++;
    return { name: nameValue(token), type, loc: tokenLocation(token) };
  }

  // ---- queries --------------------------------------------------------------------

  private query(): Query {
    const loc = tokenLocation(this.take(T.From));
    // The grammar reads a pattern from `every`, `not`, `(` or `e1=`; not here.
    if (!this.is(T.Hash) && !this.is(T.Bang) && (!this.isName() || this.is(T.Every) || this.is(T.Assign, 1))) throw GIVE_UP;
    const input = this.source();
    if (!AFTER_INPUT.has(this.peek()?.tokenType)) throw GIVE_UP;
    const selector: Selector = this.is(T.Select) ? this.selector() : { star: true, attributes: [], groupBy: [], orderBy: [], loc };
    const output = this.insertInto();
    return { kind: 'query', annotations: [], input, selector, output, loc };
  }

  private source(): SingleInput {
    const loc = tokenLocation(this.peek()!);
    const bang = this.is(T.Bang);
    const hash = this.is(T.Hash);
    if (bang || hash) this.i++;
    const stream = `${bang ? '!' : ''}${nameValue(this.name())}`;
    const handlers: StreamHandler[] = [];
    while (this.is(T.LBracket) || this.is(T.Hash)) handlers.push(this.streamHandler());
    return { kind: 'single', stream, inner: hash, handlers: exact(handlers), loc };
  }

  private streamHandler(): StreamHandler {
    const loc = tokenLocation(this.peek()!);
    // A filter may be written `#[cond]`.
    if (this.is(T.LBracket) || (this.is(T.Hash) && this.is(T.LBracket, 1))) {
      this.i += this.is(T.Hash) ? 2 : 1;
      const condition = this.expression();
      this.take(T.RBracket);
      return { kind: 'filter', condition, loc };
    }
    this.i++;
    if (this.is(T.Window) && this.is(T.Dot, 1)) {
      this.i += 2;
      return { kind: 'window', call: this.windowCall(), loc };
    }
    return { kind: 'function', call: this.windowCall(), loc };
  }

  private windowCall(): WindowCall {
    const call = this.functionCall();
    // The visitor refuses `w(*)`.
    if (call.star) throw GIVE_UP;
    return { ...(call.namespace ? { namespace: call.namespace } : {}), name: call.name, args: call.args, loc: call.loc };
  }

  private selector(): Selector {
    const loc = tokenLocation(this.take(T.Select));
    let star = false;
    let attributes: OutputAttribute[] = [];
    if (this.is(T.Star)) {
      this.i++;
      star = true;
    } else {
      attributes = this.commaList(() => this.outputAttribute());
    }
    const groupBy: Variable[] = this.byList(T.Group, () => this.variable());
    const having = this.is(T.Having) ? (this.i++, this.expression()) : undefined;
    const orderBy: OrderByAttribute[] = this.byList(T.Order, () => this.orderByItem());
    const limit = this.is(T.Limit) ? (this.i++, this.expression()) : undefined;
    const offset = this.is(T.Offset) ? (this.i++, this.expression()) : undefined;
    return {
      star,
      attributes,
      groupBy,
      ...(having ? { having } : {}),
      orderBy,
      ...(limit ? { limit } : {}),
      ...(offset ? { offset } : {}),
      loc,
    };
  }

  private outputAttribute(): OutputAttribute {
    const loc = tokenLocation(this.peek() ?? fail());
    const expression = this.expression();
    if (!this.is(T.As)) return { expression, loc };
    this.i++;
    return { expression, rename: nameValue(this.name()), loc };
  }

  private orderByItem(): OrderByAttribute {
    const variable = this.variable();
    const desc = this.is(T.Desc);
    if (desc || this.is(T.Asc)) this.i++;
    return { variable, order: desc ? 'desc' : 'asc', loc: variable.loc };
  }

  private insertInto(): InsertInto {
    const loc = tokenLocation(this.take(T.Insert));
    let events: OutputEventType = 'current';
    if (!this.is(T.Into)) {
      events = EVENT_TYPES.get(this.peek()?.tokenType) ?? fail();
      this.i++;
      this.take(T.Events);
    }
    this.take(T.Into);
    const inner = this.is(T.Hash);
    if (inner) this.i++;
    return { kind: 'insert', target: nameValue(this.name()), inner, events, loc };
  }

  // ---- expressions -------------------------------------------------------------

  /** Operands and operators in source order, then precedence.ts orders them, as the visitor does. */
  private expression(): Expression {
    const items: ExpressionItem[] = [];
    this.operand(items);
    for (let t = this.peek(); t !== undefined && tokenMatcher(t, T.BinaryOperator); t = this.peek()) {
      this.i++;
      items.push({ kind: 'binary', token: t });
      this.operand(items);
    }
    return applyPrecedence(items);
  }

  private operand(items: ExpressionItem[]): void {
    for (let t = this.peek(); t !== undefined && tokenMatcher(t, T.PrefixOperator); t = this.peek()) {
      this.i++;
      items.push({ kind: 'prefix', token: t });
    }
    items.push({ kind: 'atom', expression: this.primary() });
    for (;;) {
      const t = this.peek();
      if (t?.tokenType === T.Is && this.is(T.Null, 1)) {
        this.i += 2;
        items.push({ kind: 'isNull', token: t });
      } else if (t?.tokenType === T.In && this.isName(1)) {
        this.i++;
        items.push({ kind: 'in', token: t, table: nameValue(this.name()) });
      } else {
        return;
      }
    }
  }

  private primary(): Expression {
    const t = this.peek() ?? fail();
    const loc = tokenLocation(t);
    const type = t.tokenType;
    if (type === T.LParen) {
      this.i++;
      const inner = this.expression();
      this.take(T.RParen);
      return inner;
    }
    if (tokenMatcher(t, T.NumberLiteral)) {
      // `5 sec` is a time value: left to the grammar.
      if (this.isName(1) && tokenMatcher(this.peek(1)!, T.TimeUnit)) throw GIVE_UP;
      this.i++;
      const { type: numberType, value } = numberValue(t);
      // The visitor reports an int literal past the int range.
      if (numberType === 'int' && value >= INT_MAX + 1) throw GIVE_UP;
      return { kind: 'constant', type: numberType, value, loc };
    }
    if (type === T.StringLiteral) {
      this.i++;
      return { kind: 'constant', type: 'string', value: stringValue(t), loc };
    }
    if (type === T.Null) {
      this.i++;
      return { kind: 'constant', type: 'object', value: null, loc };
    }
    if (type === T.True || type === T.False) {
      this.i++;
      return { kind: 'constant', type: 'bool', value: type === T.True, loc };
    }
    if (this.isName() && (this.is(T.LParen, 1) || (this.is(T.Colon, 1) && this.isName(2)))) return this.functionCall();
    return this.variable();
  }

  private functionCall(): FunctionCall {
    const loc = tokenLocation(this.peek() ?? fail());
    const first = nameValue(this.name());
    const second = this.is(T.Colon) ? (this.i++, nameValue(this.name())) : undefined;
    this.take(T.LParen);
    let args: Expression[] = [];
    let star = false;
    if (this.is(T.Star)) {
      this.i++;
      star = true;
    } else if (!this.is(T.RParen)) {
      args = this.commaList(() => this.expression());
    }
    this.take(T.RParen);
    const namespace = second === undefined ? {} : { namespace: first };
    return { kind: 'call', ...namespace, name: second ?? first, args, ...(star ? { star: true } : {}), loc };
  }

  /** `name` or `S.name`; `#S.x` and `e1[0].x` are left to the grammar. */
  private variable(): Variable {
    const t = this.name();
    const loc = tokenLocation(t);
    if (this.is(T.LBracket)) throw GIVE_UP;
    if (!this.is(T.Dot)) return { kind: 'variable', name: nameValue(t), loc };
    this.i++;
    return { kind: 'variable', name: nameValue(this.name()), stream: nameValue(t), loc };
  }
}

/**
 * An exact-size copy: a pushed array keeps room for 17 items, and an AST
 * lives as long as the app (the visitor's arrays come from `map`, exact too).
 */
function exact<T>(items: T[]): T[] {
  return items.slice();
}

function fail(): never {
  throw GIVE_UP;
}
