// Checkpoint equivalence, incremental: every eligible case persists after every
// step, and restarting after any step (restoreLastRevision) gives the output of
// the uninterrupted run. The second half of the cases (suite.ts half); the
// first is in equivalence-incremental-a.test.ts.

import { describe, it } from 'vitest';
import { runEquivalence } from './runner.js';
import { assertPassed, eligible, half, label } from './suite.js';

describe('checkpoint equivalence, incremental (persist after every step, restoreLastRevision)', () => {
  it.each(half(eligible, 1).map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    assertPassed(await runEquivalence(c, { mode: 'incremental' }));
  });
});
