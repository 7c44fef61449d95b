// The generated grammar artefacts must match the grammar (regenerated in memory).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CST_TYPES_PATH, DIAGRAMS_PATH, LOOKAHEAD_PATH, renderCstTypes, renderDiagrams, renderLookahead } from '../../grammar/generate.js';

const stale = 'stale: run `npm run grammar` and commit the result';

describe('generated grammar artefacts', () => {
  it('grammar/diagrams.html matches the grammar', () => {
    expect(readFileSync(DIAGRAMS_PATH, 'utf8') === renderDiagrams(), `grammar/diagrams.html is ${stale}`).toBe(true);
  });

  it('src/parser/cst.ts matches the grammar', () => {
    expect(readFileSync(CST_TYPES_PATH, 'utf8') === renderCstTypes(), `src/parser/cst.ts is ${stale}`).toBe(true);
  });

  it('src/parser/lookahead.generated.ts matches the grammar', () => {
    // Production parsers trust the table (lookahead paths and recovery follow sets); this keeps it fresh.
    expect(readFileSync(LOOKAHEAD_PATH, 'utf8') === renderLookahead(), `src/parser/lookahead.generated.ts is ${stale}`).toBe(true);
  });
});
