// Scale-out on Redis Streams (issue 17): how long one fenced commit takes (the
// snapshot and the Lua call apart), how fast the router appends, events/s
// through the broker with 1, 2 and 4 worker processes, and how long a failover
// takes after kill -9 — on a redis-server started here on a free port.
// Usage: npx tsx bench/cluster.ts [--quick]

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SiddhiManager, parseApp, planScaleOut } from '../src/index.js';
import { RedisBroker, Router, parseRecord, type RouterLine } from '../src/cluster/index.js';
import { PartitionRunner } from '../src/cluster/partition-runner.js';
import { startRedis } from '../test/io/redis-server.js';
import { builtCli } from '../test/cli/built-cli.js';
import { APP, generateLines, startCli, until, type Child } from '../test/cluster/cluster-processes.js';
import { isQuick, writeResults } from './lib/machine.js';
import { percentile } from './lib/stats.js';
import { formatRate, printTable } from './lib/table.js';

const quick = isQuick();
const EVENTS = quick ? 40_000 : 200_000;
const P = 8;
const LEASE_MS = 3_000;
const redis = await startRedis();
const cli = builtCli();
const dir = mkdtempSync(join(tmpdir(), 'siddhi-cluster-bench-'));

const toLine = (text: string): RouterLine => {
  const v = JSON.parse(text) as { stream?: string; data?: unknown[]; time: number };
  return v.stream === undefined ? { kind: 'time', time: v.time, origin: '' } : { kind: 'event', stream: v.stream, data: v.data!, time: v.time, origin: '' };
};
const lines = generateLines(EVENTS, 42).map(toLine);

/** Commit latency of one partition: 50 events between commits, after a warm state of 2500 events over the keys it holds. */
async function commitLatency(): Promise<{ total: number[]; snapshot: number[]; lua: number[]; bytes: number; lines: number }> {
  const broker = await RedisBroker.connect(redis.url, 'BenchCommit', 1);
  const manager = new SiddhiManager();
  const text = APP('BenchCommit');
  const lease = (await broker.claim(0, 'bench', 600_000))!;
  const { runner } = await PartitionRunner.open(lease, {
    app: 'BenchCommit', fingerprint: 'f',
    create: (write) => {
      const rt = manager.createSiddhiAppRuntime(text, { playback: true });
      for (const s of ['Moving', 'PerSecond', 'Rises', 'Big']) rt.addCallback(s, (es) => es.forEach((e) => write(`${JSON.stringify({ stream: s, time: e.timestamp, data: e.data })}\n`)));
      rt.start();
      return rt;
    },
    reject: () => undefined,
  }, undefined, undefined);
  const events = lines.filter((l) => l.kind === 'event' && (l.data[0] as string) < 'K2');
  const entry = (from: number, n: number, id: number) => ({ id: `${id}-0`, body: JSON.stringify({ e: events.slice(from, from + n).map((l) => [l.kind === 'event' ? l.stream : '', l.time, l.kind === 'event' ? l.data : []]) }) });
  runner.process(entry(0, 2500, 1));
  await runner.commit(broker, undefined);
  const total: number[] = [];
  const snapshot: number[] = [];
  let bytes = 0;
  let outLines = 0;
  for (let i = 0; i < (quick ? 100 : 400); i++) {
    runner.process(entry(2500 + i * 50, 50, i + 2));
    const t0 = performance.now();
    const done = await runner.commit(broker, undefined);
    if (done === false) throw new Error('fenced');
    total.push(performance.now() - t0);
    bytes = done.bytes;
    outLines += done.lines;
  }
  // The snapshot alone, on the same state.
  for (let i = 0; i < total.length; i++) {
    const t0 = performance.now();
    (runner as unknown as { runtime: { snapshot(): Uint8Array } }).runtime.snapshot();
    snapshot.push(performance.now() - t0);
  }
  // The Lua call alone: 1000 output lines and a 5 KB record, as in the prototype.
  const lua: number[] = [];
  const output = `${'{"stream":"Moving","time":1000,"data":["K1",1234,56.7],"expired":false}\n'.repeat(1000)}`;
  const record = 'x'.repeat(5 * 1024);
  for (let i = 0; i < total.length; i++) {
    const t0 = performance.now();
    await broker.commit({ lease, output, outputLines: 1000, record, trimBelow: undefined });
    lua.push(performance.now() - t0);
  }
  runner.close();
  await broker.close();
  return { total, snapshot, lua, bytes, lines: outLines / total.length };
}

async function routerRate(): Promise<number> {
  const broker = await RedisBroker.connect(redis.url, 'BenchRoute', P);
  const t0 = performance.now();
  await new Router({ broker, plan: planScaleOut(parseApp(APP('BenchRoute')), P) }).routeAll(lines);
  const rate = EVENTS / ((performance.now() - t0) / 1000);
  await broker.close();
  return rate;
}

/** The same app and events in one process (what 'siddhi run' does, output lines included): the ceiling of one worker. */
function singleProcessRate(): number {
  const rt = new SiddhiManager().createSiddhiAppRuntime(APP('BenchSingle'), { playback: true });
  let out = 0;
  for (const s of ['Moving', 'PerSecond', 'Rises', 'Big']) rt.addCallback(s, (es) => es.forEach((e) => (out += JSON.stringify({ stream: s, time: e.timestamp, data: e.data }).length)));
  rt.start();
  const t0 = performance.now();
  for (const l of lines) {
    if (l.kind === 'time') rt.advanceTime(l.time);
    else rt.getInputHandler(l.stream).send(l.data, l.time);
  }
  const rate = EVENTS / ((performance.now() - t0) / 1000);
  rt.shutdown();
  return rate;
}

/** Starts `n` workers, waits for a fair split, then routes everything: events/s from the first append to the last commit. */
async function workerRate(n: number): Promise<{ rate: number; wallMs: number }> {
  const name = `BenchWorkers${n}`;
  const appFile = join(dir, `${name}.siddhi`);
  writeFileSync(appFile, APP(name));
  const broker = await RedisBroker.connect(redis.url, name, P);
  const workers: Child[] = Array.from({ length: n }, (_, i) => startCli(cli, ['worker', appFile, '--redis', redis.url, '--partitions', String(P), '--id', `b${i}`, '--quiet']));
  await until('a fair split', 120_000, async () => {
    const owners = (await broker.owners()).map((l) => l?.owner);
    const counts = Array.from({ length: n }, (_, i) => owners.filter((o) => o === `b${i}`).length);
    return owners.every((o) => o !== undefined) && Math.max(...counts) - Math.min(...counts) <= 1 ? true : undefined;
  });
  const t0 = Date.now();
  await new Router({ broker, plan: planScaleOut(parseApp(APP(name)), P) }).routeAll(lines);
  const ends = await broker.inputEnds();
  const records = await until('the workers to finish', 600_000, async () => {
    const rs = (await broker.records()).map((r) => (r === undefined ? undefined : parseRecord(r)));
    return rs.every((r, p) => r !== undefined && r.offset === ends[p]) ? rs.map((r) => r!) : undefined;
  });
  for (const w of workers) w.process.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  await broker.close();
  const last = Math.max(...records.map((r) => r.committedAt));
  return { rate: EVENTS / ((last - t0) / 1000), wallMs: last - t0 };
}

async function failover(rep: number): Promise<number> {
  const name = `BenchFailover${rep}`;
  const appFile = join(dir, `${name}.siddhi`);
  writeFileSync(appFile, APP(name));
  const broker = await RedisBroker.connect(redis.url, name, P);
  const workers = ['a', 'b'].map((id) => startCli(cli, ['worker', appFile, '--redis', redis.url, '--partitions', String(P), '--id', id, '--quiet', '--lease', `${LEASE_MS}ms`]));
  const owners = async () => (await broker.owners()).map((l) => l?.owner);
  await until('an even split', 60_000, async () => {
    const o = await owners();
    return o.filter((x) => x === 'a').length === P / 2 && o.filter((x) => x === 'b').length === P / 2 ? true : undefined;
  });
  const t0 = performance.now();
  workers[0]!.process.kill('SIGKILL');
  await until('the failover', 60_000, async () => ((await owners()).every((x) => x === 'b') ? true : undefined));
  const ms = performance.now() - t0;
  workers[1]!.process.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  await broker.close();
  return ms;
}

try {
  const commit = await commitLatency();
  const single = singleProcessRate();
  const route = await routerRate();
  const scaling: { workers: number; rate: number; perWorker: number; wallMs: number }[] = [];
  for (const n of [1, 2, 4]) {
    const r = await workerRate(n);
    scaling.push({ workers: n, rate: r.rate, perWorker: r.rate / n, wallMs: r.wallMs });
  }
  const failovers: number[] = [];
  for (let rep = 0; rep < (quick ? 2 : 3); rep++) failovers.push(await failover(rep));

  const p = (xs: number[], q: number) => percentile([...xs].sort((a, b) => a - b), q * 100);
  printTable(`Fenced commit of one partition (${commit.lines.toFixed(0)} output lines and a ${(commit.bytes / 1024).toFixed(1)} KB checkpoint per commit)`,
    ['part', 'p50 ms', 'p99 ms', 'target'], [
      ['snapshot + Lua call (the commit)', p(commit.total, 0.5), p(commit.total, 0.99), 'p50 ≤ 3 ms, p99 ≤ 20 ms'],
      ['runtime.snapshot() alone', p(commit.snapshot, 0.5), p(commit.snapshot, 0.99), ''],
      ['Lua call, 1000 lines + 5 KB record', p(commit.lua, 0.5), p(commit.lua, 0.99), 'prototype: p50 1.2–2.7, p99 ~10'],
    ]);
  printTable(`Through the broker: ${EVENTS.toLocaleString('en-US')} events, ${P} partitions, ${cpus().length} cores`, ['stage', 'events/s', 'per worker', 'wall s', 'note'], [
    ['one process, no broker (siddhi run)', formatRate(single), '', '', 'the ceiling of one worker'],
    ['router (in-process, batched XADD)', formatRate(route), '', '', ''],
    ...scaling.map((s) => [`${s.workers} worker process${s.workers > 1 ? 'es' : ''}`, formatRate(s.rate), formatRate(s.perWorker), (s.wallMs / 1000).toFixed(1),
      s.workers === 1 ? `${(s.rate / single).toFixed(2)}× one process; target ≥ 100k/s` : `${(s.rate / scaling[0]!.rate).toFixed(2)}× 1 worker`]),
  ]);
  printTable(`Failover after kill -9 (lease ${LEASE_MS} ms, 2 workers, ${P} partitions)`, ['rep', 'ms', 'target'],
    failovers.map((ms, i) => [String(i + 1), ms, `≤ ${LEASE_MS + 1000} ms (TTL + 1 s)`]));
  writeResults('cluster', quick, { events: EVENTS, partitions: P, leaseMs: LEASE_MS, commit: { p50: p(commit.total, 0.5), p99: p(commit.total, 0.99),
    snapshotP50: p(commit.snapshot, 0.5), luaP50: p(commit.lua, 0.5), luaP99: p(commit.lua, 0.99), bytes: commit.bytes }, singleProcess: single, router: route, scaling, failovers });
} finally {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
