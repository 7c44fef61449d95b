// A float attribute in the cluster's output: RedisBroker.output gives back the
// lines 'siddhi run' prints, with the float as Java's Float.toString reads
// (55.6), not the double it is held as (55.599998474121094). Real redis-server.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApp, planScaleOut } from '../../src/index.js';
import { RedisBroker, Router } from '../../src/cluster/index.js';
import { PartitionRunner } from '../../src/cluster/partition-runner.js';
import { startRedis, type RedisServer } from '../io/redis-server.js';
import { factoryOf, referenceOutput, toRouterLine } from './in-process.js';

const APP = (name: string): string => `@app:name('${name}')
define stream Trades (symbol string, price float, volume long);
@info(name='q') from Trades[volume > 10] select symbol, price, price * 2 as twice insert into Big;
`;

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => redis?.stop());

describe('cluster output of a float attribute', () => {
  it('is the line siddhi run prints: 55.6, not 55.599998474121094', async () => {
    const name = 'FloatOut';
    const lines = [
      '{"stream":"Trades","data":["WSO2",55.6,100],"time":1000}',
      '{"stream":"Trades","data":["IBM",469738.125,50],"time":1001}',
      '{"stream":"Trades","data":["IBM",1.5,5],"time":1002}',
    ].map(toRouterLine);
    const broker = await RedisBroker.connect(redis.url, name, 1);
    try {
      await new Router({ broker, plan: planScaleOut(parseApp(APP(name)), 1) }).routeAll(lines);
      const entries = (await broker.read(new Map([[0, '0-0']]), 10_000, 1)).get(0)!;
      const lease = (await broker.claim(0, 'w', 60_000))!;
      const { runner } = await PartitionRunner.open(lease, factoryOf(name, APP(name), 1, ['Big']), undefined, undefined);
      for (const entry of entries) runner.feed(entry, Infinity);
      expect(await runner.commit(broker, undefined)).not.toBe(false);
      runner.close();
      const expected = referenceOutput(APP(name), ['Big'], lines);
      expect(expected).toEqual([
        '{"stream":"Big","time":1000,"data":["WSO2",55.6,111.2],"expired":false}',
        '{"stream":"Big","time":1001,"data":["IBM",469738.12,939476.25],"expired":false}',
      ]);
      expect(await broker.output(0)).toEqual(expected);
    } finally {
      await broker.close();
    }
  });
});
