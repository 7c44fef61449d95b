// Every conformance case as a vitest test: plain, and with checkpoint
// equivalence in both modes (incremental, full); pending cases run as expected
// failures (it.fails) with their reason; compile-error cases must fail as
// expected-errors.ts says. Also: every app parses, and the cases match ../shared/conformance/cases.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseApp } from '../../src/parser/index.js';
import { SiddhiParseError } from '../../src/errors.js';
import { equivalenceExemption, hasOwnCheckpoints, loadCases, runCase, runEquivalence } from './runner.js';
import type { CaseResult, ConformanceCase } from './runner.js';
import { PENDING, pendingReason } from './pending.js';
import { EXPECTED_ERRORS } from './expected-errors.js';

const casesDir = join(import.meta.dirname, 'cases');
const sharedDir = join(import.meta.dirname, '..', '..', '..', 'shared', 'conformance', 'cases');
// extra/: cases transcribed from the reference test suite, kept apart from the shared set.
const cases = loadCases([casesDir, join(import.meta.dirname, 'extra')]);

const active = cases.filter((c) => pendingReason(c.id) === undefined);
const pending = cases.filter((c) => pendingReason(c.id) !== undefined);
const label = (c: ConformanceCase): string => `${c.id}: ${c.description ?? ''}`;

function assertPassed(r: CaseResult): void {
  if (r.status === 'fail') expect.fail(`${r.id} (${r.mode})\n${r.details}`);
}

describe('conformance', () => {
  it.each(active.map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    assertPassed(await runCase(c));
  });

  // Expected failures: a pending case that starts passing turns red (then remove it from pending.ts).
  it.fails.each(pending.map((c) => [`${c.id} (pending: ${pendingReason(c.id)})`, c] as const))('%s', async (_label, c) => {
    assertPassed(await runCase(c));
  });
});

describe('own checkpoint steps as persist() / restoreLastRevision()', () => {
  it.each(active.filter(hasOwnCheckpoints).map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    assertPassed(await runCase(c, { mode: 'incremental' }));
  });
});

const eligible = active.filter((c) => equivalenceExemption(c) === undefined);

describe('checkpoint equivalence, incremental (persist after every step, restoreLastRevision)', () => {
  it.each(eligible.map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    assertPassed(await runEquivalence(c, { mode: 'incremental' }));
  });
});

describe('checkpoint equivalence, full (snapshot / restore)', () => {
  it.each(eligible.map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    assertPassed(await runEquivalence(c, { mode: 'full' }));
  });
});

describe('every case app parses', () => {
  // Compile-error cases may be syntax errors; they must then fail with a SiddhiParseError, not crash.
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    if (c.expectError === undefined) {
      parseApp(c.app);
      return;
    }
    try {
      parseApp(c.app);
    } catch (err) {
      expect(err).toBeInstanceOf(SiddhiParseError);
    }
  });
});

describe('case files', () => {
  it('ids are unique and match their file names', () => {
    for (const c of cases) expect(c.file?.endsWith(`${c.id}.json`), c.id).toBe(true);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it('expected-errors.ts names only compile-error cases', () => {
    const errorCases = new Set(cases.filter((c) => c.expectError !== undefined).map((c) => c.id));
    expect(Object.keys(EXPECTED_ERRORS).filter((id) => !errorCases.has(id))).toEqual([]);
  });

  it('pending.ts names only existing cases', () => {
    const ids = new Set(cases.map((c) => c.id));
    const unknown = PENDING.map((p) => p.id).filter((id) => !ids.has(id));
    expect(unknown).toEqual([]);
  });

  it.skipIf(!existsSync(sharedDir))('are in sync with ../shared/conformance/cases', () => {
    const ours = readdirSync(casesDir).filter((f) => f.endsWith('.json')).sort();
    const theirs = readdirSync(sharedDir).filter((f) => f.endsWith('.json')).sort();
    expect(ours).toEqual(theirs);
    const differing = ours.filter((f) => readFileSync(join(casesDir, f), 'utf8') !== readFileSync(join(sharedDir, f), 'utf8'));
    expect(differing).toEqual([]);
  });
});
