// The case sets the conformance test files share: every case, the active ones
// (not pending), and those eligible for the checkpoint-equivalence runs. The
// runs are split over several files so vitest can spread them over its workers.

import { join } from 'node:path';
import { expect } from 'vitest';
import { equivalenceExemption, loadCases } from './runner.js';
import type { CaseResult, ConformanceCase } from './runner.js';
import { pendingReason } from './pending.js';

export const casesDir = join(import.meta.dirname, 'cases');
// extra/: cases transcribed from the reference test suite, kept apart from the shared set.
export const cases = loadCases([casesDir, join(import.meta.dirname, 'extra')]);
export const active = cases.filter((c) => pendingReason(c.id) === undefined);
export const pending = cases.filter((c) => pendingReason(c.id) !== undefined);
export const eligible = active.filter((c) => equivalenceExemption(c) === undefined);

export const label = (c: ConformanceCase): string => `${c.id}: ${c.description ?? ''}`;

/**
 * Every other case of `list`, from the first (part 0) or the second (part 1):
 * each incremental equivalence mode runs as two files of one half each, so the
 * longest files are half as long and vitest's two workers finish together.
 */
export function half<T>(list: readonly T[], part: 0 | 1): T[] {
  return list.filter((_, i) => i % 2 === part);
}

export function assertPassed(r: CaseResult): void {
  if (r.status === 'fail') expect.fail(`${r.id} (${r.mode})\n${r.details}`);
}
