// Incremental checkpoint equivalence with kernel fusion off (see interpreted.test.ts):
// the first half of the cases (suite.ts half), those the flag changes the run of
// (interpreted-env.ts fusionChangesRun); the second is in interpreted-incremental-b.test.ts.

import { describe, it } from 'vitest';
import { runEquivalence } from './runner.js';
import { assertPassed, eligible, half } from './suite.js';
import { fusionChangesRun, interpretedOnly } from './interpreted-env.js';

interpretedOnly();

describe('checkpoint equivalence, incremental, interpreted', () => {
  it.each(half(eligible, 0).filter(fusionChangesRun).map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    assertPassed(await runEquivalence(c, { mode: 'incremental' }));
  });
});
