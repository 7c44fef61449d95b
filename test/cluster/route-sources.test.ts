// `siddhi route` without --input reads the app's own @source (here a file
// source) on a real redis-server: every delivered event reaches the partition
// its key hashes to, in order; a router started again resumes after what it
// routed (the file offset travels with each send); the workers' app text has
// the sources blanked out; a @sink is refused.

import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseApp } from '../../src/index.js';
import { RedisBroker, sourceApp, withoutSources } from '../../src/cluster/index.js';
import { decodeBatch, partitionOf } from '../../src/cluster/batch.js';
import { runCli } from '../../src/cli/cli.js';
import { startRedis, type RedisServer } from '../io/redis-server.js';
import { until } from './cluster-processes.js';

const P = 4;
let redis: RedisServer;
const dir = mkdtempSync(join(tmpdir(), 'siddhi-route-sources-'));
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const app = (name: string, file: string): string => `@app:name('${name}')
@source(type='file', file.uri='${file}', tailing='false',
  @map(type='json'))  -- the router reads this; the workers never do
define stream Trades (symbol string, price double, volume long);
define stream Other (n int);

partition with (symbol of Trades) begin
  from Trades#window.length(3) select symbol, sum(volume) as total insert into Moving;
end;
from Other select n insert into Copied;
`;

const trade = (i: number): [string, number, number] => [`K${(i * 7) % 11}`, i / 4, i];
const lineOf = ([symbol, price, volume]: [string, number, number]): string => JSON.stringify({ event: { symbol, price, volume } });

/** Runs `siddhi route` until `done` says so; returns its exit code and standard error. */
async function route(appFile: string, done: () => Promise<boolean>): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await runCli(['route', appFile, '--redis', redis.url, '--partitions', String(P), '--flush-ms', '20'], {
    stdout: { write: () => true },
    stderr: { write: (t: string) => (stderr += t) },
    waitForStop: async () => {
      await until('the routed events', 30_000, async () => ((await done()) ? true : undefined));
      return 'stop';
    },
  });
  return { code, stderr };
}

/** Per partition, the (stream, data) of every routed event in log order. */
async function logs(broker: RedisBroker): Promise<unknown[][]> {
  const read = await broker.read(new Map(Array.from({ length: P }, (_, p) => [p, '0-0'])), 100_000, 1);
  return Array.from({ length: P }, (_, p) => (read.get(p) ?? []).flatMap((e) => decodeBatch(e.body).events.map(([s, , d]) => [s, d])));
}

describe('siddhi route with the app\'s sources', () => {
  it('routes what the file source reads by key, and a restarted router resumes after it', async () => {
    const events = join(dir, 'trades.jsonl');
    const first = Array.from({ length: 300 }, (_, i) => trade(i));
    writeFileSync(events, `${first.map(lineOf).join('\n')}\n`);
    const appFile = join(dir, 'sourced.siddhi');
    writeFileSync(appFile, app('Sourced', events));
    const broker = await RedisBroker.connect(redis.url, 'Sourced', P);
    const routed = async () => (await broker.routed()).perPartition.reduce((a, b) => a + b, 0);
    const expected = (rows: [string, number, number][]) => Array.from({ length: P }, (_, p) => rows.filter((r) => partitionOf(r[0], P) === p).map((r) => ['Trades', r]));

    const r1 = await route(appFile, async () => (await routed()) === 300);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stderr).toContain(`file source of Trades at ${events} to ${P} partitions of app 'Sourced'`);
    expect(await logs(broker)).toEqual(expected(first));

    // Started again: the stored file offset says everything was routed; its ticks reach the logs, no event does.
    const entries = async () => (await broker.inputEnds()).join();
    const before = await entries();
    const r2 = await route(appFile, async () => (await entries()) !== before);
    expect(r2.code, r2.stderr).toBe(0);
    expect(await routed()).toBe(300);

    // Lines appended since: only they are routed.
    const more = Array.from({ length: 120 }, (_, i) => trade(300 + i));
    appendFileSync(events, `${more.map(lineOf).join('\n')}\n`);
    const r3 = await route(appFile, async () => (await routed()) === 420);
    expect(r3.code, r3.stderr).toBe(0);
    expect(await logs(broker)).toEqual(expected([...first, ...more]));
    expect((await broker.routed()).total).toBe(420);

    // A worker runs the app without its source: one 'Moving' line per trade, each key's last three volumes summed.
    let stderr = '';
    const code = await runCli(['worker', appFile, '--redis', redis.url, '--partitions', String(P), '--id', 'w', '--commit-interval', '50ms'], {
      stdout: { write: () => true },
      stderr: { write: (t: string) => (stderr += t) },
      waitForStop: async () => {
        await until('the worker at the ends', 30_000, async () => {
          const [ends, records] = await Promise.all([broker.inputEnds(), broker.records()]);
          return records.every((r, p) => r !== undefined && (JSON.parse(r) as { offset: string }).offset === ends[p]) ? true : undefined;
        });
        return 'stop';
      },
    });
    expect(code, stderr).toBe(0);
    const output = (await Promise.all(Array.from({ length: P }, (_, p) => broker.output(p)))).flat().map((l) => JSON.parse(l) as { stream: string; data: unknown[] });
    const last = new Map<string, number[]>();
    const sums = [...first, ...more].map(([k, , v]) => {
      const vs = [...(last.get(k) ?? []), v].slice(-3);
      last.set(k, vs);
      return JSON.stringify([k, vs.reduce((a, b) => a + b, 0)]);
    });
    expect(output.every((o) => o.stream === 'Moving')).toBe(true);
    expect(output.map((o) => JSON.stringify(o.data)).sort()).toEqual(sums.sort());
    await broker.close();
  }, 120_000);

  it('gives the router the sourced streams alone and the workers the app without its sources', () => {
    const text = app('Cut', '/tmp/x.jsonl');
    const parsed = parseApp(text);
    const blank = withoutSources(text, parsed);
    expect(blank.length).toBe(text.length);
    expect(blank.split('\n').length).toBe(text.split('\n').length);
    expect(blank).not.toContain('@source');
    expect(blank).toContain('-- the router reads this');
    const worker = parseApp(blank);
    expect(worker.elements.map((e) => e.kind)).toEqual(parsed.elements.map((e) => e.kind));
    expect(worker.elements.flatMap((e) => (e.kind === 'stream' ? e.annotations : []))).toEqual([]);
    const router = parseApp(sourceApp(text, parsed));
    expect(router.annotations.map((a) => a.name)).toEqual(['name']);
    expect(router.elements.map((e) => (e.kind === 'stream' ? `${e.name}:${e.annotations.map((a) => a.name).join()}` : e.kind))).toEqual(['Trades:source']);
    expect(sourceApp('define stream S (a int);', parseApp('define stream S (a int);'))).toBe('');
  });

  it('refuses a @sink and a source on a stream queries insert into', async () => {
    const sink = join(dir, 'sink.siddhi');
    writeFileSync(sink, `@app:name('Sunk') define stream S (k string);
      @sink(type='log') define stream Out (k string);
      partition with (k of S) begin from S#window.length(2) select k insert into Out; end;`);
    const fed = join(dir, 'fed.siddhi');
    writeFileSync(fed, `@app:name('Fed') define stream S (k string);
      @source(type='http', receiver.url='http://127.0.0.1:0/x') define stream Mid (k string);
      from S select k insert into Mid;`);
    const io = () => {
      const out = { stderr: '' };
      return { out, io: { stdout: { write: () => true }, stderr: { write: (t: string) => (out.stderr += t) } } };
    };
    const a = io();
    expect(await runCli(['route', sink, '--redis', redis.url, '--partitions', '2'], a.io)).toBe(2);
    expect(a.out.stderr).toContain("stream 'Out' has a @sink");
    const b = io();
    expect(await runCli(['worker', fed, '--redis', redis.url, '--partitions', '2'], b.io)).toBe(2);
    expect(b.out.stderr).toContain("stream 'Mid' has a @source but queries insert into it too");
  });
});
