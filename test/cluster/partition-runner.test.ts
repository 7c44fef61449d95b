// A partition runner fed an input entry in slices (the worker yields inside a
// 500-event entry so lease renewals and commit acknowledgements are served):
// the same state and output as feeding it whole, and no commit while an entry
// is half fed. Real redis-server.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApp, planScaleOut } from '../../src/index.js';
import { RedisBroker, Router } from '../../src/cluster/index.js';
import { PartitionRunner } from '../../src/cluster/partition-runner.js';
import { startRedis, type RedisServer } from '../io/redis-server.js';
import { APP, generateLines } from './cluster-processes.js';
import { factoryOf, referenceOutput, toRouterLine } from './in-process.js';

const STREAMS = ['Moving', 'PerSecond', 'Rises', 'Big'];
let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => redis?.stop());

/** Routes `lines` into a fresh app's single partition, then feeds and commits them with `feedEntry`. */
async function runPartition(name: string, lines: ReturnType<typeof toRouterLine>[], feedEntry: (runner: PartitionRunner, entry: { id: string; body: string }) => void): Promise<string[]> {
  const broker = await RedisBroker.connect(redis.url, name, 1);
  try {
    await new Router({ broker, plan: planScaleOut(parseApp(APP(name)), 1) }).routeAll(lines);
    const entries = (await broker.read(new Map([[0, '0-0']]), 10_000, 1)).get(0)!;
    const lease = (await broker.claim(0, 'w', 60_000))!;
    const { runner } = await PartitionRunner.open(lease, factoryOf(name, APP(name), 1, STREAMS), undefined, undefined);
    for (const entry of entries) feedEntry(runner, entry);
    expect(await runner.commit(broker, undefined)).not.toBe(false);
    runner.close();
    return await broker.output(0);
  } finally {
    await broker.close();
  }
}

describe('PartitionRunner.feed', () => {
  it('goes on inside an entry after a slice ends, with the output of feeding it whole, and refuses a commit meanwhile', async () => {
    const lines = generateLines(2_000, 11).map(toRouterLine);
    const whole = await runPartition('FeedWhole', lines, (runner, entry) => expect(runner.feed(entry, Infinity)).toBeGreaterThanOrEqual(0));
    let calls = 0;
    let refused = 0;
    const sliced = await runPartition('FeedSliced', lines, (runner, entry) => {
      // A deadline already past: each call feeds a few events and stops.
      for (;;) {
        calls++;
        const offset = runner.offset;
        if (runner.feed(entry, 0) >= 0) break;
        expect(runner.midEntry).toBe(true);
        expect(runner.offset).toBe(offset);
        if (calls === 2) runner.commit({} as never, undefined).catch(() => refused++);
      }
      expect(runner.midEntry).toBe(false);
      expect(runner.offset).toBe(entry.id);
    });
    // 2,000 events in entries of up to 500: a call per 8 events.
    expect(calls).toBeGreaterThanOrEqual(2_000 / 8);
    await Promise.resolve();
    expect(refused).toBe(1);
    expect(sliced).toEqual(whole);
    expect(sliced).toEqual(referenceOutput(APP('FeedWhole'), STREAMS, lines));
  });
});
