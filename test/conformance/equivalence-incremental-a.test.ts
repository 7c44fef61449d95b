// Checkpoint equivalence, incremental: every eligible case persists after every
// step, and restarting after any step (restoreLastRevision) gives the output of
// the uninterrupted run. The first half of the cases (suite.ts half); the
// second is in equivalence-incremental-b.test.ts.

import { describe, it } from 'vitest';
import { runEquivalence } from './runner.js';
import { assertPassed, eligible, half, label } from './suite.js';

describe('checkpoint equivalence, incremental (persist after every step, restoreLastRevision)', () => {
  it.each(half(eligible, 0).map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    assertPassed(await runEquivalence(c, { mode: 'incremental' }));
  });
});
