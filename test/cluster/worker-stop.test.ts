// A worker stops on SIGTERM within a bound: with the broker up it commits and
// releases its partitions and leaves the roster (exit 0, the leases free at once); with the broker
// gone it gives up the final commit after --lease + 2 s (exit 1), leaving the
// partitions to the lease expiry. Real redis-server and worker processes.
// The tests run at once (each has its own redis-server and app): most of their
// time is spent waiting on the processes (the bounded wait alone is 2.5 s at a 500 ms lease).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { RedisBroker } from '../../src/cluster/index.js';
import { startRedis } from '../io/redis-server.js';
import { builtCli } from '../cli/built-cli.js';
import { invokeCli } from '../cli/run-cli.js';
import { APP, runCli, startCli, until } from './cluster-processes.js';

const dir = mkdtempSync(join(tmpdir(), 'siddhi-worker-stop-'));
let cli: string;
beforeAll(() => {
  cli = builtCli();
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function ownedWorker(name: string, lease: string, extra: readonly string[] = []) {
  const redis = await startRedis();
  const appFile = join(dir, `${name}.siddhi`);
  writeFileSync(appFile, APP(name));
  const broker = await RedisBroker.connect(redis.url, name, 2);
  const worker = startCli(cli, ['worker', appFile, '--redis', redis.url, '--partitions', '2', '--id', 'w', '--lease', lease, ...extra]);
  try {
    await until('both partitions owned', 60_000, async () => ((await broker.owners()).every((l) => l?.owner === 'w') ? true : undefined));
  } catch (err) {
    worker.process.kill('SIGKILL');
    await broker.close();
    await redis.stop();
    throw err;
  }
  return { redis, broker, worker };
}

describe.concurrent('siddhi worker on SIGTERM', () => {
  it('serves its figures for Prometheus, then commits, releases its leases and exits 0 while the broker is up', async ({ expect }) => {
    const { redis, broker, worker } = await ownedWorker('StopUp', '1s', ['--metrics-port', '0']);
    try {
      const url = /metrics at (http:\S+)/.exec(worker.stderr)?.[1];
      expect(url, worker.stderr).toBeDefined();
      const text = await (await fetch(url!)).text();
      const base = 'app="StopUp",worker="w"';
      expect(text).toContain(`siddhi_worker_partitions_owned{${base}} 2\n`);
      expect(text).toContain(`siddhi_worker_lease_claims_total{${base}} 2\n`);
      expect(text).toContain('# TYPE siddhi_worker_partition_lag_events gauge');
      expect(text).toContain(`siddhi_worker_fenced_commits_total{${base}} 0\n`);
      worker.process.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
      expect(worker.stderr).toContain('SIGTERM: committed and released partitions');
      expect(await broker.owners()).toEqual([undefined, undefined]);
      expect((await broker.records()).every((r) => r !== undefined)).toBe(true);
      // Off the roster too (Broker.leave): a probe's heartbeat finds no one else alive.
      expect(await broker.heartbeat('probe', 1_000)).toEqual(['probe']);
    } finally {
      // A failed expectation must not leave the worker retrying against a stopped broker.
      if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill('SIGKILL');
      await broker.close();
      await redis.stop();
    }
  }, 90_000);

  it('exits 1 after a bounded wait when the broker is gone', async ({ expect }) => {
    // A short lease: the bound, --lease + 2 s, is most of the test's time.
    const { redis, broker, worker } = await ownedWorker('StopGone', '500ms');
    await broker.close();
    await redis.stop();
    worker.process.kill('SIGTERM');
    const code = await Promise.race([worker.exited, until('the worker to exit', 30_000, async () => undefined)]).finally(() => {
      if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill('SIGKILL');
    });
    expect(code).toBe(1);
    expect(worker.stderr).toContain('SIGTERM: stopped without a final commit');
    expect(worker.stderr).not.toContain('Unhandled error event');
  }, 90_000);

  it('exits 1 after the bounded wait when the broker\'s port accepts and drops connections', async ({ expect }) => {
    const { redis, broker, worker } = await ownedWorker('StopDropped', '500ms');
    await broker.close();
    await redis.stop();
    // Whatever listens on the port next (here: a server that drops every connection) must not keep the worker alive.
    const dropper = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dropper.listen(Number(new URL(redis.url).port), '127.0.0.1', resolve));
    try {
      worker.process.kill('SIGTERM');
      const code = await Promise.race([worker.exited, until('the worker to exit', 30_000, async () => undefined)]).finally(() => {
        if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill('SIGKILL');
      });
      expect(code).toBe(1);
      expect(worker.stderr).toContain('SIGTERM: stopped without a final commit');
    } finally {
      dropper.close();
    }
  }, 90_000);

  it('exits 2 at once on a bad option, and when its metrics port is taken', async ({ expect }) => {
    const appFile = join(dir, 'BadOptions.siddhi');
    writeFileSync(appFile, APP('BadOptions'));
    const redis = await startRedis();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const base = ['worker', appFile, '--redis', redis.url, '--partitions', '2', '--quiet'];
      // In-process runs name a port nothing listens on: a check moved after the broker's connection would then
      // fail otherwise (not leave a connection open in this test worker).
      const offline = ['worker', appFile, '--redis', 'redis://127.0.0.1:1', '--partitions', '2', '--quiet'];
      // They run at once; each is checked on its own. Processes of the built CLI where exiting is the point: the
      // exit code of a usage error, and the taken port (refused with the broker connected). The other usage
      // errors come before anything is opened: the command in-process (a process start each, beside the other
      // tests' starting workers, was most of this file's CPU).
      const runs = ([
        [['--lease', 'soon'], "--lease 'soon' is not a positive duration", 'process'],
        [['--commit-interval', '0ms'], '--commit-interval', 'in-process'],
        [['--commit-events', '1.5'], '--commit-events takes a positive integer', 'in-process'],
        [['--metrics-port', 'x'], "--metrics-port takes a port number, got 'x'", 'in-process'],
        [['--metrics-port', String((taken.address() as { port: number }).port)], 'EADDRINUSE', 'process'],
      ] as const).map(async ([extra, message, how]) => ({ message, ...(await (how === 'process' ? runCli(cli, [...base, ...extra]) : invokeCli(...offline, ...extra))) }));
      for (const { message, code, stderr } of await Promise.all(runs)) {
        expect(stderr).toContain(message);
        expect(code).toBe(2);
      }
    } finally {
      taken.close();
      await redis.stop();
    }
  }, 90_000);
});
