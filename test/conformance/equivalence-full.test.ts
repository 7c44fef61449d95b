// Checkpoint equivalence, full: restarting after any step from a snapshot()
// gives the output of the uninterrupted run.

import { describe, it } from 'vitest';
import { runEquivalence } from './runner.js';
import { assertPassed, eligible, label } from './suite.js';

describe('checkpoint equivalence, full (snapshot / restore)', () => {
  it.each(eligible.map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    assertPassed(await runEquivalence(c, { mode: 'full' }));
  });
});
