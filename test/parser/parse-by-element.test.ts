// parseApp lexes, parses and visits a valid app one element at a time
// (parse-app.ts, so that no more than one element's tokens and CST are alive
// at once); it must build exactly the AST
// of the whole-app parse, locations included, and fall back to the whole-app
// parse for anything it cannot split.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AppCstNode } from '../../src/parser/cst.js';
import { SiddhiParser } from '../../src/parser/grammar.js';
import { tokenize } from '../../src/parser/lexer.js';
import { parseAsLexed, parseWholeApp } from '../../src/parser/parse-app.js';
import { AstBuilder } from '../../src/parser/visitor.js';
import { parseApp, SiddhiParseError } from '../../src/index.js';
import { expectEqual } from '../expect-equal.js';

/** The element-by-element parse of a valid app; undefined when some element does not parse alone. */
function parseByElement(text: string) {
  const streamed = parseAsLexed(text);
  return streamed.app === undefined ? undefined : { app: streamed.app, problems: streamed.problems };
}

const casesDir = fileURLToPath(new URL('../conformance/cases/', import.meta.url));
const apps = readdirSync(casesDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(casesDir + f, 'utf8')) as { id: string; app: string });

const whole = new SiddhiParser();

/** The whole-app parse: one CST for the app, then the visitor. */
function parseWhole(text: string) {
  whole.input = tokenize(text).tokens;
  const cst = whole.app() as AppCstNode;
  // The visitor only sees a CST without syntax errors (a recovered one has holes).
  if (whole.errors.length > 0) return { app: undefined, syntaxErrors: whole.errors.length, problems: [] };
  const builder = new AstBuilder();
  const app = builder.app(cst.children);
  return { app, syntaxErrors: whole.errors.length, problems: builder.problems };
}

describe('parsing element by element', () => {
  it('builds the same AST as the whole-app parse for every conformance case app', () => {
    let split = 0;
    for (const c of apps) {
      const expected = parseWhole(c.app);
      const byElement = parseByElement(c.app);
      if (expected.syntaxErrors > 0) {
        expect(byElement, c.id).toBeUndefined();
        continue;
      }
      expect(byElement, c.id).toBeDefined();
      expectEqual(byElement!.app, expected.app, c.id);
      expectEqual(byElement!.problems, expected.problems, c.id);
      split++;
    }
    expect(split).toBeGreaterThan(apps.length * 0.95);
  });

  it('keeps the `;` of a partition inside its element (and `end` may be a name outside)', () => {
    const text = `define stream S (symbol string, end int);
      partition with (symbol of S) begin
        from S select symbol insert into #Mid;
        from #Mid select symbol insert into O;
      end;
      from S select end insert into E;`;
    const byElement = parseByElement(text)!;
    expect(byElement.app.elements.map((e) => e.kind)).toEqual(['stream', 'partition', 'query']);
    expect(byElement.app).toEqual(parseWhole(text).app);
  });

  it('falls back to the whole-app parse when a name `begin` or `end` hides the element ends, with the same AST', () => {
    for (const text of [
      'define stream begin (a int); from begin select a insert into O; from begin select a as b insert into P;',
      'define stream S (symbol string, end int); partition with (symbol of S) begin from S select end insert into O; end;',
    ]) {
      expect(parseByElement(text)).toBeUndefined();
      expect(parseApp(text)).toEqual(parseWhole(text).app);
    }
  });

  it('reports syntax errors as the whole-app parse does', () => {
    const text = 'define stream S (a int);\nfrom S select a insert into O;\nfrom S selec a insert into P;\nfrom S select a insert O;';
    expect(parseByElement(text)).toBeUndefined();
    const error = (() => {
      try {
        parseApp(text);
      } catch (e) {
        return e as SiddhiParseError;
      }
      throw new Error('accepted');
    })();
    expect(error).toBeInstanceOf(SiddhiParseError);
    expect(error.problems.map((p) => p.line)).toEqual([3, 4]);
  });
});

/** The problems `parse` throws for `text` (undefined when it accepts the app). */
function problemsOf(parse: (text: string) => unknown, text: string) {
  try {
    parse(text);
    return undefined;
  } catch (e) {
    if (!(e instanceof SiddhiParseError)) throw e;
    return e.problems;
  }
}

/** Broken variants of a valid app: a token dropped, a keyword misspelt, a stray token, a missing `;`, cut short. */
function mutants(app: string): string[] {
  const tokens = tokenize(app).tokens;
  const out: string[] = [];
  const cut = (at: number, insert = '', drop = 0) => app.slice(0, at) + insert + app.slice(at + drop);
  for (const at of [Math.floor(tokens.length / 3), Math.floor(tokens.length / 2), tokens.length - 2]) {
    const t = tokens[at];
    if (t === undefined) continue;
    out.push(cut(t.startOffset, '', t.image.length));
    out.push(cut(t.startOffset, ') '));
  }
  for (const keyword of ['from', 'select', 'insert', 'define']) {
    const at = app.lastIndexOf(keyword);
    if (at >= 0) out.push(cut(at, `${keyword.slice(0, 1)}${keyword.slice(2)}`, keyword.length));
  }
  const semi = app.indexOf(';');
  if (semi >= 0) out.push(cut(semi, '', 1), cut(semi + 1, ' § ) ;'));
  out.push(app.slice(0, Math.floor(app.length * 0.7)));
  // Two breaks: a stray token after the first `;` and a misspelt last keyword.
  const last = app.lastIndexOf('select');
  if (semi >= 0 && last > semi) out.push(`${app.slice(0, semi + 1)} )${app.slice(semi + 1, last)}selct${app.slice(last + 6)}`);
  return out;
}

describe('syntax errors found element by element', () => {
  it('are those of the whole-app parse, for broken variants of every conformance case app', () => {
    let compared = 0;
    const differ: string[] = [];
    // A sixth of the variants of each app, a different sixth from app to app.
    for (const [i, c] of apps.entries()) {
      for (const text of [c.app, ...mutants(c.app).filter((_, k) => (k + i) % 6 === 0)]) {
        const whole = problemsOf(parseWholeApp, text);
        if (whole === undefined) continue;
        compared++;
        const ours = problemsOf(parseApp, text);
        if (JSON.stringify(ours) !== JSON.stringify(whole)) differ.push(`${c.id}: ${text}\n  ours:  ${JSON.stringify(ours)}\n  whole: ${JSON.stringify(whole)}`);
      }
    }
    expect(compared).toBeGreaterThan(apps.length * 1.5);
    expect(differ).toEqual([]);
  });
});
