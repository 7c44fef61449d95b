// parseApp parses a valid app one element at a time (parse-app.ts, so that no
// more than one element's CST is alive at once); it must build exactly the AST
// of the whole-app parse, locations included, and fall back to the whole-app
// parse for anything it cannot split.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AppCstNode } from '../../src/parser/cst.js';
import { SiddhiParser } from '../../src/parser/grammar.js';
import { tokenize } from '../../src/parser/lexer.js';
import { parseByElement } from '../../src/parser/parse-app.js';
import { AstBuilder } from '../../src/parser/visitor.js';
import { parseApp, SiddhiParseError } from '../../src/index.js';

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
      const byElement = parseByElement(tokenize(c.app).tokens);
      if (expected.syntaxErrors > 0) {
        expect(byElement, c.id).toBeUndefined();
        continue;
      }
      expect(byElement, c.id).toBeDefined();
      expect(byElement!.app, c.id).toEqual(expected.app);
      expect(byElement!.problems, c.id).toEqual(expected.problems);
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
    const byElement = parseByElement(tokenize(text).tokens)!;
    expect(byElement.app.elements.map((e) => e.kind)).toEqual(['stream', 'partition', 'query']);
    expect(byElement.app).toEqual(parseWhole(text).app);
  });

  it('falls back to the whole-app parse when a name `begin` or `end` hides the element ends, with the same AST', () => {
    for (const text of [
      'define stream begin (a int); from begin select a insert into O; from begin select a as b insert into P;',
      'define stream S (symbol string, end int); partition with (symbol of S) begin from S select end insert into O; end;',
    ]) {
      expect(parseByElement(tokenize(text).tokens)).toBeUndefined();
      expect(parseApp(text)).toEqual(parseWhole(text).app);
    }
  });

  it('reports syntax errors as the whole-app parse does', () => {
    const text = 'define stream S (a int);\nfrom S select a insert into O;\nfrom S selec a insert into P;\nfrom S select a insert O;';
    expect(parseByElement(tokenize(text).tokens)).toBeUndefined();
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
