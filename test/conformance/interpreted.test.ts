// The differential side of kernel fusion (src/runtime/kernel): every active
// conformance case again with fusion off, plain and with full and incremental
// checkpoint equivalence, so the interpreted chain and the fused kernels are each
// checked against the same expected output.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { equivalenceExemption, loadCases, runCase, runEquivalence, type CaseResult } from './runner.js';
import { pendingReason } from './pending.js';

const cases = loadCases([join(import.meta.dirname, 'cases'), join(import.meta.dirname, 'extra')]);
const active = cases.filter((c) => pendingReason(c.id) === undefined);

function assertPassed(r: CaseResult): void {
  if (r.status === 'fail') expect.fail(`${r.id} (${r.mode})\n${r.details}`);
}

// Test files may share a worker thread (vitest isolate: false): put the flag back.
const before = process.env.SIDDHI_KERNELS;
beforeAll(() => {
  process.env.SIDDHI_KERNELS = 'off';
});
afterAll(() => {
  if (before === undefined) delete process.env.SIDDHI_KERNELS;
  else process.env.SIDDHI_KERNELS = before;
});

describe('conformance, interpreted (SIDDHI_KERNELS=off)', () => {
  it.each(active.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    assertPassed(await runCase(c));
  });
});

describe('checkpoint equivalence, full, interpreted', () => {
  it.each(active.filter((c) => equivalenceExemption(c) === undefined).map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    assertPassed(await runEquivalence(c, { mode: 'full' }));
  });
});

describe('checkpoint equivalence, incremental, interpreted', () => {
  it.each(active.filter((c) => equivalenceExemption(c) === undefined).map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    assertPassed(await runEquivalence(c, { mode: 'incremental' }));
  });
});
