// Large bad apps cost work proportional to their size: counted (tokens,
// look-aheads), not timed. Before, a megabyte of characters no token starts
// with was tried against every token pattern at each character, and each
// stray token between elements re-scanned the input to its end.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Lexer } from '../../src/parser/chevrotain.js';
import { SiddhiParser } from '../../src/parser/grammar.js';
import { JUNK_ASCII, tokenize } from '../../src/parser/lexer.js';
import { allTokens, keywordBySpelling, keywordWords, LEXER_OPTIONS } from '../../src/parser/tokens.js';
import { parseApp, SiddhiParseError } from '../../src/index.js';

const plainLexer = new Lexer(allTokens, { ...LEXER_OPTIONS, skipValidations: true });

describe('lexing bad text', () => {
  it('reports the same errors as Chevrotain and keeps the same tokens', () => {
    const samples = [
      "from S select a$b insert into O;",
      "define stream S (a int); § from S select 'unterminated\ninsert into O;",
      '$$~~ from\u00a0S \\ select `q` {a} insert into O; \u{1F600}x "x',
      'a\u0001b\u007fc ||| && ^^',
    ];
    for (const text of samples) {
      const ours = tokenize(text);
      const theirs = plainLexer.tokenize(text);
      expect(ours.errors.map((e) => [e.offset, e.length, e.line, e.column])).toEqual(theirs.errors.map((e) => [e.offset, e.length, e.line, e.column]));
      expect(ours.tokens.map((t) => [t.image, t.startOffset, t.tokenType.name])).toEqual(theirs.tokens.map((t) => [t.image, t.startOffset, t.tokenType.name]));
    }
  });

  it('keywords looked up by spelling are the tokens of one pattern per keyword, on every case app and spelling', () => {
    const dir = fileURLToPath(new URL('../conformance/cases/', import.meta.url));
    const texts = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => (JSON.parse(readFileSync(dir + f, 'utf8')) as { app: string }).app);
    // Every spelling in three cases, cut short, run on, glued to a number or a dot, as the only word or among others.
    const units = ['year', 'years', 'month', 'months', 'week', 'weeks', 'day', 'days', 'hour', 'hours', 'min', 'minute', 'minutes',
      'sec', 'second', 'seconds', 'ms', 'millisec', 'millisecond', 'milliseconds'];
    const words = [...new Set([...keywordWords, ...units, ...keywordBySpelling.keys()])].flatMap((k) => [k, k.toUpperCase(), k[0]!.toUpperCase() + k.slice(1), k.slice(0, -1), `${k}s`, `${k}_1`, `_${k}`]);
    texts.push(words.join(' '), words.map((w) => `1${w}.${w}(${w})`).join(';'), ...keywordWords);
    const same = (text: string) => {
      const ours = tokenize(text).tokens.map((t) => [t.image, t.startOffset, t.tokenType.name, t.tokenTypeIdx]);
      const theirs = plainLexer.tokenize(text).tokens.map((t) => [t.image, t.startOffset, t.tokenType.name, t.tokenTypeIdx]);
      return JSON.stringify(ours) === JSON.stringify(theirs) ? undefined : text.slice(0, 200);
    };
    expect(texts.map(same).filter((t) => t !== undefined)).toEqual([]);
  });

  it('every character of the junk class starts no token', () => {
    for (let c = 0; c < 128; c++) {
      const ch = String.fromCharCode(c);
      if (!JUNK_ASCII.test(ch)) continue;
      expect(plainLexer.tokenize(`${ch}a`).errors.map((e) => e.offset)).toEqual([0]);
    }
  });

  it('a megabyte of junk is one run: one token for the lexer, one error', () => {
    for (const junk of ['§', '$', '\u2603\\']) {
      const text = `define stream S (a int);\n${junk.repeat((1 << 20) / junk.length)}`;
      const lexed = tokenize(text);
      expect(lexed.errors).toHaveLength(1);
      expect(lexed.errors[0]!.length).toBe(text.length - 25);
      expect(() => parseApp(text)).toThrow(/2:1 unexpected character/);
    }
  });
});

describe('many lexer errors', () => {
  it('parses only up to the last error shown, and reports no end of input there', () => {
    const text = `define stream S (a int);\n${Array.from({ length: 40 }, (_, i) => `from S select a insert into O${i}; § `).join('\n')}`;
    try {
      parseApp(text);
      expect.unreachable();
    } catch (e) {
      const problems = (e as SiddhiParseError).problems;
      expect(problems).toHaveLength(20);
      expect(problems.every((p) => p.message === 'unexpected character "§"')).toBe(true);
      expect(problems.map((p) => p.line)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    }
  });
});

/** Look-aheads the parser takes on `text` (Chevrotain's LA, counted on the prototype); whether it was accepted. */
function lookAheads(text: string, accepted = false): number {
  const proto = SiddhiParser.prototype as unknown as { LA(k: number): unknown };
  const inherited = proto.LA;
  let n = 0;
  proto.LA = function (this: unknown, k: number) {
    n++;
    return inherited.call(this, k);
  };
  try {
    if (accepted) parseApp(text);
    else expect(() => parseApp(text)).toThrow(SiddhiParseError);
  } finally {
    delete (proto as { LA?: unknown }).LA;
  }
  return n;
}

describe('parser error recovery', () => {
  it('stray tokens between elements do not each re-scan the rest of the input', () => {
    // The same 3,000 queries with 10 or 80 stray tokens among them (fewer than the error cap).
    const app = (strays: number) => `define stream S (a int);\n${Array.from({ length: 3_000 }, (_, i) =>
      `from S select a insert into O${i};${i % Math.floor(3_000 / strays) === 0 ? ' )' : ''} `).join('')}`;
    // A re-scan to the end per stray token made this ~3 (and grows with the input).
    expect(lookAheads(app(80)) / lookAheads(app(10))).toBeLessThan(1.5);
  });

  it('a misspelt keyword in a big app is recovered over its element, not over the whole app again', () => {
    // An output rate keeps the queries on the grammar's path (quick-element.ts reads plain ones with no look-ahead).
    const queries = Array.from({ length: 2_000 }, (_, i) => `from S select a output every 2 events insert into O${i};`).join('\n');
    const valid = lookAheads(`define stream S (a int);\n${queries}\nfrom S select a insert into Z;`, true);
    // A whole-app reparse with recovery made these about 2.
    expect(lookAheads(`define stream S (a int);\n${queries}\nform S select a insert into Z;`) / valid).toBeLessThan(1.2);
    expect(lookAheads(`define stream S (a int);\nform S select a insert into Z;\n${queries}`) / valid).toBeLessThan(1.2);
  });
});

describe('valid apps', () => {
  it('twice the queries take twice the parsing work', () => {
    const app = (queries: number) => `define stream S (symbol string, price float);\n${Array.from({ length: queries }, (_, i) =>
      `@info(name = 'q${i}') from S[price > ${i}]#window.length(${i % 50 + 1}) select symbol, sum(price) as total group by symbol output every 2 events insert into O${i};`).join('\n')}`;
    // (The output rate keeps them on the grammar's path, as above.)
    const ratio = lookAheads(app(1_000), true) / lookAheads(app(500), true);
    expect(ratio).toBeGreaterThan(1.9);
    expect(ratio).toBeLessThan(2.1);
  });
});
