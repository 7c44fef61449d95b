// Tables: events/s of (1) a stream joined with a 100k-row table on its primary
// key and (2) `update or insert` into a keyed table, each next to a plain-JS
// Map doing the same work, in the same run.
// Usage: npx tsx bench/table.ts [--quick]

import { createRuntime } from './lib/engine.js';
import { createRandom } from './lib/events.js';
import { isQuick, writeResults } from './lib/machine.js';
import { median } from './lib/stats.js';
import { formatRate, printTable } from './lib/table.js';
import type { TargetCheck } from './lib/targets.js';

const quick = isQuick();
const ROWS = 100_000;
const EVENTS = quick ? 200_000 : 1_000_000;
const ITERATIONS = quick ? 3 : 5;

const APP = `
define stream Load (id string, price double, volume long);
define stream Probe (id string, qty long);
@PrimaryKey('id')
define table T (id string, price double, volume long);
from Load update or insert into T on T.id == id;
from Probe join T on T.id == Probe.id select Probe.id, Probe.qty * T.price as amount insert into O;
`;

const ids = Array.from({ length: ROWS }, (_, i) => `k${i}`);

/** The probe and upsert inputs, drawn once so every implementation sees the same events. */
function makeInputs(): { keys: string[]; prices: number[] } {
  const random = createRandom(11);
  const keys: string[] = [];
  const prices: number[] = [];
  // One key in ten misses the table, so the join also pays for misses.
  for (let i = 0; i < EVENTS; i++) {
    keys.push(random() < 0.9 ? ids[Math.floor(random() * ROWS)]! : `miss${i}`);
    prices.push(random() * 100);
  }
  return { keys, prices };
}

type Run = () => { ms: number; outputs: number };

function engineJoin(keys: string[]): Run {
  return () => {
    const rt = createRuntime(APP);
    let outputs = 0;
    rt.addCallback('O', (es) => void (outputs += es.length));
    rt.start();
    const load = rt.getInputHandler('Load');
    for (let i = 0; i < ROWS; i++) load.send([ids[i], i * 0.5, i], 1);
    const probe = rt.getInputHandler('Probe');
    const t0 = performance.now();
    for (let i = 0; i < keys.length; i++) probe.send([keys[i], 3], 2);
    const ms = performance.now() - t0;
    rt.shutdown();
    return { ms, outputs };
  };
}

function plainJoin(keys: string[]): Run {
  return () => {
    const table = new Map<string, [string, number, number]>();
    for (let i = 0; i < ROWS; i++) table.set(ids[i]!, [ids[i]!, i * 0.5, i]);
    const out: unknown[][] = [];
    const t0 = performance.now();
    for (let i = 0; i < keys.length; i++) {
      const row = table.get(keys[i]!);
      if (row) out.push([keys[i], 3 * row[1]]);
    }
    return { ms: performance.now() - t0, outputs: out.length };
  };
}

function engineUpsert(keys: string[], prices: number[]): Run {
  return () => {
    const rt = createRuntime(APP);
    rt.start();
    const load = rt.getInputHandler('Load');
    const t0 = performance.now();
    for (let i = 0; i < keys.length; i++) load.send([keys[i], prices[i], i], 1);
    const ms = performance.now() - t0;
    const outputs = (rt.query('from T select count() as n')[0]?.data[0] as number) ?? 0;
    rt.shutdown();
    return { ms, outputs };
  };
}

function plainUpsert(keys: string[], prices: number[]): Run {
  return () => {
    const table = new Map<string, [string, number, number]>();
    const t0 = performance.now();
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const row = table.get(k);
      // Rows are replaced, not mutated, as the engine does.
      table.set(k, row ? [k, prices[i]!, i] : [k, prices[i]!, i]);
    }
    return { ms: performance.now() - t0, outputs: table.size };
  };
}

/** Median events/s of each run, interleaved round by round after a warm-up round. */
function measure(runs: readonly Run[]): { rate: number; outputs: number }[] {
  const samples = runs.map(() => [] as number[]);
  const outputs = runs.map(() => 0);
  for (let round = 0; round <= ITERATIONS; round++) {
    runs.forEach((run, k) => {
      const r = run();
      outputs[k] = r.outputs;
      if (round > 0) samples[k]!.push(r.ms);
    });
  }
  return runs.map((_, k) => ({ rate: EVENTS / (median(samples[k]!) / 1000), outputs: outputs[k]! }));
}

function main(): void {
  const { keys, prices } = makeInputs();
  const [ej, pj] = measure([engineJoin(keys), plainJoin(keys)]);
  const [eu, pu] = measure([engineUpsert(keys, prices), plainUpsert(keys, prices)]);
  if (ej!.outputs !== pj!.outputs) throw new Error(`join outputs differ: engine ${ej!.outputs}, plain ${pj!.outputs}`);
  if (eu!.outputs !== pu!.outputs) throw new Error(`table sizes differ: engine ${eu!.outputs}, plain ${pu!.outputs}`);
  const rows = [
    ['stream join 100k-row table on its primary key', formatRate(ej!.rate), formatRate(pj!.rate), (pj!.rate / ej!.rate).toFixed(1) + '×', ej!.outputs],
    ['update or insert into a keyed table', formatRate(eu!.rate), formatRate(pu!.rate), (pu!.rate / eu!.rate).toFixed(1) + '×', eu!.outputs],
  ];
  printTable(`Tables, ${EVENTS.toLocaleString('en-US')} events per run (median of ${ITERATIONS})`,
    ['query', 'engine', 'plain Map', 'plain / engine', 'outputs / rows'], rows);
  // The issue sets no figure for tables: the comparison is the plain Map beside it.
  const checks: TargetCheck[] = [];
  writeResults('table', quick, {
    events: EVENTS, rows: ROWS,
    join: { engine: ej!.rate, plain: pj!.rate }, upsert: { engine: eu!.rate, plain: pu!.rate }, targets: checks,
  });
}

main();
