// Chevrotain, as the rest of src/parser imports it (values from here only;
// `import type` from 'chevrotain' is fine). The package entry loads ~300
// lodash-es modules (≈1 s of a cold start on a busy 2-core machine); the
// single-file ESM bundle the package ships beside it loads in ~0.1 s, and its
// minified copy (141 KB instead of 349 KB) compiles faster still. The bundle
// is not in the package's exports map, so it is found next to the entry; when
// that fails the package entry is used. One copy per process: token types and
// parsers must come from the same one.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Chevrotain from 'chevrotain';

async function loadChevrotain(): Promise<typeof Chevrotain> {
  try {
    const entry = createRequire(import.meta.url).resolve('chevrotain');
    return (await import(pathToFileURL(join(dirname(entry), '..', 'chevrotain.min.mjs')).href)) as typeof Chevrotain;
  } catch {
    return import('chevrotain');
  }
}

const chevrotain = await loadChevrotain();

export const {
  CstParser, EOF, Lexer, createToken, createSyntaxDiagramsCode, generateCstDts, getLookaheadPaths, serializeGrammar,
  tokenLabel, tokenMatcher,
} = chevrotain;
