// The README's registry tables are generated; this fails when they are stale
// (run `npm run registry-docs`).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README_PATH, renderReadme } from '../scripts/registry-docs.js';

describe('README registry tables', () => {
  it('list every registered function, aggregator, window and stream processor', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(renderReadme(readme)).toBe(readme);
  });
});
