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
  // fusionChangesRun (interpreted-env.ts) knows every place the flag is read: a new one, or one more use in a
  // file already listed, must be taught to it first. Counted outside comments, imports included.
  it('is read only where fusionChangesRun looks', () => {
    const src = join(import.meta.dirname, '..', '..', 'src');
    const uses: Record<string, number> = {};
    for (const f of readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((x) => x.endsWith('.ts'))) {
      const code = readFileSync(join(src, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      const n = code.match(/\browsOff\b|\bSIDDHI_KERNELS\b/g)?.length ?? 0;
      if (n > 0) uses[f.split(sep).join('/')] = n;
    }
    expect(uses).toEqual({
      'plan/plan-pattern.ts': 6, // patterns: fusionChangesRun counts every pattern app as changed
      'runtime/junction.ts': 2, // a sole row reader (any junction's: a reader that takes rows counts)
      'runtime/kernel/fuse.ts': 3, // fused kernels, and =print
      'runtime/kernel/generate-step.ts': 1, // =source only prints
      'runtime/kernel/row-reader.ts': 2, // rowsOff itself
      'runtime/operators/pattern/pattern-runtime.ts': 2, // patterns again
    });
  });
});
