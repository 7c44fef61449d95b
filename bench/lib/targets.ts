// Targets from the benchmark issue, printed next to the measured value with ✓/✗.
// They are reported, never asserted.

import { printTable } from './table.js';

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  /** undefined when the figure could not be measured (e.g. the query is not supported yet). */
  readonly ok: boolean | undefined;
}

export function mark(ok: boolean | undefined): string {
  return ok === undefined ? '–' : ok ? '✓' : '✗';
}

export function printTargets(title: string, checks: readonly TargetCheck[]): void {
  printTable(title, ['target', 'measured', ''], checks.map((c) => [c.target, c.measured, mark(c.ok)]));
}
