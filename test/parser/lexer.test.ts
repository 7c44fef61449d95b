// The hand-written scanner (src/parser/lexer.ts) against Chevrotain's lexer
// built from the token patterns of tokens.ts (as production used it before the
// scanner: runs of characters no token starts with lexed as one `Unexpected`
// token each, reported as one error per run of adjacent ones): the same tokens
// with every field (type, image, offsets, lines, columns) and the same lexing
// errors, on every case app, the examples, and random text made of SiddhiQL
// fragments, line breaks of every kind, junk and non-ASCII characters.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ILexingError, IToken } from 'chevrotain';
import { createToken, Lexer } from '../../src/parser/chevrotain.js';
import { JUNK_ASCII, tokenize } from '../../src/parser/lexer.js';
import { allTokens, LEXER_OPTIONS } from '../../src/parser/tokens.js';
import { expectEqual } from '../expect-equal.js';

const RUN = new RegExp(`(?:[^\\x00-\\x7F\\s]|${JUNK_ASCII.source})+`, 'y');
const Unexpected = createToken({
  name: 'Unexpected',
  pattern: {
    exec: (text: string, offset: number) => {
      RUN.lastIndex = offset;
      return RUN.exec(text) ?? ([text[offset]!] as unknown as RegExpExecArray);
    },
  },
  // As before the scanner: every first character may start one (Chevrotain buckets codes past 255 by 255).
  start_chars_hint: [...Array.from({ length: 256 }, (_, i) => i), ...Array.from({ length: 256 }, (_, i) => Math.min(256 + i * 255, 0xffff))],
  line_breaks: false,
});
const chevrotainLexer = new Lexer([...allTokens, Unexpected], { ...LEXER_OPTIONS, skipValidations: true });

function chevrotainTokens(text: string) {
  const lexed = chevrotainLexer.tokenize(text);
  const tokens: IToken[] = [];
  const errors: ILexingError[] = [...lexed.errors];
  let lastEnd = -2;
  for (const t of lexed.tokens) {
    if (t.tokenType !== Unexpected) tokens.push(t);
    else if (lastEnd + 1 === t.startOffset) (errors[errors.length - 1] as { length: number }).length += t.image.length;
    else errors.push({ offset: t.startOffset, length: t.image.length, line: t.startLine, column: t.startColumn, message: '' });
    if (t.tokenType === Unexpected) lastEnd = t.endOffset!;
  }
  return {
    tokens: tokens.map((t) => [t.tokenType.name, t.tokenTypeIdx, t.image, t.startOffset, t.endOffset, t.startLine, t.endLine, t.startColumn, t.endColumn]),
    errors: errors.map((e) => [e.offset, e.length, e.line, e.column]),
  };
}

function ourTokens(text: string) {
  const { tokens, errors } = tokenize(text);
  return {
    tokens: tokens.map((t) => [t.tokenType.name, t.tokenTypeIdx, t.image, t.startOffset, t.endOffset, t.startLine, t.endLine, t.startColumn, t.endColumn]),
    errors: errors.map((e) => [e.offset, e.length, e.line, e.column]),
  };
}

const casesDir = fileURLToPath(new URL('../conformance/cases/', import.meta.url));
const caseApps = readdirSync(casesDir).filter((f) => f.endsWith('.json'))
  .map((f) => (JSON.parse(readFileSync(casesDir + f, 'utf8')) as { app: string }).app);
const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));
const exampleApps = readdirSync(examplesDir, { withFileTypes: true }).filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(examplesDir + d.name).filter((f) => f.endsWith('.siddhi')).map((f) => readFileSync(`${examplesDir}${d.name}/${f}`, 'utf8')));

const FRAGMENTS = [
  'from', 'FROM', 'select', 'insert', 'into', 'define', 'stream', 'S', 'a_1', '_x', 'every', 'min', 'minutes', 'ms', 'sec', 'within',
  ' ', '  ', '\t', '\n', '\r\n', '\r', '\n\n', '\u00a0', '\u2028', '\u3000', '\ufeff',
  '0', '12', '1.5', '2e3', '2E-3', '4f', '4F', '5d', '6L', '7l', '1.5f', '1.5d', '3.', '.5', '1e', '1ex', '8x', '1.25x', '9_',
  "'s'", "'unterminated", '"d"', '"""multi\nline"""', '"""', '""', "''", '`q n`', '`', '``',
  '--comment', '-- c\n', '/* b */', '/* b\n c */', '/*', '*/', '/', '-', '->', '-->', '=', '==', '!=', '!', '<', '<=', '>', '>=', '=>',
  '.', '..', '...', '....', '(', ')', '[', ']', ',', ';', ':', '#', '@', '?', '+', '*', '%',
  '{ return 1; }', '{ "}" /* } */ }', '{', '}', '{a\nb}', '$', '&', '^', '|', '~', '\\', '\u0000', '\u007f', '§', '\u{1F600}', '\uD800', 'é', '\u0085',
];

describe('the scanner makes the tokens of Chevrotain’s lexer', () => {
  it('on every case app and example', () => {
    const differ = [...caseApps, ...exampleApps].filter((app) => JSON.stringify(ourTokens(app)) !== JSON.stringify(chevrotainTokens(app)));
    expect(differ.map((app) => app.slice(0, 200))).toEqual([]);
    expect(caseApps.length).toBeGreaterThan(100);
  });

  it('on random text of fragments, line breaks, junk and non-ASCII', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expectEqual(ourTokens(text), chevrotainTokens(text));
      }),
      { numRuns: 3000, seed: 9 },
    );
  });

  it('on random strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'aZ_09.eEfFdDlL+-*/%=!<>()[],;:#@?\'"`{}$\n\r \t§'), maxLength: 60 }), (text) => {
        expectEqual(ourTokens(text), chevrotainTokens(text));
      }),
      { numRuns: 3000, seed: 10 },
    );
  });
});
