// The pattern and sequence cases alone, plain and in both checkpoint-equivalence
// modes: the quick check while working on the pattern operators
// (src/runtime/operators/pattern); the full suite runs them too.

import { describe, it } from 'vitest';
import { runCase, runEquivalence } from './runner.js';
import { active, assertPassed, eligible } from './suite.js';
import type { ConformanceCase } from './runner.js';

const isPattern = (c: ConformanceCase): boolean =>
  (c.features ?? []).some((f) => f.startsWith('pattern.') || f.startsWith('sequence.'));

describe('pattern and sequence cases', () => {
  it.each(active.filter(isPattern).map((c) => [c.id, c] as const))('%s plain', async (_id, c) => {
    assertPassed(await runCase(c));
  });
  it.each(eligible.filter(isPattern).map((c) => [c.id, c] as const))('%s full', async (_id, c) => {
    assertPassed(await runEquivalence(c, { mode: 'full' }));
  });
  it.each(eligible.filter(isPattern).map((c) => [c.id, c] as const))('%s incremental', async (_id, c) => {
    assertPassed(await runEquivalence(c, { mode: 'incremental' }));
  });
});
