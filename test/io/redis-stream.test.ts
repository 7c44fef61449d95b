// A real redis-server (started here, stopped by PID); no mocks.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiddhiManager, type SiddhiAppRuntime } from '../../src/index.js';
import { startRedis, type RedisServer } from './redis-server.js';

let redis: RedisServer;
let client: Redis;
beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
}, 30_000);
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

function app(key: string, outKey: string): string {
  return `
    @source(type='redis-stream', url='${redis.url}', stream.key='${key}', group='g', group.start='0', block.ms='50')
    define stream S (symbol string, price double);
    @sink(type='redis-stream', url='${redis.url}', stream.key='${outKey}')
    define stream Out (symbol string, total double);
    from S select symbol, sum(price) as total insert into Out;`;
}

/** Starts the runtime; resolves with Out's rows once `n` arrived. */
async function until(runtime: SiddhiAppRuntime, n: number): Promise<unknown[][]> {
  const out: unknown[][] = [];
  const done = new Promise<void>((resolve) => runtime.addCallback('Out', (es) => {
    out.push(...es.map((e) => [...e.data]));
    if (out.length >= n) resolve();
  }));
  runtime.start();
  await runtime.ready();
  await done;
  return out;
}

const add = (key: string, symbol: string, price: number) => client.xadd(key, '*', 'payload', JSON.stringify({ event: { symbol, price } }));

describe('redis-stream source and sink', () => {
  it('reads through a consumer group, acknowledges after processing, and appends to the output stream', async () => {
    await add('in1', 'A', 1);
    await add('in1', 'B', 2);
    const runtime = new SiddhiManager().createSiddhiAppRuntime(app('in1', 'out1'));
    const out = await until(runtime, 2);
    expect(out).toEqual([['A', 1], ['B', 3]]);
    // The acknowledgement follows the processing of the batch.
    const pendingCount = async () => ((await client.xpending('in1', 'g')) as [number])[0];
    for (let i = 0; i < 200 && (await pendingCount()) > 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(await pendingCount()).toBe(0);
    while ((await client.xlen('out1')) < 2) await new Promise((r) => setTimeout(r, 5));
    const entries = await client.xrange('out1', '-', '+');
    expect(entries.map(([, f]) => JSON.parse(f[1]!).event)).toEqual([{ symbol: 'A', total: 1 }, { symbol: 'B', total: 3 }]);
    runtime.shutdown();
  });

  it('a restored app reads again the entries after its checkpoint (exactly once with the checkpoint)', async () => {
    const manager = new SiddhiManager();
    await add('in2', 'A', 1);
    await add('in2', 'B', 2);
    const first = manager.createSiddhiAppRuntime(app('in2', 'out2'));
    await until(first, 2);
    const checkpoint = first.snapshot();
    const more: unknown[][] = [];
    const third = new Promise<void>((r) => first.addCallback('Out', (es) => { more.push(...es.map((e) => [...e.data])); r(); }));
    await add('in2', 'C', 4);
    await third;
    expect(more).toEqual([['C', 7]]);
    first.shutdown(); // C was processed and acknowledged, but after the checkpoint

    await add('in2', 'D', 8);
    const second = manager.createSiddhiAppRuntime(app('in2', 'out2'));
    second.restore(checkpoint);
    expect(await until(second, 2)).toEqual([['C', 7], ['D', 15]]);
    second.shutdown();
  });
});
