// `npm run conformance -- [files or dirs] [--equivalence] [--mode full|incremental|both] [--verbose]`:
// runs conformance cases and prints a pass/fail table and a summary.
// Exit code 1 when a case that is not pending fails.

import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { hasOwnCheckpoints, loadCases, runCase, runEquivalence } from './runner.js';
import type { CaseResult, CheckpointMode } from './runner.js';
import { pendingReason } from './pending.js';

const USAGE = `usage: npm run conformance -- [case files or dirs] [--equivalence] [--mode full|incremental|both] [--verbose]

  (no paths)       run every case in test/conformance/cases and test/conformance/extra
  --equivalence    also check each eligible case with a checkpoint + restart after every input step
  --mode M         how checkpoints are taken: full (snapshot/restore), incremental
                   (persist after every step, restoreLastRevision), or both (default)
  --verbose, -v    print the full diff of every failing case`;

type Status = 'pass' | 'FAIL' | 'pending' | 'PENDING-PASSES' | 'skipped';

interface Row {
  readonly id: string;
  readonly mode: string;
  readonly status: Status;
  readonly reason: string;
  readonly details: string;
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        equivalence: { type: 'boolean', default: false },
        mode: { type: 'string' },
        verbose: { type: 'boolean', short: 'v', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const mode = values.mode ?? 'both';
  if (mode !== 'full' && mode !== 'incremental' && mode !== 'both') {
    process.stderr.write(`--mode must be full, incremental or both, not '${mode}'\n`);
    return 2;
  }
  const modes: CheckpointMode[] = mode === 'both' ? ['incremental', 'full'] : [mode];
  const here = dirname(fileURLToPath(import.meta.url));
  const cases = loadCases(positionals.length > 0 ? positionals : [join(here, 'cases'), join(here, 'extra')]);

  const rows: Row[] = [];
  for (const c of cases) {
    // A plain run differs between modes only in how the case's own checkpoint steps are taken.
    const plainModes = hasOwnCheckpoints(c) ? modes : modes.slice(0, 1);
    const results: [string, CaseResult][] = [];
    for (const m of plainModes) results.push([plainModes.length > 1 ? `plain/${m}` : 'plain', await runCase(c, { mode: m })]);
    if (values.equivalence) {
      for (const m of modes) results.push([`equiv/${m}`, await runEquivalence(c, { mode: m })]);
    }
    for (const [label, r] of results) rows.push(classify(r, label, pendingReason(c.id)));
  }
  printTable(rows, values.verbose || cases.length <= 5);
  return rows.some((r) => r.status === 'FAIL') ? 1 : 0;
}

function classify(r: CaseResult, mode: string, pending: string | undefined): Row {
  const base = { id: r.id, mode, details: r.details };
  if (r.status === 'skipped') return { ...base, status: 'skipped', reason: r.reason };
  if (pending !== undefined) {
    return r.status === 'pass'
      ? { ...base, status: 'PENDING-PASSES', reason: `passes${r.reason ? ` (${r.reason})` : ''}; pending for: ${pending}` }
      : { ...base, status: 'pending', reason: pending };
  }
  return { ...base, status: r.status === 'pass' ? 'pass' : 'FAIL', reason: r.reason };
}

function printTable(rows: readonly Row[], verbose: boolean): void {
  const out = process.stdout;
  const idWidth = Math.max(2, ...rows.map((r) => r.id.length));
  const reasonWidth = Math.max(20, (out.columns ?? 140) - idWidth - 38);
  out.write(`${'id'.padEnd(idWidth)}  ${'mode'.padEnd(17)}  ${'status'.padEnd(14)}  reason\n`);
  for (const r of rows) {
    const reason = r.reason.length > reasonWidth ? `${r.reason.slice(0, reasonWidth - 1)}…` : r.reason;
    out.write(`${r.id.padEnd(idWidth)}  ${r.mode.padEnd(17)}  ${r.status.padEnd(14)}  ${reason}\n`);
  }
  if (verbose) {
    for (const r of rows.filter((x) => x.status === 'FAIL')) out.write(`\n── ${r.id} (${r.mode})\n${r.details}\n`);
  }
  const count = (s: Status): number => rows.filter((r) => r.status === s).length;
  out.write(
    `\n${count('pass')} passed, ${count('FAIL')} failed, ${count('pending')} pending, ` +
      `${count('PENDING-PASSES')} pending but passing, ${count('skipped')} skipped (of ${rows.length} runs)\n`,
  );
  if (count('FAIL') > 0 && !verbose) out.write('rerun with --verbose (or name the case file) for full diffs\n');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
