// Test helpers: strip source locations so that AST assertions stay readable.

import type { App, AppElement, Query } from '../../src/ast/index.js';
import { parseApp, parseExpression } from '../../src/parser/index.js';

export function withoutLoc<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'loc' ? undefined : v)));
}

export function expr(text: string): unknown {
  return withoutLoc(parseExpression(text));
}

export function elementsOf(text: string): AppElement[] {
  return [...(parseApp(text) as App).elements];
}

/** The only query of `text` (definitions are skipped). */
export function queryOf(text: string): Query {
  const queries = elementsOf(text).filter((e): e is Query => e.kind === 'query');
  if (queries.length !== 1) throw new Error(`expected one query, got ${queries.length}`);
  return queries[0]!;
}

export const v = (name: string, stream?: string) => (stream === undefined ? { kind: 'variable', name } : { kind: 'variable', name, stream });
export const int = (value: number) => ({ kind: 'constant', type: 'int', value });
export const str = (value: string) => ({ kind: 'constant', type: 'string', value });
export const bin = (op: string, left: unknown, right: unknown) => ({ kind: 'binary', op, left, right });
