// Incremental aggregation: (1) events/s into `aggregate every sec ... day` with
// 100 group keys, next to a plain-JS loop doing the same roll-up (per-second
// buckets rolled into minutes, hours, days as seconds complete); (2) latency
// p50/p99 of on-demand queries over a day of per-second buckets.
// Usage: npx tsx bench/aggregation.ts [--quick]

import { createRuntime } from './lib/engine.js';
import { BASE_TS, createRandom, symbolNames } from './lib/events.js';
import { isQuick, writeResults } from './lib/machine.js';
import { median, percentile } from './lib/stats.js';
import { formatRate, printTable } from './lib/table.js';
import type { TargetCheck } from './lib/targets.js';

const quick = isQuick();
const EVENTS = quick ? 300_000 : 1_000_000;
const ITERATIONS = quick ? 3 : 5;
const QUERIES = quick ? 40 : 200;
const KEYS = symbolNames(100);
/** Events per ms of event time: 2 000 per second bucket, so 20 per key per second. */
const PER_MS = 2;

const APP = `
define stream S (symbol string, price double, volume long, ts long);
@purge(enable='false')
define aggregation A from S
  select symbol, sum(volume) as total, count() as n, avg(price) as mean, min(price) as lo, max(price) as hi
  group by symbol aggregate by ts every sec ... day;
`;

interface Input {
  readonly symbols: string[];
  readonly prices: number[];
  readonly volumes: number[];
  readonly times: number[];
}

function makeInput(): Input {
  const random = createRandom(16);
  const input: Input = { symbols: [], prices: [], volumes: [], times: [] };
  for (let i = 0; i < EVENTS; i++) {
    input.symbols.push(KEYS[Math.floor(random() * KEYS.length)]!);
    input.prices.push(random() * 100);
    input.volumes.push(1 + Math.floor(random() * 1000));
    input.times.push(BASE_TS + Math.floor(i / PER_MS));
  }
  return input;
}

type Run = () => { ms: number; check: number };

function engine(input: Input): Run {
  return () => {
    const rt = createRuntime(APP);
    rt.start();
    const send = rt.getInputHandler('S');
    const { symbols, prices, volumes, times } = input;
    const t0 = performance.now();
    for (let i = 0; i < EVENTS; i++) send.send([symbols[i], prices[i], volumes[i], times[i]], times[i]!);
    const ms = performance.now() - t0;
    const check = rt.query("from A within 0L, 4102444800000L per 'days' select sum(total) as t").reduce((s, e) => s + (e.data[0] as number), 0);
    rt.shutdown();
    return { ms, check };
  };
}

interface Agg { total: number; n: number; sum: number; lo: number; hi: number }

const SPANS = [1000, 60_000, 3_600_000, 86_400_000];

/** The same roll-up by hand: second buckets per key; a completed second merges into minutes, and so on up. */
function plain(input: Input): Run {
  return () => {
    const pending = SPANS.map(() => new Map<string, Agg & { start: number; key: string }>());
    const done = SPANS.map(() => new Map<string, Agg>());
    const next = SPANS.map(() => -1);
    const merge = (into: Agg, from: Agg) => {
      into.total += from.total; into.n += from.n; into.sum += from.sum;
      if (from.lo < into.lo) into.lo = from.lo;
      if (from.hi > into.hi) into.hi = from.hi;
    };
    const roll = (time: number) => {
      for (let l = 0; l < SPANS.length; l++) {
        if (next[l] !== -1 && time < next[l]!) return;
        if (next[l] !== -1) {
          for (const [k, b] of pending[l]!) {
            const d = done[l]!.get(k);
            if (d) merge(d, b);
            else done[l]!.set(k, b);
            if (l + 1 < SPANS.length) {
              const start = b.start - (b.start % SPANS[l + 1]!);
              const pk = `${start}|${b.key}`;
              const p = pending[l + 1]!.get(pk);
              if (p) merge(p, b);
              else pending[l + 1]!.set(pk, { ...b, start });
            }
          }
          pending[l]!.clear();
        }
        next[l] = time - (time % SPANS[l]!) + SPANS[l]!;
      }
    };
    const { symbols, prices, volumes, times } = input;
    const t0 = performance.now();
    for (let i = 0; i < EVENTS; i++) {
      const t = times[i]!;
      if (t >= next[0]!) roll(t);
      const start = t - (t % 1000);
      const key = `${start}|${symbols[i]}`;
      const b = pending[0]!.get(key);
      const p = prices[i]!;
      if (b) {
        b.total += volumes[i]!; b.n++; b.sum += p;
        if (p < b.lo) b.lo = p;
        if (p > b.hi) b.hi = p;
      } else pending[0]!.set(key, { start, key: symbols[i]!, total: volumes[i]!, n: 1, sum: p, lo: p, hi: p });
    }
    const ms = performance.now() - t0;
    let check = 0;
    for (const b of done[3]!.values()) check += b.total;
    for (const m of pending) for (const b of m.values()) check += b.total;
    return { ms, check };
  };
}

function throughput(input: Input): { engine: number; plain: number } {
  const runs = [engine(input), plain(input)];
  const samples = runs.map(() => [] as number[]);
  const checks = runs.map(() => 0);
  for (let round = 0; round <= ITERATIONS; round++) {
    runs.forEach((run, k) => {
      const r = run();
      checks[k] = r.check;
      if (round > 0) samples[k]!.push(r.ms);
    });
  }
  if (checks[0] !== checks[1]) throw new Error(`totals differ: engine ${checks[0]}, plain ${checks[1]}`);
  const [e, p] = samples.map((s) => EVENTS / (median(s) / 1000));
  return { engine: e!, plain: p! };
}

const DAY_START = Date.UTC(2026, 11, 1);
const DAY_QUERIES = [
  ['per hours over the day (24 rows)', "within '2026-12-01 **:**:**' per 'hours'"],
  ['per seconds over one hour (3 600 rows)', "within '2026-12-01 13:**:**' per 'seconds'"],
  ['per seconds over the day (86 400 rows)', "within '2026-12-01 **:**:**' per 'seconds'"],
] as const;

/** A day of per-second buckets (one event per second, one key), then each query QUERIES times. */
function latency(): { name: string; rows: number; p50: number; p99: number }[] {
  const rt = createRuntime(APP);
  rt.start();
  const send = rt.getInputHandler('S');
  for (let s = 0; s < 86_400; s++) send.send(['IBM', s % 100, 1, DAY_START + s * 1000], DAY_START + s * 1000);
  const out = DAY_QUERIES.map(([name, within]) => {
    const q = `from A ${within} select AGG_TIMESTAMP, total`;
    let rows = 0;
    for (let i = 0; i < 3; i++) rows = rt.query(q).length;
    const ms: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const t0 = performance.now();
      rt.query(q);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    return { name, rows, p50: percentile(ms, 50), p99: percentile(ms, 99) };
  });
  rt.shutdown();
  return out;
}

function main(): void {
  const t = throughput(makeInput());
  printTable(`Aggregation every sec ... day, 100 group keys, ${EVENTS.toLocaleString('en-US')} events per run (median of ${ITERATIONS})`,
    ['engine', 'plain-JS roll-up', 'plain / engine'],
    [[formatRate(t.engine), formatRate(t.plain), (t.plain / t.engine).toFixed(1) + '×']]);
  const l = latency();
  printTable(`On-demand queries over a day of per-second buckets (${QUERIES} runs each)`, ['query', 'rows', 'p50 ms', 'p99 ms'],
    l.map((r) => [r.name, r.rows, r.p50.toFixed(2), r.p99.toFixed(2)]));
  // The issue sets no figure: the plain-JS roll-up beside the engine is the comparison.
  const checks: TargetCheck[] = [];
  writeResults('aggregation', quick, { events: EVENTS, keys: KEYS.length, throughput: t, queries: l, targets: checks });
}

main();
