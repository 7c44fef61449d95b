// Bytes allocated per event by Q1–Q4 on the engine, and where: V8's sampling
// heap profiler (objects the GC has already collected included) over one
// warmed-up run, summed by allocating function. The selected queries are
// measured in turn (only the first is truly clean: the later ones run after the
// earlier ones' warm-up), then again after every query has run in the process
// ("polluted": shared call sites have seen every operator), as in
// throughput.ts; `--only Q3` measures one query clean. Allocation
// inside inlined code is charged to the function it was inlined into
// (usually the generated `send`); the harness's own share (boxing the
// timestamp it passes to send) shows as its feed loop.
// Usage: npx tsx bench/allocation.ts [--quick] [--only Q1,Q4]

import { Session } from 'node:inspector/promises';
import { generateEvents, type Dataset } from './lib/events.js';
import { isQuick, writeResults } from './lib/machine.js';
import { QUERIES, enginePrepare, pollute, type QuerySpec } from './lib/queries.js';
import { printTable } from './lib/table.js';

const quick = isQuick();
const EVENTS = quick ? 50_000 : 200_000;
const WARM_RUNS = 3;
/** Bytes between samples: small enough for a stable B/event at these sizes. */
const SAMPLING_INTERVAL = 256;

interface ProfileNode {
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly selfSize: number;
  readonly children: readonly ProfileNode[];
}

interface Measured {
  readonly bytesPerEvent: number;
  /** The largest allocating sites, `caller > function`, in B/event. */
  readonly sites: readonly (readonly [string, number])[];
}

/** Rows [from, to) of `data` as a dataset of their own. */
function slice(data: Dataset, from: number, to: number): Dataset {
  return {
    size: to - from, rows: data.rows.slice(from, to), events: data.events.slice(from, to),
    timestamps: data.timestamps.subarray(from, to), sides: data.sides.subarray(from, to),
  };
}

async function measure(session: Session, q: QuerySpec): Promise<Measured> {
  const all = generateEvents(2 * EVENTS, { seed: 3 });
  const first = slice(all, 0, EVENTS);
  const second = slice(all, EVENTS, 2 * EVENTS);
  // Fresh runtimes until the code is optimised and stable, as the throughput runs see it.
  for (let i = 0; i < WARM_RUNS; i++) {
    const feed = enginePrepare(q)(() => {});
    feed(first);
    feed(second);
  }
  let outputs = 0;
  const feed = enginePrepare(q)(() => void outputs++);
  feed(first);
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: SAMPLING_INTERVAL, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true,
  });
  feed(second);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  const bySite = new Map<string, number>();
  let total = 0;
  const walk = (node: ProfileNode, caller: string): void => {
    const name = frameName(node);
    if (node.selfSize > 0) {
      const site = `${caller} > ${name}`;
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
      total += node.selfSize;
    }
    for (const c of node.children) walk(c, name);
  };
  walk(profile.head as ProfileNode, '');
  const sites = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([site, bytes]) => [site, bytes / EVENTS] as const);
  return { bytesPerEvent: total / EVENTS, sites };
}

function frameName(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  const file = url === '' ? 'generated' : url.split('/').slice(-2).join('/');
  return `${functionName || '(anonymous)'} (${file})`;
}

async function main(): Promise<void> {
  const onlyAt = process.argv.indexOf('--only');
  const only = new Set(onlyAt > 0 ? (process.argv[onlyAt + 1] ?? '').split(',') : ['Q1', 'Q2', 'Q3', 'Q4']);
  const selected = QUERIES.filter((q) => only.has(q.id));
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  const rows: { id: string; title: string; polluted: boolean; measured: Measured }[] = [];
  for (const polluted of [false, true]) {
    if (polluted) pollute();
    for (const q of selected) {
      const measured = await measure(session, q);
      rows.push({ id: q.id, title: q.title, polluted, measured });
      console.log(`${q.id}${polluted ? ' polluted' : ''}: ${measured.bytesPerEvent.toFixed(1)} B/event`);
    }
  }
  session.disconnect();
  printTable(
    `Bytes allocated per event (sampled every ${SAMPLING_INTERVAL} B over ${EVENTS.toLocaleString('en-US')} events, collected objects included)`,
    ['query', 'B/event', 'largest sites (caller > allocating function: B/event)'],
    rows.map((r) => [
      `${r.id}${r.polluted ? ' polluted' : ''} ${r.title}`,
      r.measured.bytesPerEvent,
      r.measured.sites.map(([site, b]) => `${site}: ${b.toFixed(1)}`).join('; '),
    ]),
  );
  writeResults('allocation', quick, {
    events: EVENTS, samplingInterval: SAMPLING_INTERVAL,
    queries: rows.map((r) => ({ id: r.id, title: r.title, polluted: r.polluted, bytesPerEvent: r.measured.bytesPerEvent, sites: r.measured.sites })),
  });
}

await main();
