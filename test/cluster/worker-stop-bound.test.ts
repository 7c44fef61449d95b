// Worker.run() in process settles within its stop bound (stopMs, by default the
// lease + 2 s) when the broker is gone after stop(): it rejects with a
// StopTimeoutError instead of waiting for good on a command ioredis holds for a
// reconnect that never comes. Real redis-server, stopped by its PID; and a
// broker that answers a claim only after run() gave up.

import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { RedisBroker, StopTimeoutError, Worker, type Broker, type Lease } from '../../src/cluster/index.js';
import type { SiddhiAppRuntime } from '../../src/index.js';
import { startRedis } from '../io/redis-server.js';
import { factoryOf } from './in-process.js';
import { APP, until } from './cluster-processes.js';

// Short: the bound (by default the lease + 2 s) is most of the tests' time.
const LEASE_MS = 500;
const STOP_MS = LEASE_MS + 2_000;

/** A server on `port` that accepts every connection and drops it at once. */
async function dropConnections(port: number): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe.concurrent('Worker.run() after stop() with the broker gone', () => {
  for (const [name, port] of [['StopBoundDropped', 'accepts and drops'], ['StopBoundRefused', 'refuses']] as const) {
    it(`rejects with a StopTimeoutError after stopMs when the broker's port ${port} connections`, async ({ expect }) => {
      const redis = await startRedis();
      const broker = await RedisBroker.connect(redis.url, name, 2);
      const worker = new Worker({ id: 'w', broker, factory: factoryOf(name, APP(name), 2, ['Moving']), leaseMs: LEASE_MS });
      const outcome = worker.run().then(() => 'resolved', (err: unknown) => err);
      let dropper: Server | undefined;
      try {
        await until('both partitions owned', 60_000, async () => (worker.owned.length === 2 ? true : undefined));
        await redis.stop();
        if (port === 'accepts and drops') dropper = await dropConnections(redis.port);
        const t0 = performance.now();
        worker.stop();
        const settled = await Promise.race([outcome, until('run() to settle', 30_000, async () => undefined)]);
        const waited = performance.now() - t0;
        expect(settled).toBeInstanceOf(StopTimeoutError);
        expect((settled as StopTimeoutError).waitedMs).toBe(STOP_MS);
        expect((settled as Error).message).toContain('stopped without a final commit');
        expect(waited).toBeGreaterThanOrEqual(STOP_MS - 1);
        // Timers run late on a loaded machine; before the bound, run() had not settled after 30 s.
        expect(waited).toBeLessThan(STOP_MS + 5_000);
      } finally {
        worker.stop();
        dropper?.close();
        await broker.close();
        await redis.stop();
      }
    }, 90_000);
  }
});

describe('Worker.run() after stop() with a claim left pending', () => {
  it('closes the runtime of a claim the broker answers only after run() gave up', async () => {
    let answerClaim: ((lease: Lease) => void) | undefined;
    const unused = () => Promise.reject(new Error('not used here'));
    const broker: Broker = {
      partitions: 1,
      heartbeat: async () => ['w'],
      owners: async () => [undefined],
      claim: (partition, owner) => new Promise((resolve) => {
        answerClaim = () => resolve({ partition, owner, epoch: 1 });
      }),
      records: async () => [undefined],
      routed: async () => ({ perPartition: [0], total: undefined }),
      renew: async () => true,
      report: async () => undefined,
      leave: async () => undefined,
      read: async () => new Map(),
      meta: unused, append: unused, position: unused, finish: unused, release: unused, commit: unused,
      inputEnds: unused, output: unused, reports: unused,
      unavailable: () => false,
      close: async () => undefined,
    };
    const factory = factoryOf('ClaimLate', APP('ClaimLate'), 1, ['Moving']);
    const opened: { runtime: SiddhiAppRuntime; closed: boolean }[] = [];
    const worker = new Worker({
      id: 'w', broker, leaseMs: LEASE_MS, stopMs: 50,
      factory: {
        ...factory,
        create: (options) => {
          const runtime = factory.create(options);
          const entry = { runtime, closed: false };
          const shutdown = runtime.shutdown.bind(runtime);
          runtime.shutdown = () => {
            entry.closed = true;
            shutdown();
          };
          opened.push(entry);
          return runtime;
        },
      },
    });
    const running = worker.run();
    await until('the claim to be sent', 10_000, async () => answerClaim && true);
    worker.stop();
    await expect(running).rejects.toBeInstanceOf(StopTimeoutError);
    answerClaim!({ partition: 0, owner: 'w', epoch: 1 });
    await until('the late claim to open its runtime', 10_000, async () => (opened.length === 1 ? true : undefined));
    await until('the late claim to close its runtime', 5_000, async () => (opened[0]!.closed ? true : undefined));
    expect(worker.owned).toEqual([]);
  });
});
