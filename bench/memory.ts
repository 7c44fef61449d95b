// Memory: heap bytes per retained event in a length window of 1M events
// (three attributes), next to plain-JS containers holding the same events;
// and bytes per row of a three-attribute table, next to a plain Map of arrays.
// Needs --expose-gc; without it the script re-runs itself with the flag.
// Usage: node --expose-gc --import tsx bench/memory.ts [--quick] [--partition] (--partition: the per-key figures only)

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { S_DEF, createRuntime } from './lib/engine.js';
import { BASE_TS, SYMBOL_COUNT, createRandom, symbolNames } from './lib/events.js';
import { isQuick, writeResults } from './lib/machine.js';
import { formatBytes, printTable } from './lib/table.js';
import { printTargets, type TargetCheck } from './lib/targets.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(child.status ?? 1);
}

const quick = isQuick();
const WINDOW = quick ? 200_000 : 1_000_000;
const names = symbolNames(SYMBOL_COUNT);

/** heapUsed and arrayBuffers after full GCs: typed arrays keep their contents outside the JS heap. */
function heapAfterGc(): { heap: number; buffers: number } {
  for (let i = 0; i < 3; i++) gc!();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}

function grown(before: { heap: number; buffers: number }): { bytes: number; buffers: number } {
  const after = heapAfterGc();
  const buffers = after.buffers - before.buffers;
  return { bytes: after.heap - before.heap + buffers, buffers };
}

/** Events are made on the fly, so the only thing that keeps them alive is the container under test. */
function makeEvents(count: number, onEvent: (symbol: string, price: number, volume: number, ts: number) => void): void {
  const random = createRandom(3);
  for (let i = 0; i < count; i++) onEvent(names[Math.floor(random() * SYMBOL_COUNT)]!, random() * 100, 1 + Math.floor(random() * 1000), BASE_TS + i);
}

interface Measurement {
  readonly what: string;
  readonly events: number;
  readonly bytes: number;
  /** Part of `bytes` outside the JS heap (array buffers). */
  readonly buffers: number;
  readonly perEvent: number;
}

function measureEngine(sent: number): Measurement {
  const runtime = createRuntime(`${S_DEF} from S#window.length(${WINDOW}) select symbol, price, volume insert into O;`);
  runtime.start();
  const h = runtime.getInputHandler('S');
  const before = heapAfterGc();
  makeEvents(sent, (symbol, price, volume, ts) => h.send([symbol, price, volume], ts));
  const { bytes, buffers } = grown(before);
  const m = { what: `engine length(${WINDOW}) after ${sent.toLocaleString('en-US')} events`, events: WINDOW, bytes, buffers, perEvent: bytes / WINDOW };
  runtime.shutdown();
  return m;
}

const KEYS = quick ? 20_000 : 100_000;

/**
 * Partition instances: `KEYS` keys, each with its own length(10) window and
 * sum, after `perKey` events per key (1: the key just created; 10: its window full).
 */
function measurePartition(perKey: number): Measurement {
  const runtime = createRuntime(`define stream S (k string, v double);
partition with (k of S) begin from S#window.length(10) select k, sum(v) as total insert into O; end;`);
  runtime.start();
  const h = runtime.getInputHandler('S');
  const keys = Array.from({ length: KEYS }, (_, i) => `key${i}`);
  const before = heapAfterGc();
  for (let r = 0; r < perKey; r++) keys.forEach((k, i) => h.send([k, i + r], BASE_TS + r * KEYS + i));
  const { bytes, buffers } = grown(before);
  runtime.shutdown();
  const what = `engine: ${KEYS.toLocaleString('en-US')} partition keys, length(10) + sum each, ${perKey === 1 ? 'one event' : `${perKey} events`} per key`;
  return { what, events: KEYS, bytes, buffers, perEvent: bytes / KEYS };
}

function measurePlain(what: string, build: () => { add(symbol: string, price: number, volume: number, ts: number): void }): Measurement {
  const before = heapAfterGc();
  const container = build();
  makeEvents(WINDOW, (s, p, v, t) => container.add(s, p, v, t));
  const { bytes, buffers } = grown(before);
  void container;
  return { what, events: WINDOW, bytes, buffers, perEvent: bytes / WINDOW };
}

const TABLE_ROWS = quick ? 100_000 : 500_000;

/** A table of TABLE_ROWS distinct rows (keyed by a unique id when `keyed`, by row id otherwise). */
function measureTable(keyed: boolean): Measurement {
  const runtime = createRuntime(`define stream L (id string, price double, volume long);
${keyed ? "@PrimaryKey('id')" : ''} define table T (id string, price double, volume long); from L insert into T;`);
  runtime.start();
  const h = runtime.getInputHandler('L');
  const before = heapAfterGc();
  const random = createRandom(5);
  for (let i = 0; i < TABLE_ROWS; i++) h.send([`id${i}`, random() * 100, i], BASE_TS + i);
  const { bytes, buffers } = grown(before);
  const what = `engine table (id string, price double, volume long), ${keyed ? "@PrimaryKey('id')" : 'no primary key'}`;
  const m = { what, events: TABLE_ROWS, bytes, buffers, perEvent: bytes / TABLE_ROWS };
  runtime.shutdown();
  return m;
}

/** Holds the plain table while it is measured (a local could be collected early). */
const kept: unknown[] = [];

function measurePlainTable(): Measurement {
  const before = heapAfterGc();
  const map = new Map<string, unknown[]>();
  kept.push(map);
  const random = createRandom(5);
  for (let i = 0; i < TABLE_ROWS; i++) map.set(`id${i}`, [`id${i}`, random() * 100, i]);
  const { bytes, buffers } = grown(before);
  kept.length = 0;
  return { what: 'plain JS: Map<id, [id, price, volume]>', events: TABLE_ROWS, bytes, buffers, perEvent: bytes / TABLE_ROWS };
}

/** Heap per key after one and after ten events per key. */
function measurePartitionKeys(): [Measurement, Measurement] {
  const both: [Measurement, Measurement] = [measurePartition(1), measurePartition(10)];
  printTable(
    'Heap per partition key',
    ['instances', 'keys', 'bytes', 'of which buffers', 'bytes/key', ''],
    both.map((m) => [m.what, m.events, formatBytes(m.bytes), formatBytes(m.buffers), m.perEvent.toFixed(0), '']),
  );
  return both;
}

function main(): void {
  const results: Measurement[] = [
    measureEngine(WINDOW),
    measureEngine(2 * WINDOW),
    measurePlain('plain JS: ring of {symbol, price, volume, ts} objects', () => {
      const ring: unknown[] = new Array(WINDOW);
      let i = 0;
      return { add: (symbol, price, volume, ts) => void (ring[i++ % WINDOW] = { symbol, price, volume, ts }) };
    }),
    measurePlain('plain JS: ring of [symbol, price, volume] arrays + timestamps', () => {
      const ring: unknown[] = new Array(WINDOW);
      const times = new Float64Array(WINDOW);
      let i = 0;
      return { add: (symbol, price, volume, ts) => void ((ring[i % WINDOW] = [symbol, price, volume]), (times[i++ % WINDOW] = ts)) };
    }),
    measurePlain('plain JS: columnar (symbol ids, Float64Array prices, volumes, timestamps)', () => {
      const sym = new Uint16Array(WINDOW);
      const price = new Float64Array(WINDOW);
      const vol = new Float64Array(WINDOW);
      const times = new Float64Array(WINDOW);
      const ids = new Map(names.map((n, k) => [n, k]));
      let i = 0;
      return {
        add: (symbol, p, v, ts) => {
          const k = i++ % WINDOW;
          sym[k] = ids.get(symbol)!;
          price[k] = p;
          vol[k] = v;
          times[k] = ts;
        },
      };
    }),
  ];
  const [partition, partitionFull] = measurePartitionKeys();
  printTable(
    `Heap per retained event, ${WINDOW.toLocaleString('en-US')}-event window of (symbol string, price double, volume long); heapUsed + arrayBuffers after gc`,
    ['container', 'retained', 'bytes', 'of which buffers', 'bytes/event', ''],
    results.map((r) => [r.what, r.events, formatBytes(r.bytes), formatBytes(r.buffers), r.perEvent.toFixed(1), '']),
  );
  const tables = [measureTable(true), measureTable(false), measurePlainTable()];
  printTable(
    `Heap per table row, ${TABLE_ROWS.toLocaleString('en-US')} rows of (id string, price double, volume long) (the id strings included)`,
    ['container', 'rows', 'bytes', 'of which buffers', 'bytes/row', ''],
    tables.map((r) => [r.what, r.events, formatBytes(r.bytes), formatBytes(r.buffers), r.perEvent.toFixed(1), '']),
  );
  const steady = results[1]!;
  const checks: TargetCheck[] = [
    {
      target: `≤ 35 bytes heap per retained event (length window, steady state)${quick ? ` (quick: ${WINDOW.toLocaleString('en-US')} events)` : ''}`,
      measured: `${steady.perEvent.toFixed(1)} B`,
      ok: steady.perEvent <= 35,
    },
    {
      target: '≤ 2 KB heap per partition key (length(10) + sum, one event per key)',
      measured: `${partition.perEvent.toFixed(0)} B`,
      ok: partition.perEvent <= 2048,
    },
  ];
  printTargets('Targets (memory)', checks);
  writeResults('memory', quick, { window: WINDOW, results, partition, partitionFull, tables, targets: checks });
}

// --partition: the per-key figures alone, a quick look while working on partitions (writes no JSON).
if (process.argv.includes('--partition')) measurePartitionKeys();
else main();
