// Regenerates test/plan/golden/cells-*.json: for every conformance case (cases/
// and extra/), what planning it registers (cell-dump.ts). Run:
// npx tsx test/plan/make-cell-golden.ts
// Only regenerate on purpose: a change of cell ids, kinds, versions, signatures
// or their order breaks the restore of every checkpoint taken before it.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCases } from '../conformance/runner.js';
import { dumpPlan, type PlanDump } from './cell-dump.js';

export const CELL_GOLDEN_SETS = ['cases', 'extra'] as const;

export const cellGoldenFile = (set: string): string => join(import.meta.dirname, 'golden', `cells-${set}.json`);
export const caseSetDir = (set: string): string => join(import.meta.dirname, '..', 'conformance', set);

/** One line per case, so a diff shows which cases changed. */
export function goldenText(dumps: readonly (readonly [string, PlanDump])[]): string {
  return `{\n${dumps.map(([id, d]) => `${JSON.stringify(id)}: ${JSON.stringify(d)}`).join(',\n')}\n}\n`;
}

if (process.argv[1]?.endsWith('make-cell-golden.ts')) {
  for (const set of CELL_GOLDEN_SETS) {
    const dumps = loadCases([caseSetDir(set)]).map((c) => [c.id, dumpPlan(c)] as const);
    writeFileSync(cellGoldenFile(set), goldenText(dumps));
    console.log(`${cellGoldenFile(set)}: ${dumps.length} cases`);
  }
}
