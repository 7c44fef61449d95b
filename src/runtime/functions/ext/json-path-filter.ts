// Filter expressions of JSON paths, `[?(@.price > 10 && @.tag in ['a','b'])]`,
// in the manner of Jayway JsonPath (which siddhi-execution-json uses): `@`/`$`
// paths, string/number/bool/null/array/regex literals, == != < <= > >= =~ in
// nin subsetof anyof noneof size empty contains, && || ! and parentheses; a
// lone path tests existence. Parsed by compileJsonPath (json-path.ts).

import type { JsonPath } from './json-path.js';
import { assertNever } from '../../../dispatch.js';

export type Operand =
  | { readonly kind: 'path'; readonly root: '@' | '$'; readonly path: JsonPath }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'regex'; readonly regex: RegExp };

const OPERATORS = ['==', '!=', '<=', '>=', '<', '>', '=~', 'in', 'nin', 'subsetof', 'anyof', 'noneof', 'size', 'empty', 'contains'] as const;
export type FilterOperator = (typeof OPERATORS)[number];

export type FilterExpr =
  | { readonly kind: 'and' | 'or'; readonly left: FilterExpr; readonly right: FilterExpr }
  | { readonly kind: 'not'; readonly expr: FilterExpr }
  | { readonly kind: 'exists'; readonly operand: Operand }
  | { readonly kind: 'compare'; readonly op: FilterOperator; readonly left: Operand; readonly right: Operand };

/** Index just past the `)]` closing a filter whose `[?(` starts at `start`. */
export function filterEnd(p: string, start: number): number {
  let depth = 0;
  for (let i = start + 2; i < p.length; i++) {
    const c = p[i]!;
    if (c === "'" || c === '"') i = quoteEnd(p, i);
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      depth--;
      if (depth === 0 && c === ')') {
        if (p[i + 1] !== ']') throw new SyntaxError(`expected ')]' closing the filter at ${start} in '${p}'`);
        return i + 2;
      }
    }
  }
  throw new SyntaxError(`unclosed filter '[?(' at ${start} in '${p}'`);
}

function quoteEnd(p: string, at: number): number {
  for (let i = at + 1; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === p[at]) return i;
  }
  throw new SyntaxError(`unclosed string in '${p}'`);
}

/** Parses the text between `[?(` and `)]`; `compile` turns `$…` path text into a JsonPath. */
export function parseFilter(text: string, compile: (path: string) => JsonPath): FilterExpr {
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at ${i} in filter '${text}'`);
  };
  const skip = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const eat = (token: string): boolean => {
    skip();
    if (!text.startsWith(token, i)) return false;
    // Word operators must end at a word boundary.
    if (/\w$/.test(token) && /\w/.test(text[i + token.length] ?? '')) return false;
    i += token.length;
    return true;
  };
  const or = (): FilterExpr => {
    let left = and();
    while (eat('||')) left = { kind: 'or', left, right: and() };
    return left;
  };
  const and = (): FilterExpr => {
    let left = unary();
    while (eat('&&')) left = { kind: 'and', left, right: unary() };
    return left;
  };
  const unary = (): FilterExpr => {
    if (eat('!')) return { kind: 'not', expr: unary() };
    if (eat('(')) {
      const e = or();
      if (!eat(')')) fail("expected ')'");
      return e;
    }
    const left = operand();
    for (const op of OPERATORS) if (eat(op)) return { kind: 'compare', op, left, right: operand() };
    if (left.kind !== 'path') fail('expected an operator after a literal');
    return { kind: 'exists', operand: left };
  };
  const operand = (): Operand => {
    skip();
    const c = text[i];
    if (c === '@' || c === '$') {
      const start = i++;
      while (i < text.length) {
        if (text[i] === '[') i = closingBracket(text, i) + 1;
        else if (/[\w.*-]/.test(text[i]!)) i++;
        else break;
      }
      return { kind: 'path', root: c, path: compile(`$${text.slice(start + 1, i)}`) };
    }
    if (c === '/') {
      const end = text.indexOf('/', i + 1);
      if (end < 0) fail('unclosed regular expression');
      const flags = /^[a-z]*/.exec(text.slice(end + 1))![0];
      // Jayway matches the whole value (Java's Matcher.matches()).
      const regex = new RegExp(`^(?:${text.slice(i + 1, end)})$`, flags.replace(/[^ims]/g, ''));
      i = end + 1 + flags.length;
      return { kind: 'regex', regex };
    }
    if (c === '[') {
      const end = closingBracket(text, i);
      const value = JSON.parse(text.slice(i, end + 1).replace(/'((?:[^'\\]|\\.)*)'/g, (_m, s: string) => JSON.stringify(s)));
      i = end + 1;
      return { kind: 'value', value };
    }
    if (c === "'" || c === '"') {
      const end = quoteEnd(text, i);
      const raw = text.slice(i + 1, end);
      i = end + 1;
      return { kind: 'value', value: raw.replace(/\\(.)/g, '$1') };
    }
    const m = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(text.slice(i));
    if (!m) return fail('expected a path, a literal or a regular expression');
    i += m[0].length;
    return { kind: 'value', value: JSON.parse(m[0]) };
  };
  const expr = or();
  skip();
  if (i < text.length) fail(`unexpected '${text[i]}'`);
  return expr;
}

function closingBracket(text: string, at: number): number {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') i = quoteEnd(text, i);
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  throw new SyntaxError(`unclosed '[' in filter '${text}'`);
}

type Read = (doc: unknown, path: JsonPath) => { found: boolean; value: unknown };

/** Whether `node` (an array element or an object the filter is applied to) passes; `root` is the document `$` refers to. */
export function testFilter(e: FilterExpr, node: unknown, root: unknown, read: Read): boolean {
  switch (e.kind) {
    case 'and':
      return testFilter(e.left, node, root, read) && testFilter(e.right, node, root, read);
    case 'or':
      return testFilter(e.left, node, root, read) || testFilter(e.right, node, root, read);
    case 'not':
      return !testFilter(e.expr, node, root, read);
    case 'exists':
      return valueOf(e.operand, node, root, read) !== MISSING;
    case 'compare':
      return compare(e.op, valueOf(e.left, node, root, read), valueOf(e.right, node, root, read));
    default:
      return assertNever(e, 'filter');
  }
}

const MISSING = Symbol('missing');

function valueOf(o: Operand, node: unknown, root: unknown, read: Read): unknown {
  switch (o.kind) {
    case 'value':
      return o.value;
    case 'regex':
      return o.regex;
    case 'path': {
      const r = read(o.root === '@' ? node : root, o.path);
      return r.found ? r.value : MISSING;
    }
    default:
      return assertNever(o, 'operand');
  }
}

/** Jayway's equality: numbers against numeric strings by value, objects and arrays by content. */
function equal(a: unknown, b: unknown): boolean {
  if (a === MISSING || b === MISSING) return false;
  if (typeof a === 'number' && typeof b === 'string') return b.trim() !== '' && Number(b) === a;
  if (typeof a === 'string' && typeof b === 'number') return equal(b, a);
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function order(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

const within = (list: unknown, v: unknown): boolean => Array.isArray(list) && list.some((x) => equal(v, x));
const lengthOf = (v: unknown): number | undefined => (Array.isArray(v) || typeof v === 'string' ? v.length : undefined);

function compare(op: FilterOperator, l: unknown, r: unknown): boolean {
  switch (op) {
    case '==':
      return equal(l, r);
    case '!=':
      return !equal(l, r);
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const d = order(l, r);
      if (d === undefined) return false;
      return op === '<' ? d < 0 : op === '<=' ? d <= 0 : op === '>' ? d > 0 : d >= 0;
    }
    case '=~':
      return typeof l === 'string' && r instanceof RegExp && r.test(l);
    case 'in':
      return l !== MISSING && within(r, l);
    case 'nin':
      return !(l !== MISSING && within(r, l));
    case 'subsetof':
      return Array.isArray(l) && l.every((x) => within(r, x));
    case 'anyof':
      return Array.isArray(l) && l.some((x) => within(r, x));
    case 'noneof':
      return Array.isArray(l) && !l.some((x) => within(r, x));
    case 'size':
      return lengthOf(l) !== undefined && lengthOf(l) === r;
    case 'empty':
      return lengthOf(l) !== undefined && (lengthOf(l) === 0) === r;
    case 'contains':
      return typeof l === 'string' ? typeof r === 'string' && l.includes(r) : within(l, r);
    default:
      return assertNever(op, 'filter operator');
  }
}
