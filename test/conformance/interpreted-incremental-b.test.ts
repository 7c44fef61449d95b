// Incremental checkpoint equivalence with kernel fusion off (see interpreted.test.ts):
// the second half of the cases (suite.ts half); the first is in interpreted-incremental-a.test.ts.

import { describe, it } from 'vitest';
import { runEquivalence } from './runner.js';
import { assertPassed, eligible, half } from './suite.js';
import { fusionChangesRun, interpretedOnly } from './interpreted-env.js';

interpretedOnly();

describe('checkpoint equivalence, incremental, interpreted', () => {
  it.each(half(eligible, 1).filter(fusionChangesRun).map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    assertPassed(await runEquivalence(c, { mode: 'incremental' }));
  });
});
