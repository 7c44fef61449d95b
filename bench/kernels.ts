// What the fused kernels (src/runtime/kernel) buy: each query on the plain-JS
// loop, on the engine with fusion and on the engine with SIDDHI_KERNELS=off
// (the planned operators), interleaved in one process; ratios to compare.
// QM (min/max with having) runs here only. Usage: npx tsx bench/kernels.ts [--quick] [--only Q1,QM]

import { collect, compareRows } from './lib/compare.js';
import { generateEvents } from './lib/events.js';
import { isQuick, writeResults } from './lib/machine.js';
import type { Prepare } from './lib/plain-queries.js';
import { KERNEL_QUERIES, QUERIES, enginePrepare } from './lib/queries.js';
import { median } from './lib/stats.js';
import { formatRate, printTable } from './lib/table.js';

const quick = isQuick();
const EVENTS = quick ? 100_000 : 1_000_000;
const ROUNDS = quick ? 3 : 5;
const SAMPLE = 30_000;

/** Runs `prepare` once on a fresh instance with the given SIDDHI_KERNELS (read when the runtime is planned); ms. */
function timeOnce(prepare: Prepare, kernels: string | undefined, data: ReturnType<typeof generateEvents>): number {
  if (kernels === undefined) delete process.env.SIDDHI_KERNELS;
  else process.env.SIDDHI_KERNELS = kernels;
  const feed = prepare(() => {});
  delete process.env.SIDDHI_KERNELS;
  const t0 = performance.now();
  feed(data);
  return performance.now() - t0;
}

function main(): void {
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt > 0 ? new Set(process.argv[onlyAt + 1]!.split(',')) : new Set(['Q1', 'Q2', 'Q3', 'Q4', 'QM']);
  const data = generateEvents(EVENTS);
  const sample = generateEvents(SAMPLE, { seed: 7 });
  const rows: (string | number)[][] = [];
  const json: Record<string, unknown>[] = [];
  for (const q of [...QUERIES, ...KERNEL_QUERIES].filter((x) => only.has(x.id) && !x.join)) {
    const engine = enginePrepare(q);
    // A ratio is only worth printing if both sides computed the same rows.
    const check = compareRows(collect(engine, sample), collect(q.plain, sample));
    if (!check.ok) throw new Error(`${q.id}: the engine's rows differ from the plain loop's: ${check.detail}`);
    const impls: [Prepare, string | undefined][] = [[q.plain, undefined], [engine, undefined], [engine, 'off']];
    const samples = impls.map(() => [] as number[]);
    // Round 0 warms up; then plain, fused, interpreted, plain, … so the load hits all three alike.
    for (let round = 0; round <= ROUNDS; round++) {
      impls.forEach(([prepare, kernels], k) => {
        const ms = timeOnce(prepare, kernels, data);
        if (round > 0) samples[k]!.push(ms);
      });
    }
    const [plain, fused, interpreted] = samples.map((s) => EVENTS / (median(s) / 1000)) as [number, number, number];
    rows.push([q.id, formatRate(plain), formatRate(fused), formatRate(interpreted), `${(fused / interpreted).toFixed(2)}×`,
      `${(fused / plain).toFixed(3)}×`, `${(interpreted / plain).toFixed(3)}×`]);
    json.push({ id: q.id, plain, fused, interpreted });
    console.log(`${q.id} done`);
  }
  printTable(`Fused kernels vs planned operators, events/s (median of ${ROUNDS} runs of ${EVENTS.toLocaleString('en-US')} events)`,
    ['query', 'plain JS', 'fused', 'interpreted', 'fused/interpreted', 'fused/plain', 'interpreted/plain'], rows);
  writeResults('kernels', quick, { events: EVENTS, rounds: ROUNDS, queries: json });
}

main();
