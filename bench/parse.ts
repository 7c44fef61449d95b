// Parsing and planning cost of a large app: how long createSiddhiAppRuntime
// takes for 200 queries, split into parse and plan; then 1 MB apps accepted or
// refused (stray tokens, unexpected characters, many queries) against the
// 1 s target; then valid apps of 256 KB, 512 KB and 1 MB, where each doubling
// should about double the time (a ratio well above 2 is a super-linear spot).
// Usage: tsx bench/parse.ts [--quick]

import { SiddhiManager, parseApp } from '../src/index.js';
import { isQuick, writeResults } from './lib/machine.js';
import { summarize } from './lib/stats.js';
import { printTable } from './lib/table.js';
import { sizedApp } from './lib/sized-app.js';

const quick = isQuick();
const QUERIES = 200;
const RUNS = quick ? 10 : 40;

/** Queries the engine plans today (filters, windows, aggregates, rate limits). */
function bigApp(queries: number): string {
  const lines = ['define stream S (symbol string, price float, volume long);'];
  for (let i = 0; i < queries; i++) {
    const name = `@info(name = 'q${i}')`;
    const shapes = [
      `${name} from S[price > ${i} and symbol != 'X']#window.length(${i + 1}) select symbol, sum(price) as total group by symbol having total > 10 insert all events into Out${i};`,
      `${name} from S#window.timeBatch(1 min 30 sec) select symbol, avg(price) as ap, count() as c group by symbol output last every 2 sec insert into T${i};`,
      `${name} from S[ifThenElse(price > 10, volume > 5L, false)] select symbol, convert(price, 'string') as p order by p desc limit 3 insert into F${i};`,
    ];
    lines.push(shapes[i % shapes.length]!);
  }
  return lines.join('\n');
}

const text = bigApp(QUERIES);
const manager = new SiddhiManager();
for (let i = 0; i < 5; i++) manager.createSiddhiAppRuntime(text, { playback: true }).shutdown();
const parse: number[] = [];
const total: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  parseApp(text);
  const t1 = performance.now();
  manager.createSiddhiAppRuntime(text, { playback: true }).shutdown();
  const t2 = performance.now();
  parse.push(t1 - t0);
  total.push(t2 - t1);
}
const p = summarize(parse);
const t = summarize(total);
printTable(`App of ${QUERIES} queries (${text.length} characters), ${RUNS} runs`, ['step', 'p50 ms', 'p99 ms', 'max ms'], [
  ['parse', p.p50.toFixed(2), p.p99.toFixed(2), p.max.toFixed(2)],
  ['parse + plan (createSiddhiAppRuntime)', t.p50.toFixed(2), t.p99.toFixed(2), t.max.toFixed(2)],
]);

/** About 1 MB of `unit`s after a stream definition. */
function megabyteOf(unit: (i: number) => string): string {
  return sizedApp(1 << 20, unit);
}

const LARGE: Record<string, string> = {
  'stray tokens between queries': megabyteOf((i) => `from S select symbol insert into O${i}; ) `),
  'only stray tokens': megabyteOf(() => ') '),
  'unexpected characters between queries': megabyteOf((i) => `from S select symbol insert into O${i}; § `),
  'only unexpected characters': megabyteOf(() => '§'),
  'many queries (accepted)': megabyteOf((i) =>
    `@info(name = 'q${i}') from S[price > ${i}]#window.length(${(i % 50) + 1}) select symbol, sum(price) as total group by symbol insert into Out${i};\n`),
};
const large: Record<string, ReturnType<typeof summarize>> = {};
for (const [name, app] of Object.entries(LARGE)) {
  const ms: number[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    const t0 = performance.now();
    try {
      manager.createSiddhiAppRuntime(app, { playback: true }).shutdown();
    } catch {
      // Refused: what is timed is how fast.
    }
    ms.push(performance.now() - t0);
  }
  large[name] = summarize(ms);
}
printTable('1 MB apps, createSiddhiAppRuntime (target < 1000 ms)', ['app', 'p50 ms', 'max ms'],
  Object.entries(large).map(([name, s]) => [name, s.p50.toFixed(0), s.max.toFixed(0)]));
/** Valid apps of three shapes: windowed aggregates; streams of their own with rate limits; many filters into one stream. */
const SHAPES: Record<string, (i: number) => string> = {
  'aggregates': (i) =>
    `@info(name = 'q${i}') from S[price > ${i}]#window.length(${(i % 50) + 1}) select symbol, sum(price) as total group by symbol insert into Out${i};\n`,
  'own streams, rate limits': (i) =>
    `define stream In${i} (a int, b string);\nfrom In${i}#window.timeBatch(1 sec) select b, count() as c group by b output last every 2 sec insert into Out${i % 100};\n`,
  'filters into one stream': (i) => `from S[symbol == 'x${i}'] select symbol, price * 2 as p insert into Mid;\n`,
};
const SIZES = [1 << 18, 1 << 19, 1 << 20];
const doubling: Record<string, { kb: number; parseMs: number; createMs: number }[]> = {};
const doublingRows: string[][] = [];
for (const [shape, unit] of Object.entries(SHAPES)) {
  const rows: { kb: number; parseMs: number; createMs: number }[] = [];
  for (const size of SIZES) {
    const app = sizedApp(size, unit);
    // The best of a few runs: on a shared machine the others are someone else's load.
    let parseMs = Infinity;
    let createMs = Infinity;
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      const t0 = performance.now();
      parseApp(app);
      const t1 = performance.now();
      manager.createSiddhiAppRuntime(app, { playback: true }).shutdown();
      const t2 = performance.now();
      parseMs = Math.min(parseMs, t1 - t0);
      createMs = Math.min(createMs, t2 - t1);
    }
    const before = rows[rows.length - 1];
    rows.push({ kb: size >> 10, parseMs, createMs });
    doublingRows.push([shape, String(size >> 10), parseMs.toFixed(0), createMs.toFixed(0),
      before ? (createMs / before.createMs).toFixed(2) : '']);
  }
  doubling[shape] = rows;
}
printTable('Valid apps by size, best of runs (createSiddhiAppRuntime target < 1000 ms at 1 MB; ×2 size ≈ ×2 time)',
  ['shape', 'KB', 'parse ms', 'create ms', 'create ratio to half size'], doublingRows);
writeResults('parse', quick, { queries: QUERIES, characters: text.length, runs: RUNS, parseMs: p, createMs: t, megabyteApps: large, doubling });
