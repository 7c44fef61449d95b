// What per-query metrics cost on the event path: the same apps fed in-process
// with metrics off, on with every chunk timed, and on with one chunk in 16
// timed (counts stay exact), side by side in one run, best of 3 rounds.
// Usage: npx tsx bench/metrics-overhead.ts [--quick]

import { SiddhiManager } from '../src/index.js';
import { isQuick, writeResults } from './lib/machine.js';
import { formatRate, printTable } from './lib/table.js';

const quick = isQuick();
const N = quick ? 200_000 : 2_000_000;
const S = 'define stream S (symbol string, price double, volume long);';
const APPS: Record<string, string> = {
  'filter + projection': `${S} @info(name='q') from S[price > 10.0] select symbol, price * 2.0 as p insert into Out;`,
  'length(100) + group by sum': `${S} @info(name='q') from S#window.length(100) select symbol, sum(volume) as v group by symbol insert into Out;`,
  'two chained queries': `${S} @info(name='a') from S[price > 10.0] select symbol, price insert into Mid; @info(name='b') from Mid select symbol, price * 2.0 as p insert into Out;`,
};
const MODES = { off: 0, 'every chunk': 1, '1 chunk in 16': 16 } as const;

function rate(app: string, sampleEvery: number): number {
  const runtime = new SiddhiManager().createSiddhiAppRuntime(app);
  runtime.start();
  if (sampleEvery > 0) runtime.enableMetrics({ sampleEvery });
  const h = runtime.getInputHandler('S');
  const rows = Array.from({ length: 1000 }, (_, i) => [`S${i % 100}`, 5 + (i % 50), i]);
  const t0 = performance.now();
  for (let i = 0; i < N; i++) h.send(rows[i % 1000]!);
  const r = N / ((performance.now() - t0) / 1000);
  runtime.shutdown();
  return r;
}

const results: Record<string, Record<string, number>> = {};
const table: (string | number)[][] = [];
for (const [name, app] of Object.entries(APPS)) {
  const best: Record<string, number> = {};
  for (let round = 0; round < 3; round++) {
    for (const [mode, every] of Object.entries(MODES)) best[mode] = Math.max(best[mode] ?? 0, rate(app, every));
  }
  results[name] = best;
  table.push([name, ...Object.keys(MODES).map((m) => `${formatRate(best[m]!)} (${((best[m]! / best.off!) * 100).toFixed(0)}%)`)]);
}
printTable(`events/s in-process with per-query metrics (${N} events, best of 3)`, ['app', ...Object.keys(MODES)], table);
writeResults('metrics-overhead', quick, { events: N, rates: results });
