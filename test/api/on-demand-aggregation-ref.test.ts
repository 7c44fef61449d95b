// On-demand reads of incremental aggregations (`from A within … per …`), ported from the
// reference's aggregation tests (Aggregation1/2, AggregationFilter, SelectOptimisation, Purging):
// each case plays its sends and clock steps in playback and compares every query's rows, as a
// multiset, with on-demand-aggregation-ref.json. `checks` says what the reference test asserts.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../src/index.js';

interface Step {
  readonly stream?: string;
  readonly time?: number;
  readonly data?: unknown[];
  readonly query?: string;
  readonly rows?: unknown[][];
}

interface Case {
  readonly id: string;
  readonly source: string;
  readonly checks: string;
  readonly app: string;
  readonly steps: readonly Step[];
}

const cases = JSON.parse(readFileSync(join(import.meta.dirname, 'on-demand-aggregation-ref.json'), 'utf8')) as Case[];

// Rounded and sorted: the reference compares these results unordered, and float columns carry 32-bit rounding.
const canonical = (rows: readonly (readonly unknown[])[]): string[] =>
  rows.map((r) => JSON.stringify(r.map((v) => (typeof v === 'number' ? Math.round(v * 1e4) / 1e4 : v)))).sort();

describe('on-demand aggregation reads, from the reference tests', () => {
  it.each(cases.map((c) => [`${c.id} (${c.source}; ${c.checks})`, c] as const))('%s', (_name, c) => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(c.app, { playback: true });
    rt.start();
    try {
      for (const s of c.steps) {
        if (s.query !== undefined) expect(canonical(rt.query(s.query).map((e) => e.data)), s.query).toEqual(canonical(s.rows!));
        else if (s.stream !== undefined) rt.getInputHandler(s.stream).send([...s.data!], s.time!);
        else rt.advanceTime(s.time!);
      }
    } finally {
      rt.shutdown();
    }
  });
});
