// Every conformance case as a vitest test, plain; pending cases run as expected
// failures (it.fails) with their reason; compile-error cases must fail as
// expected-errors.ts says. Then full checkpoint equivalence: restarting after
// any step from a snapshot() gives the output of the uninterrupted run (the
// plain run's, taken over from it). Also: every app parses, and the cases match
// ../shared/conformance/cases. Incremental checkpoint equivalence is in
// equivalence-incremental-{a,b}.test.ts, the interpreted runs in interpreted*.test.ts.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseApp } from '../../src/parser/index.js';
import { SiddhiParseError } from '../../src/errors.js';
import { hasOwnCheckpoints, parsedApp, runCase, runEquivalence } from './runner.js';
import { PENDING, pendingReason } from './pending.js';
import { EXPECTED_ERRORS } from './expected-errors.js';
import { active, assertPassed, cases, casesDir, eligible, label, pending } from './suite.js';

const sharedDir = join(import.meta.dirname, '..', '..', '..', 'shared', 'conformance', 'cases');

describe('conformance', () => {
  it.each(active.map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    assertPassed(await runCase(c));
  });

  // Expected failures: a pending case that starts passing turns red (then remove it from pending.ts).
  it.fails.each(pending.map((c) => [`${c.id} (pending: ${pendingReason(c.id)})`, c] as const))('%s', async (_label, c) => {
    assertPassed(await runCase(c));
  });
});

describe('checkpoint equivalence, full (snapshot / restore)', () => {
  it.each(eligible.map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    assertPassed(await runEquivalence(c, { mode: 'full' }));
  });
});

describe('own checkpoint steps as persist() / restoreLastRevision()', () => {
  it.each(active.filter(hasOwnCheckpoints).map((c) => [label(c), c] as const))('%s', async (_label, c) => {
    assertPassed(await runCase(c, { mode: 'incremental' }));
  });
});

describe('every case app parses', () => {
  // Compile-error cases may be syntax errors; they must then fail with a SiddhiParseError, not crash.
  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    if (c.expectError === undefined) {
      // The parse the runs above planned from (parseSiddhiApp: parseApp, frozen), not a second one.
      parsedApp(c);
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
