// The differential side of kernel fusion (src/runtime/kernel): every active
// conformance case again with fusion off, plain and with full checkpoint
// equivalence (incremental: interpreted-incremental-{a,b}.test.ts), so the interpreted
// chain and the fused kernels are each checked against the same expected output.
// The full equivalence of a case takes its uninterrupted run over from the plain one.

import { describe, it } from 'vitest';
import { runCase, runEquivalence } from './runner.js';
import { active, assertPassed, eligible } from './suite.js';
import { interpretedOnly } from './interpreted-env.js';

interpretedOnly();

describe('conformance, interpreted (SIDDHI_KERNELS=off)', () => {
  it.each(active.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    assertPassed(await runCase(c));
  });
});

describe('checkpoint equivalence, full, interpreted', () => {
  it.each(eligible.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    assertPassed(await runEquivalence(c, { mode: 'full' }));
  });
});
