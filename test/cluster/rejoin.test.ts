// Rejoin preference of scale-out, with two in-process workers on a real
// redis-server: a worker stopped gracefully and started again under the same
// name gets back the partitions it owned before, handed over by the other
// worker at a commit (restored at the input's end: no replay), and the output
// stays identical to one process.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApp, planScaleOut } from '../../src/index.js';
import { RedisBroker, Router, Worker, parseRecord } from '../../src/cluster/index.js';
import { startRedis, type RedisServer } from '../io/redis-server.js';
import { factoryOf, referenceOutput, toRouterLine } from './in-process.js';
import { APP, diffLines, generateLines, until } from './cluster-processes.js';

const P = 4;
const LEASE_MS = 1_500;
const OUTPUTS = ['Moving', 'PerSecond', 'Rises', 'Big'];

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => redis?.stop());

describe('scale-out rejoin', () => {
  it('a restarted worker takes back the partitions it owned, handed over at a commit without replay', async () => {
    const name = 'Rejoin';
    const lines = generateLines(6_000, 99).map(toRouterLine);
    const plan = planScaleOut(parseApp(APP(name)), P);
    const broker = await RedisBroker.connect(redis.url, name, P);
    const factory = factoryOf(name, APP(name), P, OUTPUTS);
    const logs: string[] = [];
    const started: { worker: Worker; running: Promise<void> }[] = [];
    const start = (id: string) => {
      const worker = new Worker({ id, broker, factory, leaseMs: LEASE_MS, commitMs: 100, log: (m) => logs.push(m) });
      started.push({ worker, running: worker.run() });
      return started[started.length - 1]!;
    };
    try {
      const holders = async () => (await broker.owners()).map((l) => l?.owner);
      const atEnds = async () => {
        const [ends, records] = await Promise.all([broker.inputEnds(), broker.records()]);
        return records.every((r, p) => r !== undefined && parseRecord(r).offset === ends[p]);
      };
      const owned = (who: string, o: (string | undefined)[]) => o.flatMap((w, p) => (w === who ? [p] : []));

      const a = start('a');
      const b = start('b');
      const half = Math.floor(lines.length / 2);
      await new Router({ broker, plan, batchSize: 100 }).routeAll(lines.slice(0, half));
      await until('the first half processed', 60_000, async () => ((await atEnds()) ? true : undefined));
      const before = await until('an even split', 30_000, async () => {
        const o = await holders();
        return owned('a', o).length === 2 && owned('b', o).length === 2 ? owned('a', o) : undefined;
      });

      // a stops (commits and releases): b takes everything over, restoring a's commits.
      a.worker.stop();
      await a.running;
      // Off the roster at once (b's own heartbeat reads it): b's share is every partition at its next tick, not a lease later.
      expect(await broker.heartbeat('b', LEASE_MS)).toEqual(['b']);
      await until('b to own every partition', 30_000, async () => (owned('b', await holders()).length === P ? true : undefined));
      const ends = await broker.inputEnds();

      // a comes back under the same name: b hands its former partitions back, one per lease tick, at a commit.
      logs.length = 0;
      const again = start('a');
      const back = await until('a to own two partitions again', 30_000, async () => {
        const o = await holders();
        return owned('a', o).length === 2 && owned('b', o).length === 2 ? owned('a', o) : undefined;
      });
      expect(back).toEqual(before);
      // The lease is taken before the partition's runtime is restored: wait for the worker to run both.
      await until('a to run them', 30_000, async () => (again.worker.owned.join() === before.join() ? true : undefined));
      expect(again.worker.report().claims).toBe(2);
      for (const p of before) {
        expect(logs).toContain(`worker b: partition ${p}: handed over at offset ${ends[p]}`);
        // Restored at the offset b handed over at: the input's end, so nothing is replayed.
        expect(logs.some((m) => m.startsWith(`worker a: partition ${p}: claimed`) && m.includes(`at offset ${ends[p]} `))).toBe(true);
      }
      expect(b.worker.report().releases).toBe(2);

      await new Router({ broker, plan, batchSize: 100 }).routeAll(lines.slice(half));
      await until('the second half processed', 60_000, async () => ((await atEnds()) ? true : undefined));
      const output = (await Promise.all(Array.from({ length: P }, (_, p) => broker.output(p)))).flat();
      expect(diffLines(output, referenceOutput(APP('Reference'), OUTPUTS, lines))).toEqual({ missing: 0, duplicated: 0, unexpected: 0 });
    } finally {
      // A failed expectation must not leave workers running (their timers keep calling the broker).
      for (const w of started) w.worker.stop();
      await Promise.allSettled(started.map((w) => w.running));
      await broker.close();
    }
  }, 120_000);
});
