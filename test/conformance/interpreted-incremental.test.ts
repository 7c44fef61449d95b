// Incremental checkpoint equivalence with kernel fusion off (see interpreted.test.ts).

import { describe, it } from 'vitest';
import { runEquivalence } from './runner.js';
import { assertPassed, eligible } from './suite.js';
import { interpretedOnly } from './interpreted-env.js';

interpretedOnly();

describe('checkpoint equivalence, incremental, interpreted', () => {
  it.each(eligible.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    assertPassed(await runEquivalence(c, { mode: 'incremental' }));
  });
});
