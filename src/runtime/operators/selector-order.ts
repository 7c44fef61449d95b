// `order by`, `offset` and `limit` over one selector output chunk. Sorting is
// stable and runs separately over each run of same-typed events, as the
// reference does. Used by selector.ts; keys are resolved by plan-selector.ts.

import type { AttributeType } from '../../ast/index.js';
import type { Row, StreamEvent } from '../event.js';

export interface OrderKey {
  /** Reads the key from the projected output or from the input row. */
  readonly get: (data: unknown[], row: Row) => unknown;
  /** Compares two non-null values of the key's type. */
  readonly compare: (a: unknown, b: unknown) => number;
  readonly descending: boolean;
}

/** A comparison for non-null values of `type`. */
export function compareFor(type: AttributeType): (a: unknown, b: unknown) => number {
  switch (type) {
    case 'string':
    case 'int':
    case 'long':
    case 'float':
    case 'double':
      return (a, b) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0);
    case 'bool':
      return (a, b) => (a === b ? 0 : a === false ? -1 : 1);
    case 'object':
      return () => 0;
  }
}

/** Output of one chunk: events, with their input rows and group keys when needed. */
export interface Candidates {
  events: StreamEvent[];
  rows: Row[];
  keys: string[];
}

export function sortCandidates(c: Candidates, order: readonly OrderKey[]): void {
  const n = c.events.length;
  if (n < 2) return;
  const idx = Array.from({ length: n }, (_, i) => i);
  const cmp = (x: number, y: number): number => compareAt(c, order, x, y);
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i === n || c.events[i]!.type !== c.events[start]!.type) {
      const run = idx.slice(start, i).sort(cmp);
      for (let j = 0; j < run.length; j++) idx[start + j] = run[j]!;
      start = i;
    }
  }
  const { events, rows, keys } = c;
  c.events = idx.map((i) => events[i]!);
  if (rows.length === n) c.rows = idx.map((i) => rows[i]!);
  if (keys.length === n) c.keys = idx.map((i) => keys[i]!);
}

function compareAt(c: Candidates, order: readonly OrderKey[], x: number, y: number): number {
  for (const k of order) {
    const a = k.get(c.events[x]!.data, c.rows[x]!);
    const b = k.get(c.events[y]!.data, c.rows[y]!);
    const an = a === null || a === undefined;
    const bn = b === null || b === undefined;
    if (!an && !bn) {
      const r = k.compare(a, b);
      if (r !== 0) return k.descending ? -r : r;
    } else if (!an) {
      return -1;
    } else if (!bn) {
      return 1;
    }
  }
  return 0;
}

/** Drops the first `offset` events and keeps at most `limit` of the rest. */
export function sliceCandidates(c: Candidates, offset: number, limit: number): void {
  if (offset === 0 && limit >= c.events.length) return;
  const end = Math.min(c.events.length, offset + limit);
  c.events = c.events.slice(offset, end);
  if (c.keys.length > 0) c.keys = c.keys.slice(offset, end);
}
