// Throughput (events/s, one process) of Q1–Q7 on the engine, next to a
// hand-written plain-JS loop (the ceiling) and an RxJS pipeline, in the same
// run. Engine runtimes take one capture before timing (change logging on).
// Q1 runs first and again after the others ("Q1 polluted": its call sites have
// seen every other query's operators); --polluted runs every query a little
// before timing anything, so all rows measure the polluted case. Rates are
// per wall second; 'engine/plain CPU' compares CPU seconds instead, which
// holds up better on a machine shared with other work.
// --batched N adds a row per query (Q1–Q4 by default) whose engine gets the
// events in sendBatch calls of N: one chunk each, so an aggregation emits once
// per batch and group (fewer outputs than the plain loop: only Q1's are checked).
// Usage: npx tsx bench/throughput.ts [--quick] [--only Q2,Q3] [--polluted] [--batched 100]

import { collect, compareRows, type CheckResult } from './lib/compare.js';
import { generateEvents, type Dataset } from './lib/events.js';
import { isQuick, writeResults } from './lib/machine.js';
import { median } from './lib/stats.js';
import type { Prepare } from './lib/plain-queries.js';
import { QUERIES, enginePrepare, pollute, unsupportedReason, type QuerySpec } from './lib/queries.js';
import { formatRate, printTable } from './lib/table.js';
import { printTargets, type TargetCheck } from './lib/targets.js';

const quick = isQuick();
const EVENTS = quick ? 100_000 : 1_000_000;
const SAMPLE = 30_000;
const ITERATIONS = quick ? 3 : 5;

interface Measured {
  readonly rate: number;
  /** Events per second of this process's CPU time (all its threads, GC helpers included). */
  readonly cpuRate: number;
  readonly samplesMs: number[];
  readonly outputs: number;
}

interface Impl {
  readonly name: string;
  readonly prepare: Prepare;
}

// No forced gc() between runs: a forced full GC cost the engine up to 4× here
// (it ran cold after each one), which would measure V8, not the engine.

/**
 * One timed run on a fresh instance; set-up is not timed. Wall time, and the
 * process's CPU time: on a machine shared with other work the wall time
 * includes waiting for a core, the CPU time does not.
 */
function timeOnce(prepare: Prepare, data: Dataset): { ms: number; cpuMs: number; outputs: number } {
  let outputs = 0;
  const feed = prepare(() => void outputs++);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  feed(data);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, outputs };
}

/**
 * Median events/s of each implementation. Runs are interleaved round by round
 * (plain, RxJS, engine, plain, …) after one warm-up round, so a noisy
 * neighbour or a GC phase hits all of them alike and the ratios stay honest.
 */
function measureInterleaved(impls: readonly Impl[], data: Dataset): Measured[] {
  const samples = impls.map(() => [] as number[]);
  const cpuSamples = impls.map(() => [] as number[]);
  const counts = impls.map(() => new Set<number>());
  for (let round = 0; round <= ITERATIONS; round++) {
    impls.forEach((impl, k) => {
      const { ms, cpuMs, outputs } = timeOnce(impl.prepare, data);
      counts[k]!.add(outputs);
      if (round > 0) {
        samples[k]!.push(ms);
        cpuSamples[k]!.push(cpuMs);
      }
    });
  }
  return impls.map((impl, k) => {
    if (counts[k]!.size !== 1) throw new Error(`${impl.name}: output count changed between runs: ${[...counts[k]!].join(', ')}`);
    const rate = (ms: number) => data.size / (ms / 1000);
    return { rate: rate(median(samples[k]!)), cpuRate: rate(median(cpuSamples[k]!)), samplesMs: samples[k]!, outputs: [...counts[k]!][0]! };
  });
}

interface Row {
  readonly id: string;
  readonly title: string;
  readonly skipped?: string;
  readonly engine?: Measured;
  readonly plain: Measured;
  readonly rx?: Measured;
  readonly engineCheck?: CheckResult;
  readonly rxCheck?: CheckResult;
  readonly reference: number | undefined;
  /** Events per sendBatch call; 0 = one send() per event. */
  readonly batch: number;
}

function runQuery(q: QuerySpec, batch = 0): Row {
  const data = generateEvents(EVENTS, { join: q.join ?? false });
  const sample = generateEvents(SAMPLE, { join: q.join ?? false, seed: 7 });
  const expected = collect(q.plain, sample);
  const rxCheck = q.rx ? compareRows(collect(q.rx, sample), expected) : undefined;
  const skipped = unsupportedReason(q);
  const impls: Impl[] = [{ name: `${q.id} plain`, prepare: q.plain }];
  if (q.rx) impls.push({ name: `${q.id} rxjs`, prepare: q.rx });
  let engineCheck: CheckResult | undefined;
  if (!skipped) {
    const engine = enginePrepare(q, batch);
    // A batch is one chunk: an aggregation's output is per batch, not per event (unchecked); Q1's, a filter's, is the same.
    if (batch === 0 || q.id === 'Q1') engineCheck = compareRows(collect(engine, sample), expected);
    impls.push({ name: `${q.id} engine`, prepare: engine });
  }
  const measured = measureInterleaved(impls, data);
  const plain = measured[0]!;
  const rx = q.rx ? measured[1] : undefined;
  const engine = skipped ? undefined : measured[measured.length - 1];
  return {
    id: q.id, title: q.title, plain, reference: q.reference, batch,
    ...(skipped ? { skipped } : {}),
    ...(engine ? { engine } : {}),
    ...(engineCheck ? { engineCheck } : {}),
    ...(rx ? { rx } : {}),
    ...(rxCheck ? { rxCheck } : {}),
  };
}

function main(): void {
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt > 0 ? new Set(process.argv[onlyAt + 1]!.split(',')) : undefined;
  const polluted = process.argv.includes('--polluted');
  if (polluted) pollute();
  const rows: Row[] = [];
  const run = (q: QuerySpec, label = q.id, batch = 0): void => {
    const row = { ...runQuery(q, batch), id: label };
    rows.push(row);
    console.log(`${label}: ${row.engine ? formatRate(row.engine.rate) : 'skipped'} engine, ${formatRate(row.plain.rate)} plain` +
      (row.rx ? `, ${formatRate(row.rx.rate)} rxjs` : ''));
  };
  const selected = QUERIES.filter((q) => !only || only.has(q.id));
  for (const q of selected) run(q, polluted ? `${q.id} polluted` : q.id);
  // Q1 paired in one process: clean (first) and after the other queries.
  const q1 = selected.find((q) => q.id === 'Q1');
  if (q1 && !polluted && selected.length > 1) run(q1, 'Q1 polluted');
  const batchAt = process.argv.indexOf('--batched');
  // `--batched` alone (or before another flag) means batches of 100.
  const size = Number(process.argv[batchAt + 1]);
  const batch = batchAt < 0 ? 0 : Number.isInteger(size) && size > 0 ? size : 100;
  if (batch > 0) {
    for (const q of selected.filter((x) => (only || ['Q1', 'Q2', 'Q3', 'Q4'].includes(x.id)) && !x.join)) run(q, `${q.id} batched×${batch}`, batch);
  }
  printTable(
    `Throughput, events/s (median of ${ITERATIONS} runs of ${EVENTS.toLocaleString('en-US')} events; check on ${SAMPLE.toLocaleString('en-US')})`,
    ['query', 'engine', 'plain JS', 'RxJS', 'engine/plain', 'engine/plain CPU', 'engine/RxJS', 'reference', 'engine/ref', 'outputs', 'check'],
    rows.map((r) => [
      `${r.id} ${r.title}`,
      r.engine ? formatRate(r.engine.rate) : 'skipped',
      formatRate(r.plain.rate),
      r.rx ? formatRate(r.rx.rate) : 'n/a',
      r.engine ? ratio(r.engine.rate / r.plain.rate) : '–',
      r.engine ? ratio(r.engine.cpuRate / r.plain.cpuRate) : '–',
      r.engine && r.rx ? ratio(r.engine.rate / r.rx.rate) : '–',
      r.reference !== undefined ? formatRate(r.reference) : '–',
      r.engine && r.reference !== undefined ? ratio(r.engine.rate / r.reference) : '–',
      r.plain.outputs,
      checkText(r),
    ]),
  );
  for (const r of rows) if (r.skipped) console.log(`${r.id} skipped: ${r.skipped}`);
  const checks: TargetCheck[] = [];
  // Batched rows are for comparison with the per-event ones: the bars are per event.
  for (const r of rows.filter((x) => x.batch === 0)) {
    const e = r.engine?.rate;
    const ref = r.reference;
    if (ref !== undefined) {
      checks.push({ target: `${r.id} ≥ 2× reference (${formatRate(2 * ref)}/s)`, measured: e ? formatRate(e) : 'skipped', ok: e ? e >= 2 * ref : undefined });
    }
    checks.push({ target: `${r.id} within 3× of plain JS`, measured: e ? `${ratio(r.plain.rate / e)} slower` : 'skipped', ok: e ? r.plain.rate / e <= 3 : undefined });
  }
  printTargets('Targets (throughput)', checks);
  writeResults(polluted ? 'throughput-polluted' : 'throughput', quick, { polluted, events: EVENTS, sample: SAMPLE, iterations: ITERATIONS, queries: rows.map(toJson), targets: checks });
}

function checkText(r: Row): string {
  const parts: string[] = [];
  if (r.engineCheck) parts.push(`engine ${r.engineCheck.ok ? '✓' : '✗ ' + r.engineCheck.detail}`);
  else if (r.batch > 0 && !r.skipped) parts.push('engine not compared (output per batch)');
  if (r.rxCheck) parts.push(`rx ${r.rxCheck.ok ? '✓' : '✗ ' + r.rxCheck.detail}`);
  return parts.join(', ');
}

function ratio(x: number): string {
  return `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`;
}

function toJson(r: Row): Record<string, unknown> {
  const m = (x: Measured | undefined) => x && { eventsPerSecond: Math.round(x.rate), eventsPerCpuSecond: Math.round(x.cpuRate), outputs: x.outputs, runMs: x.samplesMs };
  return {
    id: r.id, title: r.title, skipped: r.skipped, reference: r.reference,
    engine: m(r.engine), plain: m(r.plain), rxjs: m(r.rx), engineCheck: r.engineCheck, rxCheck: r.rxCheck,
  };
}

main();
