// The pieces of scale-out against a real redis-server: the fair-share rule,
// the router's batches (keys, the clock before an event, watermarks), the
// broker's leases and fenced commits, and `siddhi checkpoints list --redis`.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApp, planScaleOut } from '../../src/index.js';
import { RedisBroker, Router, type Lease, type RouterLine } from '../../src/cluster/index.js';
import { decodeBatch, partitionOf } from '../../src/cluster/batch.js';
import { decideShare } from '../../src/cluster/fair-share.js';
import { OutputRows } from '../../src/cluster/output-rows.js';
import { startRedis, type RedisServer } from '../io/redis-server.js';
import { invokeCli } from '../cli/run-cli.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => redis?.stop());

const lease = (partition: number, owner: string): Lease => ({ partition, owner, epoch: 1 });

describe('decideShare', () => {
  it('claims free partitions up to the fair share, its former ones first', () => {
    const d = decideShare({ me: 'b', live: ['a', 'b'], owners: [lease(0, 'a'), undefined, undefined, undefined, lease(4, 'a')], preferred: new Set([3]) });
    expect(d.target).toBe(2);
    expect(d.claim).toEqual([3, 1]);
    expect(d.handOff).toBe(false);
  });

  it('hands over only when another live worker starves and nothing is free', () => {
    const all = [lease(0, 'a'), lease(1, 'a'), lease(2, 'a'), lease(3, 'b')];
    expect(decideShare({ me: 'a', live: ['a', 'b', 'c'], owners: all, preferred: new Set() })).toEqual({ target: 2, claim: [], handOff: true });
    expect(decideShare({ me: 'a', live: ['a', 'b', 'c'], owners: [...all.slice(0, 3), undefined], preferred: new Set() }).handOff).toBe(false);
    const even = [lease(0, 'a'), lease(1, 'a'), lease(2, 'b'), lease(3, 'b')];
    expect(decideShare({ me: 'a', live: ['a', 'b'], owners: even, preferred: new Set() }).handOff).toBe(false);
  });
});

describe('Router', () => {
  it('sends each key to one partition with the clock it missed, and a watermark to every partition', async () => {
    const app = parseApp(`@app:name('RouterTest') define stream S (k string, v int);
      partition with (k of S) begin from S#window.length(2) select k, sum(v) as t insert into Out; end;`);
    const broker = await RedisBroker.connect(redis.url, 'RouterTest', 4);
    const lines: RouterLine[] = [
      { kind: 'event', stream: 'S', data: ['a', 1], time: 100, origin: 'l1' },
      { kind: 'event', stream: 'S', data: ['b', 2], time: 200, origin: 'l2' },
      { kind: 'time', time: 900, origin: 'l3' },
      { kind: 'event', stream: 'S', data: ['a', 3], time: 300, origin: 'l4' },
      { kind: 'event', stream: 'T', data: [], time: 950, origin: 'l5' },
    ];
    const rejected: string[] = [];
    const result = await new Router({ broker, plan: planScaleOut(app, 4), onRejected: (o, m) => rejected.push(`${o}: ${m}`) }).routeAll(lines);
    expect(result.events).toBe(3);
    expect(rejected).toEqual(["l5: no input stream 'T'; input streams: S"]);
    const pa = partitionOf('a', 4);
    const read = await broker.read(new Map([0, 1, 2, 3].map((p) => [p, '0-0'])), 10, 1);
    expect([...read.keys()].sort()).toEqual([0, 1, 2, 3]);
    const batch = decodeBatch(read.get(pa)![0]!.body);
    const bEvent: unknown[] = pa === partitionOf('b', 4) ? [['S', 200, ['b', 2], 100]] : [];
    // The second 'a' comes after the clock moved to 900 in the single-process run: it carries that clock.
    expect(batch.events).toEqual([['S', 100, ['a', 1]], ...bEvent, ['S', 300, ['a', 3], 900]]);
    expect(batch.watermark).toBe(900);
    for (const p of [0, 1, 2, 3]) expect(decodeBatch(read.get(p)![0]!.body).watermark).toBe(900);
    expect((await broker.routed()).total).toBe(3);
    await broker.close();
  });
});

describe('Router resume', () => {
  const app = parseApp(`@app:name('ResumeTest') define stream S (k string, v int);
    partition with (k of S) begin from S#window.length(2) select k, sum(v) as t insert into Out; end;`);
  const input: RouterLine[] = Array.from({ length: 400 }, (_, i): RouterLine =>
    i % 50 === 49 ? { kind: 'time', time: 10 * i + 5, origin: `l${i}` } : { kind: 'event', stream: 'S', data: [`k${i % 7}`, i], time: 10 * i, origin: `l${i}` });
  /** Per partition, the events of its input log in order (stream, time, data), and its last watermark. */
  const logs = async (broker: RedisBroker) => {
    const read = await broker.read(new Map([0, 1, 2].map((p) => [p, '0-0'])), 10_000, 1);
    return [0, 1, 2].map((p) => {
      const batches = (read.get(p) ?? []).map((e) => decodeBatch(e.body));
      return { events: batches.flatMap((b) => b.events.map(([s, t, d]) => [s, t, d])), watermark: batches.at(-1)?.watermark };
    });
  };

  it('started again on the same input, goes on from its stored position: nothing lost, nothing duplicated', async () => {
    const whole = await RedisBroker.connect(redis.url, 'ResumeWhole', 3);
    await new Router({ broker: whole, plan: planScaleOut(app, 3), batchSize: 10 }).routeAll(input);
    const broker = await RedisBroker.connect(redis.url, 'ResumeTest', 3);
    const options = { broker, plan: planScaleOut(app, 3), batchSize: 10, input: 'events.jsonl' };
    // A router that dies after 250 lines (sends made before then are stored, the rest is not).
    function* dying(): Generator<RouterLine> {
      for (const [i, line] of input.entries()) {
        if (i === 250) throw new Error('killed');
        yield line;
      }
    }
    await expect(new Router(options).routeAll(dying())).rejects.toThrow('killed');
    const stored = JSON.parse((await broker.position('events.jsonl'))!) as { lines: number };
    expect(stored.lines).toBeGreaterThan(0);
    expect(stored.lines).toBeLessThan(250);
    const result = await new Router(options).routeAll(input);
    expect(result.events).toBe(input.filter((l) => l.kind === 'event').length);
    expect(await logs(broker)).toEqual(await logs(whole));
    // Once more: everything was routed, so nothing new reaches the logs.
    await new Router(options).routeAll(input);
    expect((await logs(broker)).map((l) => l.events.length)).toEqual((await logs(whole)).map((l) => l.events.length));
    await Promise.all([broker.close(), whole.close()]);
  });
});

describe('RedisBroker', () => {
  it('fences a commit whose lease expired and was claimed again', async () => {
    const broker = await RedisBroker.connect(redis.url, 'FenceTest', 1);
    const first = (await broker.claim(0, 'w1', 60_000))!;
    expect(await broker.claim(0, 'w2', 60_000)).toBeUndefined();
    const commit = (l: Lease, word: string, n: number) => {
      const rows = new OutputRows(['S'], () => undefined);
      rows.add(0, 1, [word], false);
      return broker.commit({ lease: l, commit: n, output: rows.encode(rows.take()), outputLines: 1, record: JSON.stringify({ by: l.owner }), trimBelow: undefined });
    };
    expect(await commit(first, 'one', 1)).toBe(true);
    await broker.release(first);
    const second = (await broker.claim(0, 'w2', 60_000))!;
    expect(second.epoch).toBe(first.epoch + 1);
    expect(await commit(first, 'stale', 2)).toBe(false);
    expect(await broker.renew(first, 1000)).toBe(false);
    expect(await commit(second, 'two', 2)).toBe(true);
    expect(await broker.output(0)).toEqual(['one', 'two'].map((w) => `{"stream":"S","time":1,"data":["${w}"],"expired":false}`));
    expect(await broker.records()).toEqual([JSON.stringify({ by: 'w2' })]);
    await broker.close();
  });

  it('lists the committed records with `siddhi checkpoints list --redis`', async () => {
    const broker = await RedisBroker.connect(redis.url, 'ListTest', 2);
    await broker.meta({ partitions: 2, fingerprint: 'f' });
    const l = (await broker.claim(1, 'w9', 60_000))!;
    const record = { app: 'ListTest', fingerprint: 'f', partition: 1, epoch: l.epoch, owner: 'w9', offset: '5-0', events: 7, watermark: 1234, outputLines: 3, committedAt: 0, bytes: 10, checkpoint: { inline: 'AA==' } };
    expect(await broker.commit({ lease: l, commit: 1, output: new Uint8Array(0), outputLines: 0, record: JSON.stringify(record), trimBelow: undefined })).toBe(true);
    await broker.close();
    const r = await invokeCli('checkpoints', 'list', '--redis', redis.url, '--app', 'ListTest');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/app 'ListTest' on .*: 2 partitions/);
    expect(r.stdout).toMatch(/\n {2}1 +w9:1 +w9 +1 +5-0 +7 +-7 +1234 +3 +10 B inline/);
    const missing = await invokeCli('checkpoints', 'list', '--redis', redis.url, '--app', 'Nope');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no scaled-out app 'Nope'");
  });
});
