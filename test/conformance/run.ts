// `npm run conformance -- [files or dirs] [--equivalence] [--mode full|incremental] [--verbose]`:
// runs conformance cases and prints a pass/fail table and a summary.
// Exit code 1 when a case that is not pending fails.

import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { loadCases, runCase, runEquivalence } from './runner.js';
import type { CaseResult, RunOptions } from './runner.js';
import { pendingReason } from './pending.js';

const USAGE = `usage: npm run conformance -- [case files or dirs] [--equivalence] [--mode full|incremental] [--verbose]

  (no paths)       run every case in test/conformance/cases
  --equivalence    also check each eligible case with a checkpoint + restart after every input step
  --mode M         pass checkpointMode M to the runtime (full | incremental)
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
  if (values.mode !== undefined && values.mode !== 'full' && values.mode !== 'incremental') {
    process.stderr.write(`--mode must be full or incremental, not '${values.mode}'\n`);
    return 2;
  }
  const opts: RunOptions = values.mode === undefined ? {} : { checkpointMode: values.mode };
  const here = dirname(fileURLToPath(import.meta.url));
  const cases = loadCases(positionals.length > 0 ? positionals : [join(here, 'cases')]);

  const rows: Row[] = [];
  for (const c of cases) {
    const results = [await runCase(c, opts)];
    if (values.equivalence) results.push(await runEquivalence(c, opts));
    for (const r of results) rows.push(classify(r, pendingReason(c.id)));
  }
  printTable(rows, values.verbose || cases.length <= 5);
  return rows.some((r) => r.status === 'FAIL') ? 1 : 0;
}

function classify(r: CaseResult, pending: string | undefined): Row {
  const base = { id: r.id, mode: r.mode, details: r.details };
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
  const reasonWidth = Math.max(20, (out.columns ?? 140) - idWidth - 32);
  out.write(`${'id'.padEnd(idWidth)}  ${'mode'.padEnd(11)}  ${'status'.padEnd(14)}  reason\n`);
  for (const r of rows) {
    const reason = r.reason.length > reasonWidth ? `${r.reason.slice(0, reasonWidth - 1)}…` : r.reason;
    out.write(`${r.id.padEnd(idWidth)}  ${r.mode.padEnd(11)}  ${r.status.padEnd(14)}  ${reason}\n`);
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
