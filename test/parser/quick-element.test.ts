// quick-element.ts reads common elements straight to their AST; whatever it
// accepts must be exactly what the grammar and visitor build (JSON-equal, so
// key order too: checkpoint signatures are made from the AST), and whatever
// the grammar refuses or the visitor reports it must leave alone. Checked on
// every element of every case app, then on mutations of those elements.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ILexingError, IToken } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import type { ElementCstNode } from '../../src/parser/cst.js';
import { SiddhiParser } from '../../src/parser/grammar.js';
import { lexElements } from '../../src/parser/lexer.js';
import { checkTokens } from '../../src/parser/limits.js';
import { quickElement } from '../../src/parser/quick-element.js';
import { AstBuilder } from '../../src/parser/visitor.js';
import { parseApp } from '../../src/index.js';

const casesDir = fileURLToPath(new URL('../conformance/cases/', import.meta.url));
const apps = readdirSync(casesDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => (JSON.parse(readFileSync(casesDir + f, 'utf8')) as { app: string }).app);

const strict = new SiddhiParser({ recovery: false });

/** The grammar's reading of one element's tokens: the app of it as JSON with the visitor's problems, or undefined. */
function byGrammar(tokens: IToken[]): string | undefined {
  strict.input = tokens;
  const cst = strict.element() as ElementCstNode;
  if (strict.errors.length > 0) return undefined;
  const builder = new AstBuilder();
  const app = builder.appOf([cst]);
  return JSON.stringify({ app, problems: builder.problems });
}

/** The quick reading, in the same form, or undefined when it gives up. */
function byQuickReader(tokens: IToken[]): string | undefined {
  const quick = quickElement(tokens);
  if (quick === undefined) return undefined;
  const builder = new AstBuilder();
  return JSON.stringify({ app: builder.appOf([quick]), problems: builder.problems });
}

/** Every element's tokens of `text` that lex cleanly and keep to the limits. */
function elementsOf(text: string): IToken[][] {
  const errors: ILexingError[] = [];
  const out: IToken[][] = [];
  for (const tokens of lexElements(text, errors)) if (errors.length === 0 && checkTokens(tokens) === undefined) out.push(tokens);
  return out;
}

/** Checks one element; true when the quick reader took it. */
function agrees(tokens: IToken[], what: string): boolean {
  const quick = byQuickReader(tokens);
  if (quick === undefined) return false;
  expect(quick, what).toEqual(byGrammar(tokens));
  return true;
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('quickElement', () => {
  const elements = apps.flatMap(elementsOf);

  it('builds the AST of the grammar for every case app element it reads, and reads most of them', () => {
    let taken = 0;
    for (const tokens of elements) if (agrees(tokens, tokens.map((t) => t.image).join(' '))) taken++;
    expect(taken).toBeGreaterThan(elements.length * 0.4);
  });

  it('agrees with the grammar on mutated elements (a token dropped, doubled, swapped or replaced)', () => {
    const next = random(13);
    const pool = elements.flat().map((t) => t.image);
    const readable = elements.filter((tokens) => quickElement(tokens) !== undefined);
    let checked = 0;
    let taken = 0;
    for (let n = 0; n < 8000; n++) {
      const images = readable[Math.floor(next() * readable.length)]!.map((t) => t.image);
      const at = Math.floor(next() * images.length);
      const change = Math.floor(next() * 4);
      if (change === 0) images.splice(at, 1);
      else if (change === 1) images.splice(at, 0, images[at]!);
      else if (change === 2 && at + 1 < images.length) [images[at], images[at + 1]] = [images[at + 1]!, images[at]!];
      else images[at] = pool[Math.floor(next() * pool.length)]!;
      const text = images.join(' ');
      for (const tokens of elementsOf(text)) {
        checked++;
        if (agrees(tokens, text)) taken++;
      }
    }
    expect(checked).toBeGreaterThan(6000);
    expect(taken).toBeGreaterThan(300);
  });

  it('leaves to the grammar what the visitor reports, so the app is refused as before', () => {
    for (const text of [
      'define stream S (a int); from S[a > 3000000000] select a insert into O;',
      'define stream S (a int); from S#window.length(*) select a insert into O;',
    ]) {
      const [, query] = elementsOf(text);
      expect(quickElement(query!), text).toBeUndefined();
      expect(() => parseApp(text), text).toThrow();
    }
  });

  it('lifts @app annotations to the app as the visitor does', () => {
    const text = "@app:name('A') @app:playback define stream S (a int); @info(name = 'q') from S select a insert into O;";
    expect(elementsOf(text).every((tokens) => quickElement(tokens) !== undefined)).toBe(true);
    const app = parseApp(text);
    expect(app.annotations.map((a) => a.name)).toEqual(['name', 'playback']);
    expect(app.elements.map((e) => e.annotations.length)).toEqual([0, 1]);
  });
});
