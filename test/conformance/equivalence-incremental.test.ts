// Checkpoint equivalence, incremental: every eligible case persists after every
// step, and restarting after any step (restoreLastRevision) gives the output of
// the uninterrupted run.

import { describe, it } from 'vitest';
import { runEquivalence } from './runner.js';
import { assertPassed, eligible, label } from './suite.js';

describe('checkpoint equivalence, incremental (persist after every step, restoreLastRevision)', () => {
  it.each(eligible.map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    assertPassed(await runEquivalence(c, { mode: 'incremental' }));
  });
});
