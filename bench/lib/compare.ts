// Compares output rows of two implementations on a sample, so a throughput
// ratio is only printed next to a check that both computed the same thing.

import type { Dataset } from './events.js';
import type { Prepare } from './plain-queries.js';

export interface CheckResult {
  readonly ok: boolean;
  /** 'same rows', 'same rows, other order', or what differs first. */
  readonly detail: string;
  readonly rows: number;
}

export function collect(prepare: Prepare, data: Dataset): unknown[][] {
  const out: unknown[][] = [];
  prepare((row) => out.push([...row]))(data);
  return out;
}

export function compareRows(actual: readonly unknown[][], expected: readonly unknown[][]): CheckResult {
  if (actual.length !== expected.length) {
    return { ok: false, detail: `${actual.length} rows, expected ${expected.length}`, rows: actual.length };
  }
  const firstDiff = actual.findIndex((row, i) => !sameRow(row, expected[i]!));
  if (firstDiff < 0) return { ok: true, detail: 'same rows', rows: actual.length };
  const key = (r: readonly unknown[]) => r.map((v) => (typeof v === 'number' ? v.toPrecision(9) : String(v))).join('|');
  const a = actual.map(key).sort();
  const b = expected.map(key).sort();
  if (a.every((k, i) => k === b[i])) return { ok: true, detail: 'same rows, other order', rows: actual.length };
  return {
    ok: false,
    detail: `row ${firstDiff}: ${JSON.stringify(actual[firstDiff])} vs ${JSON.stringify(expected[firstDiff])}`,
    rows: actual.length,
  };
}

function sameRow(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x === 'number' && typeof y === 'number') {
      if (Math.abs(x - y) > 1e-9 * Math.max(1, Math.abs(x), Math.abs(y))) return false;
    } else if (x !== y) return false;
  }
  return true;
}
