// A commit is applied once (exactly-once output): redis may run a commit's
// script and the reply be lost on the way back. ioredis then resends the
// command after reconnecting, and a runner whose commit call failed sends it
// again; the script acknowledges a commit number it already applied without
// writing its rows again. Real redis-server, behind a TCP proxy that can drop
// a reply.

import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { parseApp, planScaleOut } from '../../src/index.js';
import { RedisBroker, Router, type Broker } from '../../src/cluster/index.js';
import { OutputRows } from '../../src/cluster/output-rows.js';
import { PartitionRunner } from '../../src/cluster/partition-runner.js';
import { startRedis, type RedisServer } from '../io/redis-server.js';
import { APP, generateLines } from './cluster-processes.js';
import { factoryOf, referenceOutput, toRouterLine } from './in-process.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => redis?.stop());

/** A proxy to redis that, once armed, closes both sockets instead of forwarding redis's next reply starting with `prefix`. */
async function replyDropper(): Promise<{ url: string; dropNext(prefix: string): void; dropped(): number; close(): void }> {
  let drop: string | undefined;
  let dropped = 0;
  const sockets: Socket[] = [];
  const proxy: Server = createServer((client) => {
    const server = connect(redis.port, '127.0.0.1');
    sockets.push(client, server);
    client.on('data', (d) => server.write(d));
    server.on('data', (d) => {
      if (drop !== undefined && d.toString().startsWith(drop)) {
        drop = undefined;
        dropped++;
        client.destroy();
        server.destroy();
        return;
      }
      client.write(d);
    });
    client.on('error', () => undefined);
    server.on('error', () => undefined);
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `redis://127.0.0.1:${(proxy.address() as { port: number }).port}`,
    dropNext: (prefix) => (drop = prefix),
    dropped: () => dropped,
    close: () => {
      for (const s of sockets) s.destroy();
      proxy.close();
    },
  };
}

const ROWS = ((rows) => {
  rows.add(0, 1, [1], false);
  return Buffer.from(rows.encode(rows.take()));
})(new OutputRows(['Out'], () => undefined));

describe('RedisBroker.commit', () => {
  it('applies a commit once when its reply is lost and ioredis resends it', async () => {
    const proxy = await replyDropper();
    const broker = await RedisBroker.connect(proxy.url, 'Dup', 1);
    const direct = new Redis(redis.url);
    try {
      const lease = (await broker.claim(0, 'w1', 30_000))!;
      // Loads the script (EVALSHA, NOSCRIPT, EVAL), so the reply dropped is the commit's own.
      expect(await broker.commit({ lease, commit: 1, output: new Uint8Array(0), outputLines: 0, record: '{}', trimBelow: undefined })).toBe(true);
      proxy.dropNext(':1');
      expect(await broker.commit({ lease, commit: 2, output: ROWS, outputLines: 1, record: '{"offset":"1-0"}', trimBelow: undefined })).toBe(true);
      expect(proxy.dropped()).toBe(1);
      expect(await direct.xlen('out:{Dup}:0')).toBe(1);
      expect(await broker.output(0)).toEqual(['{"stream":"Out","time":1,"data":[1],"expired":false}']);
    } finally {
      direct.disconnect();
      await broker.close();
      proxy.close();
    }
  });

  it('acknowledges the last number again only under its lease, and refuses any other', async () => {
    const broker = await RedisBroker.connect(redis.url, 'Order', 1);
    try {
      const first = (await broker.claim(0, 'w1', 60_000))!;
      const commit = (lease: typeof first, n: number) => broker.commit({ lease, commit: n, output: ROWS, outputLines: 1, record: `{"n":${n}}`, trimBelow: undefined });
      expect(await commit(first, 1)).toBe(true);
      expect(await commit(first, 1)).toBe(true);
      await expect(commit(first, 3)).rejects.toThrow(/commit 3 under lease w1:1 is out of order: the last applied is 1/);
      await expect(commit(first, 0)).rejects.toThrow(/out of order/);
      await broker.release(first);
      const second = (await broker.claim(0, 'w2', 60_000))!;
      expect(await commit(first, 2)).toBe(false);
      // Number 1 was applied under the first lease, not resent under this one.
      await expect(commit(second, 1)).rejects.toThrow(/out of order/);
      expect(await commit(second, 2)).toBe(true);
      expect(await broker.output(0)).toHaveLength(2);
      expect(await broker.records()).toEqual(['{"n":2}']);
    } finally {
      await broker.close();
    }
  });
});

describe('PartitionRunner.commit', () => {
  it('sends a commit whose call failed again unchanged, so rows applied with it are not committed twice', async () => {
    const name = 'PutBack';
    const STREAMS = ['Moving', 'PerSecond', 'Rises', 'Big'];
    const lines = generateLines(2_000, 7).map(toRouterLine);
    const broker = await RedisBroker.connect(redis.url, name, 1);
    try {
      await new Router({ broker, plan: planScaleOut(parseApp(APP(name)), 1) }).routeAll(lines);
      const entries = (await broker.read(new Map([[0, '0-0']]), 10_000, 1)).get(0)!;
      expect(entries.length).toBeGreaterThanOrEqual(4);
      const lease = (await broker.claim(0, 'w', 60_000))!;
      // The broker applies the second commit, then the call fails as if the connection closed before its reply.
      let calls = 0;
      const losing: Broker = Object.assign(Object.create(broker) as Broker, {
        commit: async (request: Parameters<Broker['commit']>[0]) => {
          const done = await broker.commit(request);
          if (++calls === 2) throw new Error('Connection is closed.');
          return done;
        },
      });
      const { runner } = await PartitionRunner.open(lease, factoryOf(name, APP(name), 1, STREAMS), undefined, undefined);
      const half = Math.floor(entries.length / 2);
      entries.slice(0, 1).forEach((e) => runner.feed(e, Infinity));
      expect(await runner.commit(losing, undefined)).not.toBe(false);
      entries.slice(1, half).forEach((e) => runner.feed(e, Infinity));
      await expect(runner.commit(losing, undefined)).rejects.toThrow('Connection is closed.');
      entries.slice(half).forEach((e) => runner.feed(e, Infinity));
      expect(await runner.commit(losing, undefined)).not.toBe(false);
      runner.close();
      const expected = referenceOutput(APP(name), STREAMS, lines);
      expect(await broker.output(0)).toEqual(expected);
      expect(runner.committedNumber).toBe(3);
      // A runner restored from the record goes on with the next number.
      await broker.release(lease);
      const again = (await broker.claim(0, 'w', 60_000))!;
      const { runner: next } = await PartitionRunner.open(again, factoryOf(name, APP(name), 1, STREAMS), JSON.parse((await broker.records())[0]!), undefined);
      expect(next.committedNumber).toBe(3);
      expect(await next.commit(broker, undefined)).not.toBe(false);
      next.close();
      expect(await broker.output(0)).toEqual(expected);
    } finally {
      await broker.close();
    }
  });
});

describe('RedisBroker.append', () => {
  it('fails rather than append a send again whose replies were lost: its batches and position are stored once', async () => {
    const proxy = await replyDropper();
    const broker = await RedisBroker.connect(proxy.url, 'DupIn', 1);
    const direct = new Redis(redis.url);
    try {
      await broker.append({ batches: [{ partition: 0, bodies: ['a'], events: 1 }] });
      // MULTI's +OK leads the replies of the whole transaction: none reaches the broker.
      proxy.dropNext('+OK');
      await expect(broker.append({ batches: [{ partition: 0, bodies: ['b'], events: 2 }], position: { input: 'in', state: '{"lines":3}' } }))
        .rejects.toThrow('Command aborted due to connection close');
      expect(proxy.dropped()).toBe(1);
      expect((await direct.xrange('in:{DupIn}:0', '-', '+')).map(([, fields]) => fields[1])).toEqual(['a', 'b']);
      expect(await direct.hget('routed:{DupIn}', '0')).toBe('3');
      // A router started again on the input resumes after the send.
      expect(await broker.position('in')).toBe('{"lines":3}');
      await broker.append({ batches: [{ partition: 0, bodies: ['c'], events: 1 }] });
      expect(await direct.xlen('in:{DupIn}:0')).toBe(3);
    } finally {
      direct.disconnect();
      await broker.close();
      proxy.close();
    }
  });
});
