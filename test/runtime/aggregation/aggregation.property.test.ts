// Property: an aggregation fed random out-of-order events, checkpointed and
// restored into a fresh runtime at a random point (snapshot/restore, or
// persist/restoreLastRevision for incremental checkpoints), reads per every
// duration exactly what a naive roll-up of all events computes.

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { InMemoryStore, SiddhiManager, type SiddhiAppRuntime } from '../../../src/index.js';
import type { AggregationDuration } from '../../../src/ast/index.js';
import { bucketStart } from '../../../src/runtime/operators/aggregation/bucket-time.js';
import { expectEqual } from '../../expect-equal.js';

const RUNS = Number(process.env.AGG_PROPERTY_RUNS ?? 60);
const ALL: readonly AggregationDuration[] = ['sec', 'min', 'hour', 'day', 'month', 'year'];
const PER: Record<AggregationDuration, string> = { sec: 'seconds', min: 'minutes', hour: 'hours', day: 'days', month: 'months', year: 'years' };
const BASE = Date.UTC(2026, 0, 30, 23, 58, 0);

interface In {
  readonly k: string;
  readonly v: number;
  readonly t: number;
}

const eventArb: fc.Arbitrary<In> = fc.record({
  k: fc.constantFrom('a', 'b', 'c'),
  v: fc.integer({ min: -5, max: 20 }),
  // Mostly within minutes of BASE (many shared buckets), sometimes days or months away, in any order.
  t: fc.oneof(fc.integer({ min: -200_000, max: 200_000 }), fc.integer({ min: -90 * 86_400_000, max: 90 * 86_400_000 })).map((d) => BASE + d),
});

const durationsArb = fc.subarray([...ALL], { minLength: 1 });

function appOf(durations: readonly AggregationDuration[]): string {
  return `define stream S (k string, v int, t long);
@purge(enable='false')
define aggregation A from S
  select k, sum(v) as total, count() as n, min(v) as lo, max(v) as hi, avg(v) as mean, distinctCount(v) as distinct, v * 2 as lastDouble
  group by k aggregate by t every ${durations.join(', ')};`;
}

type Row = [number, string, number, number, number, number, number, number, number];

/** The naive roll-up: every event added straight into its bucket of `d`. */
function naive(events: readonly In[], d: AggregationDuration): Row[] {
  const buckets = new Map<string, { start: number; k: string; vs: number[]; lastT: number; last: number }>();
  for (const e of events) {
    const start = bucketStart(e.t, d);
    const key = `${start}|${e.k}`;
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = { start, k: e.k, vs: [], lastT: -Infinity, last: 0 }));
    b.vs.push(e.v);
    if (e.t >= b.lastT) {
      b.lastT = e.t;
      b.last = e.v * 2;
    }
  }
  return sortRows([...buckets.values()].map((b) => {
    const sum = b.vs.reduce((x, y) => x + y, 0);
    return [b.start, b.k, sum, b.vs.length, Math.min(...b.vs), Math.max(...b.vs), sum / b.vs.length, new Set(b.vs).size, b.last];
  }));
}

function sortRows(rows: Row[]): Row[] {
  return rows.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
}

function read(rt: SiddhiAppRuntime, d: AggregationDuration): Row[] {
  return sortRows(rt.query(`from A within 0L, 4102444800000L per '${PER[d]}'`).map((e) => [...e.data] as Row));
}

async function runWithRestore(app: string, events: readonly In[], cut: number, incremental: boolean): Promise<SiddhiAppRuntime> {
  const store = new InMemoryStore();
  const create = () => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true, store });
    rt.start();
    return rt;
  };
  let rt = create();
  const feed = (from: number, to: number) => {
    const send = rt.getInputHandler('S');
    for (let i = from; i < to; i++) send.send([events[i]!.k, events[i]!.v, events[i]!.t], 1000 + i);
  };
  // Incremental: a checkpoint before the cut too, so the restore applies a delta on a full capture.
  const early = Math.floor(cut / 2);
  feed(0, early);
  if (incremental) await rt.persist();
  feed(early, cut);
  let bytes: Uint8Array | undefined;
  if (incremental) await rt.persist();
  else bytes = rt.snapshot();
  rt.shutdown();
  rt = create();
  if (incremental) await rt.restoreLastRevision();
  else rt.restore(bytes!);
  feed(cut, events.length);
  return rt;
}

describe('aggregation against a naive roll-up', () => {
  it('random out-of-order events, a random checkpoint and restore', async () => {
    await fc.assert(
      fc.asyncProperty(durationsArb, fc.array(eventArb, { minLength: 1, maxLength: 60 }), fc.nat(), fc.boolean(), async (durations, events, at, incremental) => {
        const rt = await runWithRestore(appOf(durations), events, at % (events.length + 1), incremental);
        for (const d of durations) expectEqual(read(rt, d), naive(events, d), d);
        rt.shutdown();
      }),
      { numRuns: RUNS, seed: 16 },
    );
  });
});
