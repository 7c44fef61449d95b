// Production builds the lexer and parser without Chevrotain's validations and
// with lookahead paths from the generated table (cold start); this runs them
// all once, and checks that every value import of Chevrotain goes through the
// one shim (a second copy of Chevrotain would not share token types).

import { readdirSync, readFileSync } from 'node:fs';
import type { TokenType } from 'chevrotain';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Lexer } from '../../src/parser/chevrotain.js';
import { SiddhiParser } from '../../src/parser/grammar.js';
import { LOOKAHEAD_TABLE } from '../../src/parser/lookahead.generated.js';
import { fingerprintGrammar } from '../../src/parser/lookahead.js';
import { allTokens, LEXER_OPTIONS } from '../../src/parser/tokens.js';
import { getGrammarProductions } from '../../src/parser/index.js';

const src = join(import.meta.dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

/** A parser with Chevrotain's validations, built once (about 1.5 s): by the test that checks it builds, and used by the next. */
let validated: SiddhiParser | undefined;
const validatedParser = (): SiddhiParser => (validated ??= new SiddhiParser({ validate: true }));

describe('grammar validation', () => {
  it('the lexer definition passes Chevrotain validations', () => {
    const lexer = new Lexer(allTokens, { ...LEXER_OPTIONS, skipValidations: false });
    expect(lexer.lexerDefinitionErrors).toEqual([]);
  });

  it('the parser passes Chevrotain validations, computing every lookahead', () => {
    // performSelfAnalysis throws 'Parser Definition Errors detected' when a validation fails.
    expect(() => validatedParser()).not.toThrow();
  });

  it('the generated table belongs to this grammar (production parsers trust it)', () => {
    expect(fingerprintGrammar(Object.values(getGrammarProductions()))).toBe(LOOKAHEAD_TABLE.fingerprint);
  });

  it('a production parser recovers with the follow sets Chevrotain computes', () => {
    const names = (p: SiddhiParser) => Object.fromEntries(Object.entries((p as unknown as { resyncFollows: Record<string, TokenType[]> }).resyncFollows)
      .map(([k, v]) => [k, v.map((t) => t.name)]));
    const computed = names(validatedParser());
    expect(Object.keys(computed).length).toBeGreaterThan(50);
    expect(names(new SiddhiParser())).toEqual(computed);
  });

  it('src imports Chevrotain values only through src/parser/chevrotain.ts', () => {
    const offenders = sourceFiles(src)
      .filter((f) => !f.endsWith(join('parser', 'chevrotain.ts')))
      .filter((f) => /^import (?!type\b)[^;]*from 'chevrotain'/m.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
