// Throughput under checkpointing: Q2 and Q3 with an incremental checkpoint to a
// FileStore about every second, against no checkpoints, in the same run.
// Usage: npx tsx bench/checkpoint-overhead.ts [--quick]
//
// Playback runs as fast as it can, so "every second" is "every R events",
// R = the events/s measured without checkpoints. The checkpoint is
// runtime.persist() (public API: 'auto' mode, i.e. deltas with a full one every
// 10, lz4); its capture runs inline, sealing and the file write run while the
// feed loop yields to the event loop (every 1024 events, in both variants).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore, type SiddhiAppRuntime } from '../src/index.js';
import { createRuntime } from './lib/engine.js';
import { generateEvents, type Dataset } from './lib/events.js';
import { isQuick, writeResults } from './lib/machine.js';
import { QUERIES } from './lib/queries.js';
import { median, percentile } from './lib/stats.js';
import { formatRate, printTable } from './lib/table.js';
import { printTargets, type TargetCheck } from './lib/targets.js';

const quick = isQuick();
/** Checkpoint period in (equivalent) seconds of processing. */
const PERIOD_S = quick ? 0.25 : 1;
/** Each run lasts about this many seconds of processing. */
const RUN_S = quick ? 1 : 6;
const ROUNDS = quick ? 2 : 3;
/** Offered load for the latency model, as a share of the no-checkpoint throughput. */
const LOAD = 0.5;
const YIELD_EVERY = 1024;

interface Run {
  readonly ms: number;
  /** Completion time of each event, ms since the run started. */
  readonly done: Float64Array;
  readonly checkpoints: number;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function feed(app: string, data: Dataset, every: number | undefined): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'siddhi-overhead-'));
  const runtime: SiddhiAppRuntime = createRuntime(app, new FileStore(dir));
  runtime.start();
  const h = runtime.getInputHandler('S');
  const { rows, timestamps } = data;
  const done = new Float64Array(data.size);
  const pending: Promise<string>[] = [];
  await yieldToLoop();
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i++) {
    if (every !== undefined && i > 0 && i % every === 0) pending.push(runtime.persist());
    if (i % YIELD_EVERY === 0) await yieldToLoop();
    h.send(rows[i]!, timestamps[i]!);
    done[i] = performance.now() - t0;
  }
  const ms = performance.now() - t0;
  await Promise.all(pending);
  runtime.shutdown();
  rmSync(dir, { recursive: true, force: true });
  return { ms, done, checkpoints: pending.length };
}

/**
 * Per-event latency if events arrived evenly at `rate`/s: a single FIFO
 * server whose service times are the measured gaps between completions
 * (Lindley's recursion), so a checkpoint pause delays the events queued behind it.
 */
function latencies(run: Run, rate: number): Float64Array {
  const gap = 1000 / rate;
  const out = new Float64Array(run.done.length);
  let wait = 0;
  let prev = 0;
  for (let i = 0; i < run.done.length; i++) {
    const service = run.done[i]! - prev;
    prev = run.done[i]!;
    out[i] = wait + service;
    wait = Math.max(0, wait + service - gap);
  }
  return out.sort();
}

/**
 * The longest wait between two event completions in the `span` events after
 * each checkpoint position: the stall a checkpoint (capture inline, sealing
 * and write in the following yields) adds to the events right behind it.
 * Taken at the same positions in runs without checkpoints, for comparison.
 */
function stalls(run: Run, every: number, span = 4 * YIELD_EVERY): number[] {
  const out: number[] = [];
  for (let at = every; at < run.done.length; at += every) {
    let worst = 0;
    for (let i = at; i < Math.min(run.done.length, at + span); i++) worst = Math.max(worst, run.done[i]! - run.done[i - 1]!);
    out.push(worst);
  }
  return out;
}

async function measure(id: string, app: string) {
  const probe = generateEvents(200_000, { seed: 5 });
  await feed(app, probe, undefined);
  const warm = await feed(app, probe, undefined);
  const estimate = probe.size / (warm.ms / 1000);
  const data = generateEvents(Math.round(estimate * RUN_S), { seed: 5 });
  const every = Math.max(1, Math.round(estimate * PERIOD_S));
  const without: Run[] = [];
  const withCk: Run[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    without.push(await feed(app, data, undefined));
    withCk.push(await feed(app, data, every));
  }
  const rateOf = (runs: Run[]) => data.size / (median(runs.map((x) => x.ms)) / 1000);
  const base = rateOf(without);
  const ck = rateOf(withCk);
  const offered = LOAD * base;
  const lat = (runs: Run[]) => {
    const ps = runs.map((x) => latencies(x, offered));
    return { p99: median(ps.map((l) => percentile(l, 99))), max: median(ps.map((l) => l[l.length - 1]!)) };
  };
  const l0 = lat(without);
  const l1 = lat(withCk);
  const stall0 = median(without.flatMap((x) => stalls(x, every)));
  const stallAll = withCk.flatMap((x) => stalls(x, every));
  const stall1 = median(stallAll);
  return {
    id, events: data.size, checkpointEvery: every, checkpointsPerRun: withCk[0]!.checkpoints,
    withoutRate: base, withRate: ck, ratio: ck / base,
    offeredRate: offered,
    p99WithoutMs: l0.p99, p99WithMs: l1.p99, addedP99Ms: l1.p99 - l0.p99,
    maxWithoutMs: l0.max, maxWithMs: l1.max,
    stallWithoutMs: stall0, stallWithMs: stall1, stallMaxMs: Math.max(...stallAll),
  };
}

async function main(): Promise<void> {
  const results = [];
  for (const q of QUERIES.filter((x) => x.id === 'Q2' || x.id === 'Q3')) {
    const r = await measure(q.id, q.app);
    results.push(r);
    console.log(`${q.id}: ${formatRate(r.withoutRate)} without, ${formatRate(r.withRate)} with checkpoints (${(r.ratio * 100).toFixed(1)}%)`);
  }
  const ms = (x: number) => (x < 10 ? x.toFixed(3) : x.toFixed(1));
  printTable(
    `Throughput with an incremental checkpoint every ${PERIOD_S} s (equivalent), FileStore, median of ${ROUNDS} interleaved runs of ~${RUN_S} s`,
    ['query', 'events', 'ckpt every', 'ckpts/run', 'without', 'with', 'ratio', 'stall p50 no ckpt', 'stall p50', 'stall max', `p99 lat. @${LOAD * 100}% load`, 'with ckpt', 'added p99', ''],
    results.map((r) => [
      r.id, r.events, r.checkpointEvery, r.checkpointsPerRun, formatRate(r.withoutRate), formatRate(r.withRate),
      `${(r.ratio * 100).toFixed(1)}%`, ms(r.stallWithoutMs), ms(r.stallWithMs), ms(r.stallMaxMs),
      ms(r.p99WithoutMs), ms(r.p99WithMs), ms(r.addedP99Ms), '',
    ]),
  );
  console.log('ms. stall: longest gap between two event completions in the 4096 events after a checkpoint (same positions without checkpoints);');
  console.log(`p99 lat.: events arriving evenly at ${LOAD * 100}% of the no-checkpoint rate, queued behind the measured per-event service times`);
  const checks: TargetCheck[] = results.map((r) => ({
    target: `${r.id}: throughput with 1 s incremental checkpoints ≥ 95% of without${quick ? ' (quick: every 0.25 s)' : ''}`,
    measured: `${(r.ratio * 100).toFixed(1)}%`,
    ok: r.ratio >= 0.95,
  }));
  printTargets('Targets (checkpoint overhead)', checks);
  writeResults('checkpoint-overhead', quick, { periodSeconds: PERIOD_S, runSeconds: RUN_S, rounds: ROUNDS, load: LOAD, results, targets: checks });
}

await main();
