// The safety net of the plan-as-data work (issue #9): planning every
// conformance case registers the same cells (id, kind, version, signature) in
// the same order, and the same junctions, input streams, named windows and
// queries, as the committed golden files (make-cell-golden.ts writes them).
// A changed id or order would stop earlier checkpoints from restoring.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCases, type ConformanceCase } from '../conformance/runner.js';
import { cases as suiteCases } from '../conformance/suite.js';
import { dumpPlan, type PlanDump, type PlanGolden } from './cell-dump.js';
import { caseSetDir, CELL_GOLDEN_SETS, cellGoldenFile } from './make-cell-golden.js';

// The suite's case objects where there is one (the conformance files' parse of each app is then reused).
const suiteCase = new Map(suiteCases.map((c) => [c.id, c]));
const sets = CELL_GOLDEN_SETS.map((set) => [set, loadCases([caseSetDir(set)]).map((c) => suiteCase.get(c.id) ?? c)] as const);

type Dumps = (readonly [string, PlanDump])[];
const planned = new Map<ConformanceCase[], Dumps>();
/** The dumps of `cases`, planned once for the tests that compare them (with the golden file, with a second planning). */
function dumpsOf(cases: ConformanceCase[]): Dumps {
  let dumps = planned.get(cases);
  if (dumps === undefined) planned.set(cases, (dumps = cases.map((c) => [c.id, dumpPlan(c)] as const)));
  return dumps;
}

/** The ids of the cases whose dump differs from the golden one, with the first difference shown in full. */
function mismatches(golden: PlanGolden, dumps: readonly (readonly [string, unknown])[]): string[] {
  return dumps.filter(([id, d]) => JSON.stringify(d) !== JSON.stringify(golden[id])).map(([id, d]) => `${id}\n  now:    ${JSON.stringify(d)}\n  golden: ${JSON.stringify(golden[id])}`);
}

describe('cells registered by planning (test/plan/golden)', () => {
  it.each(sets)('%s: every case plans to its committed cells, streams and queries', (set, cases) => {
    const golden = JSON.parse(readFileSync(cellGoldenFile(set), 'utf8')) as PlanGolden;
    expect(cases.map((c) => c.id).sort()).toEqual(Object.keys(golden).sort());
    const bad = mismatches(golden, dumpsOf(cases));
    expect(bad.slice(0, 3).join('\n'), `${bad.length} cases differ`).toBe('');
  });

  it('planning a case twice registers the same cells, fused and interpreted', () => {
    const cases = sets[0][1];
    const first = dumpsOf(cases);
    const again = Object.fromEntries(cases.map((c) => [c.id, dumpPlan(c)] as const));
    expect(mismatches(again, first)).toEqual([]);
    const before = process.env.SIDDHI_KERNELS;
    process.env.SIDDHI_KERNELS = 'off';
    try {
      const interpreted = Object.fromEntries(cases.map((c) => [c.id, dumpPlan(c)] as const));
      expect(mismatches(interpreted, first)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.SIDDHI_KERNELS;
      else process.env.SIDDHI_KERNELS = before;
    }
  });
});
