// Range partitions with P > 1, with two in-process workers on a real
// redis-server: the router sends an event to the partition of every range
// label it matches (overlapping ranges: some events reach two partitions),
// each partition's runtime runs only its own labels, and the sorted union of
// the outputs equals one process's output, a worker stopping halfway included.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiddhiManager, parseApp, planScaleOut } from '../../src/index.js';
import { RedisBroker, Router, Worker, parseRecord } from '../../src/cluster/index.js';
import { partitionOf } from '../../src/cluster/batch.js';
import { startRedis, type RedisServer } from '../io/redis-server.js';
import { factoryOf, referenceOutput, toRouterLine } from './in-process.js';
import { diffLines, generateLines, until } from './cluster-processes.js';

const P = 4;
const OUTPUTS = ['Moving', 'PerSecond', 'Rises'];
const LABELS = ['low', 'mid', 'high', 'top'];
const APP = (name: string): string => `@app:name('${name}')
define stream Trades (symbol string, price double, volume long);
partition with (price < 30 as 'low' or price >= 20 and price < 70 as 'mid' or price >= 60 as 'high' or price >= 95 as 'top' of Trades) begin
  from Trades#window.length(10) select symbol, sum(volume) as total, avg(price) as avgPrice insert into Moving;
  from Trades#window.timeBatch(1 sec) select count() as trades, max(price) as high insert into PerSecond;
  from every a=Trades -> b=Trades[price > a.price * 1.5] within 500 milliseconds
  select a.symbol as symbol, a.price as before, b.price as after insert into Rises;
end;
`;

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => redis?.stop());

describe('scale-out range partitions', () => {
  it('runs only the range labels a runtime accepts (RuntimeOptions.rangeLabels)', () => {
    const text = `define stream S (v int);
      partition with (v < 10 as 'low' or v >= 5 as 'high' of S) begin from S select v insert into Out; end;`;
    const seen = (rangeLabels?: (label: string) => boolean) => {
      const rt = new SiddhiManager().createSiddhiAppRuntime(text, { playback: true, ...(rangeLabels ? { rangeLabels } : {}) });
      const out: unknown[] = [];
      rt.addCallback('Out', (es) => es.forEach((e) => out.push(e.data[0])));
      rt.start();
      for (const v of [1, 7, 12]) rt.getInputHandler('S').send([v], v);
      rt.shutdown();
      return out;
    };
    expect(seen()).toEqual([1, 7, 7, 12]);
    expect(seen((l) => l === 'high')).toEqual([7, 12]);
    expect(seen((l) => l === 'low')).toEqual([1, 7]);
  });

  it('routes each event to its labels\' partitions and matches one process, across a hand-over', async () => {
    // The labels spread over more than one partition, so overlapping ranges do reach two partitions.
    expect(new Set(LABELS.map((l) => partitionOf(l, P))).size).toBeGreaterThan(1);
    const name = 'Ranges';
    const lines = generateLines(8_000, 11).map(toRouterLine);
    const plan = planScaleOut(parseApp(APP(name)), P);
    const broker = await RedisBroker.connect(redis.url, name, P);
    const factory = factoryOf(name, APP(name), P, OUTPUTS);
    const started: { worker: Worker; running: Promise<void> }[] = [];
    const start = (id: string) => {
      const worker = new Worker({ id, broker, factory, leaseMs: 1_500, commitMs: 100 });
      started.push({ worker, running: worker.run() });
      return started[started.length - 1]!;
    };
    const atEnds = async () => {
      const [ends, records] = await Promise.all([broker.inputEnds(), broker.records()]);
      return records.every((r, p) => ends[p] === '0-0' || (r !== undefined && parseRecord(r).offset === ends[p]));
    };
    try {
      const a = start('a');
      start('b');
      const half = Math.floor(lines.length / 2);
      const first = await new Router({ broker, plan, batchSize: 100 }).routeAll(lines.slice(0, half));
      // Events matching two ranges whose labels hash apart were sent twice.
      expect(first.perPartition.reduce((x, y) => x + y, 0)).toBeGreaterThan(first.events);
      await until('the first half processed', 60_000, async () => ((await atEnds()) ? true : undefined));
      a.worker.stop();
      await a.running;
      await new Router({ broker, plan, batchSize: 100 }).routeAll(lines.slice(half));
      await until('the second half processed', 60_000, async () => ((await atEnds()) ? true : undefined));
      const output = (await Promise.all(Array.from({ length: P }, (_, p) => broker.output(p)))).flat();
      const expected = referenceOutput(APP('Reference'), OUTPUTS, lines);
      expect(expected.length).toBeGreaterThan(1_000);
      expect(diffLines(output, expected)).toEqual({ missing: 0, duplicated: 0, unexpected: 0 });
    } finally {
      for (const w of started) w.worker.stop();
      await Promise.allSettled(started.map((w) => w.running));
      await broker.close();
    }
  }, 120_000);
});
