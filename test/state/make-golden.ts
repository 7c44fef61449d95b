// Regenerates the golden checkpoints in test/state/golden/: for each app below,
// runs the `before` steps, persists a full checkpoint (or, for the chain, a
// base and deltas into a FileStore directory), then records what a restored
// runtime outputs for the `after` steps. Run: npx tsx test/state/make-golden.ts [name]
// Only regenerate on purpose (a format change): golden.test.ts must keep
// restoring the files committed earlier. With a name, only that case is
// written (to add a case without rewriting the others). A case may leave its
// `before` steps out of its .json (omitBefore: a state too large to list).

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileStore, InMemoryStore, SiddhiManager } from '../../src/index.js';
import type { Compression, PersistenceStore, SiddhiAppRuntime } from '../../src/index.js';
import { type GoldenCase, type GoldenStep, type OutputRow, applyStep, recordOutput } from './golden/golden-case.js';

const dir = join(import.meta.dirname, 'golden');

const trades = (n: number, from: number, t0: number, dt: number): GoldenStep[] =>
  Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return { stream: 'Trades', time: t0 + k * dt, data: [['IBM', 'ORCL', 'MSFT'][i % 3]!, 10 + ((i * 7) % 13) + 0.25, (i % 5) * 100] };
  });

const HEAD = 'define stream Trades (symbol string, price double, volume long);\n';

interface Spec {
  readonly name: string;
  readonly description: string;
  readonly app: string;
  readonly compression: Compression;
  readonly before: readonly GoldenStep[];
  readonly after: readonly GoldenStep[];
  /** Persist after each of these step counts into a FileStore chain instead of one full snapshot. */
  readonly chainAt?: readonly number[];
  /** Leave the `before` steps out of the .json (too many to keep): the description says how they were made. */
  readonly omitBefore?: true;
}

const SPECS: Spec[] = [
  {
    name: 'length-window-none',
    description: 'a sliding length(4) window with sum/avg/count; uncompressed',
    app: `@app:name('GoldenLength')\n${HEAD}from Trades#window.length(4) select symbol, price, sum(volume) as vol, avg(price) as avgPrice, count() as n insert all events into Out;\n`,
    compression: 'none',
    before: trades(6, 0, 1000, 10),
    after: trades(5, 6, 2000, 10),
  },
  {
    name: 'timebatch-pending-lz4',
    description: 'a timeBatch(1 sec) per symbol checkpointed with a batch open and its timer pending; lz4',
    app: `@app:name('GoldenTimeBatch')\n${HEAD}from Trades#window.timeBatch(1 sec) select symbol, sum(volume) as vol, count() as n group by symbol insert into Out;\n`,
    compression: 'lz4',
    before: trades(7, 0, 1000, 100),
    after: [...trades(6, 7, 1700, 150), { time: 5000 }],
  },
  {
    name: 'groupby-aggregates-zstd',
    description: 'group-by aggregates over length(6): sum, avg, min, max, count, distinctCount, stdDev, maxForever; zstd',
    app: `@app:name('GoldenGroupBy')\n${HEAD}from Trades#window.length(6)\n` +
      'select symbol, sum(volume) as vol, avg(price) as avgPrice, min(price) as lo, max(price) as hi, count() as n, ' +
      'distinctCount(volume) as dv, stdDev(price) as sd, maxForever(price) as top\ngroup by symbol\nhaving n > 0\ninsert into Out;\n',
    compression: 'zstd',
    before: trades(9, 0, 1000, 10),
    after: trades(8, 9, 2000, 10),
  },
  {
    name: 'rate-limit-lz4',
    description: 'output rate limiting: last every 3 events, and all every 1 sec (time-driven) per symbol; lz4',
    app: `@app:name('GoldenRate')\n${HEAD}from Trades select symbol, price output last every 3 events insert into LastOf3;\n` +
      'from Trades#window.length(5) select symbol, sum(volume) as vol group by symbol output all every 1 sec insert into EverySecond;\n',
    compression: 'lz4',
    before: trades(7, 0, 1000, 120),
    after: [...trades(9, 7, 1900, 130), { time: 4000 }],
  },
  {
    name: 'pattern-chain-lz4',
    description: 'patterns in a persisted chain: every followed-by correlated by symbol within 1 sec (pending matches by key), ' +
      'and every e1 -> not … for 500 millisec (absent-state deadlines pending); lz4',
    app: `@app:name('GoldenPattern')\n${HEAD}@info(name = 'rise')\nfrom every e1=Trades[volume == 0] -> e2=Trades[symbol == e1.symbol and price > e1.price] within 1 sec\n` +
      'select e1.symbol as symbol, e1.price as p1, e2.price as p2 insert into Rises;\n' +
      "@info(name = 'quiet')\nfrom every e1=Trades[volume == 400] -> not Trades[symbol == e1.symbol and volume == 0] for 500 millisec\n" +
      'select e1.symbol as symbol, e1.price as price insert into Quiet;\n',
    compression: 'lz4',
    before: trades(24, 0, 1000, 40),
    after: [...trades(12, 24, 2000, 40), { time: 4000 }],
    chainAt: [8, 16, 20, 24],
  },
  {
    name: 'chain-lz4',
    description: 'a persisted chain (full base + deltas) in FileStore layout: length(20) + group-by sum; lz4',
    app: `@app:name('GoldenChain')\n${HEAD}from Trades#window.length(20) select symbol, sum(volume) as vol, count() as n group by symbol insert into Out;\n`,
    compression: 'lz4',
    before: trades(30, 0, 1000, 10),
    after: trades(6, 30, 2000, 10),
    chainAt: [10, 20, 25, 30],
  },
  {
    name: 'length-window-blobs-zstd',
    description: 'a length(150) window holding 150 rows, so its typed columns pack as column blobs (f64 prices, int32 offsets, a dictionary); zstd',
    app: `@app:name('GoldenBlobs')\n${HEAD}from Trades#window.length(150) select symbol, price, sum(volume) as vol, count() as n insert all events into Out;\n`,
    compression: 'zstd',
    before: trades(200, 0, 1000, 10),
    after: trades(5, 200, 5000, 10),
  },
  {
    name: 'length-window-aligned-zstd',
    description: 'format 3: a length(600) window, whose cell is large enough to be padded to an 8-aligned place in the body and whose column blobs are padded too; zstd',
    app: `@app:name('GoldenAligned')\n${HEAD}from Trades#window.length(600) select symbol, price, sum(volume) as vol, count() as n insert all events into Out;\n`,
    compression: 'zstd',
    before: trades(700, 0, 1000, 10),
    after: trades(5, 700, 9000, 10),
  },
  {
    name: 'length-window-lazy-zstd',
    description: 'format 4: a length(80000) window holding 80000 rows (trades(80000, 0, 1000, 10), left out of this file), a body over 1 MiB whose number columns\' values are zstd frames of their own, which a restore leaves compressed until a chunk reads them; zstd',
    app: `@app:name('GoldenLazy')\n${HEAD}from Trades#window.length(80000) select symbol, price, sum(volume) as vol, count() as n insert all events into Out;\n`,
    compression: 'zstd',
    before: trades(80000, 0, 1000, 10),
    after: trades(5, 80000, 900000, 10),
    omitBefore: true,
  },
  {
    name: 'length-window-chained-zstd',
    description: 'format 5: a length(200000) window holding 200000 rows (trades(200000, 0, 1000, 0): all at one time, so the timestamps compress to little; left out of this file), whose prices fill more than one lazy frame: the second is compressed with the first as its zstd prefix (chained); zstd',
    app: `@app:name('GoldenChained')\n${HEAD}from Trades#window.length(200000) select symbol, price, sum(volume) as vol, count() as n insert all events into Out;\n`,
    compression: 'zstd',
    before: trades(200000, 0, 1000, 0),
    after: trades(5, 200000, 3000000, 10),
    omitBefore: true,
  },
];

function open(spec: Spec, store: PersistenceStore, out: OutputRow[] | undefined): SiddhiAppRuntime {
  const rt = new SiddhiManager().createSiddhiAppRuntime(spec.app, { playback: true, store, checkpoint: { compression: spec.compression } });
  if (out) recordOutput(rt, out);
  rt.start();
  return rt;
}

async function make(spec: Spec): Promise<void> {
  const chainDir = join(dir, spec.name);
  rmSync(chainDir, { recursive: true, force: true });
  const memory = new InMemoryStore();
  const store: PersistenceStore = spec.chainAt ? new FileStore(chainDir) : memory;
  const rt = open(spec, store, undefined);
  let revision: string | undefined;
  for (const [i, step] of spec.before.entries()) {
    applyStep(rt, step);
    if (spec.chainAt?.includes(i + 1)) revision = await rt.persist({ mode: i + 1 === spec.chainAt[0] ? 'full' : 'delta' });
  }
  if (!spec.chainAt) revision = await rt.persist({ mode: 'full' });
  // The expected output: what the uninterrupted runtime emits for the `after` steps.
  const expected: OutputRow[] = [];
  recordOutput(rt, expected);
  for (const step of spec.after) applyStep(rt, step);
  rt.shutdown();

  const restored: OutputRow[] = [];
  const fresh = open(spec, store, restored);
  if (spec.chainAt) await fresh.restoreLastRevision();
  else fresh.restore((await memory.load(fresh.name, revision!))!);
  for (const step of spec.after) applyStep(fresh, step);
  fresh.shutdown();
  if (JSON.stringify(restored) !== JSON.stringify(expected)) throw new Error(`${spec.name}: the restored run differs from the uninterrupted one`);

  if (!spec.chainAt) writeFileSync(join(dir, `${spec.name}.sdck`), (await memory.load(rt.name, revision!))!);
  const golden: GoldenCase = {
    description: spec.description,
    app: spec.app,
    compression: spec.compression,
    checkpoint: spec.chainAt ? { store: spec.name, revision: revision! } : { file: `${spec.name}.sdck` },
    before: spec.omitBefore ? [] : spec.before,
    ...(spec.omitBefore ? { beforeOmitted: spec.before.length } : {}),
    after: spec.after,
    expected,
  };
  writeFileSync(join(dir, `${spec.name}.json`), `${JSON.stringify(golden, null, 1)}\n`);
  console.log(`${spec.name}: revision ${revision}, ${expected.length} expected events`);
}

mkdirSync(dir, { recursive: true });
const only = process.argv[2];
for (const spec of SPECS) if (only === undefined || spec.name === only) await make(spec);
