// The differential side of kernel fusion (src/runtime/kernel): every active
// conformance case again with fusion off, plain and with full checkpoint
// equivalence (incremental: interpreted-incremental-{a,b}.test.ts), so the interpreted
// chain and the fused kernels are each checked against the same expected output.
// The full equivalence of a case takes its uninterrupted run over from the plain one.
// The equivalence runs skip the cases the flag changes nothing for (fusionChangesRun):
// the fused runs check that very code.

import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCase, runEquivalence } from './runner.js';
import { active, assertPassed, eligible } from './suite.js';
import { fusionChangesRun, interpretedOnly } from './interpreted-env.js';

interpretedOnly();

describe('conformance, interpreted (SIDDHI_KERNELS=off)', () => {
  it.each(active.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    assertPassed(await runCase(c));
  });
});

describe('checkpoint equivalence, full, interpreted', () => {
  it.each(eligible.filter(fusionChangesRun).map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    assertPassed(await runEquivalence(c, { mode: 'full' }));
  });
});

describe('the kernel flag', () => {
  // fusionChangesRun (interpreted-env.ts) knows every place the flag is read: a new one must be taught to it.
  it('is read only where fusionChangesRun looks', () => {
    const src = join(import.meta.dirname, '..', '..', 'src');
    const readers = readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && /rowsOff\(\)|process\.env\.SIDDHI_KERNELS/.test(readFileSync(join(src, f), 'utf8')))
      .map((f) => f.split(sep).join('/'))
      .sort();
    expect(readers).toEqual([
      'plan/plan-pattern.ts', // patterns: fusionChangesRun counts every pattern app as changed
      'runtime/junction.ts', // a sole row reader
      'runtime/kernel/fuse.ts', // fused kernels
      'runtime/kernel/generate-step.ts', // =source only prints
      'runtime/kernel/row-reader.ts', // rowsOff itself
      'runtime/operators/pattern/pattern-runtime.ts', // patterns again
    ]);
  });
});
