// Scale-out on Redis Streams (issue 17): how long one fenced commit takes (the
// snapshot and the Lua call apart), how fast the router appends, events/s
// through the broker with 1, 2 and 4 worker processes — for the test app and
// for a light one (one timeBatch per key: the broker path with little app work),
// both against one process without a broker, per wall second and per CPU
// second (the machine is shared) — and how long a failover takes after kill -9,
// on a redis-server started here on a free port.
// Usage: npx tsx bench/cluster.ts [--quick] [--commit: the commit figures only, a minute on a quiet machine]

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { Redis } from 'ioredis';
import { join } from 'node:path';
import { SiddhiManager, parseApp, planScaleOut } from '../src/index.js';
import { RedisBroker, Router, parseRecord, type RouterLine, type WorkerReport } from '../src/cluster/index.js';
import { PartitionRunner } from '../src/cluster/partition-runner.js';
import { OutputRows } from '../src/cluster/output-rows.js';
import { startRedis } from '../test/io/redis-server.js';
import { builtCli } from '../test/cli/built-cli.js';
import { APP, generateLines, startCli, until, type Child } from '../test/cluster/cluster-processes.js';
import { toRouterLine } from '../test/cluster/in-process.js';
import { isQuick, writeResults } from './lib/machine.js';
import { percentile } from './lib/stats.js';
import { formatRate, printTable } from './lib/table.js';

const quick = isQuick();
const commitOnly = process.argv.includes('--commit');
const EVENTS = quick ? 40_000 : 200_000;
const P = 8;
const LEASE_MS = 3_000;
const redis = await startRedis();
// Only the worker runs need the CLI: --commit does not pay a build.
const cli = commitOnly ? '' : builtCli();
const dir = mkdtempSync(join(tmpdir(), 'siddhi-cluster-bench-'));

/** The input of the throughput runs; made after the commit figures, whose GC pauses it would lengthen. */
let lines: RouterLine[] = [];

interface BenchApp {
  readonly label: string;
  readonly text: (name: string) => string;
  readonly outputs: readonly string[];
}
const FULL: BenchApp = { label: 'test app', text: APP, outputs: ['Moving', 'PerSecond', 'Rises', 'Big'] };
const LIGHT: BenchApp = {
  label: 'light app',
  text: (name) => `@app:name('${name}')
define stream Trades (symbol string, price double, volume long);
partition with (symbol of Trades) begin
  from Trades#window.timeBatch(1 sec) select symbol, count() as trades, max(price) as high insert into PerSecond;
end;
`,
  outputs: ['PerSecond'],
};
const cpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
/** CPU seconds redis-server has used so far. */
async function redisCpu(): Promise<number> {
  const c = new Redis(redis.url);
  const info = await c.info('cpu');
  c.disconnect();
  const v = (k: string) => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return v('used_cpu_user') + v('used_cpu_sys');
}

const WARM_COMMITS = 50;

/** Commit latency of one partition: 50 events between commits, after a state of 2500 events over the keys it holds and 50 warm-up commits. */
async function commitLatency(): Promise<{ total: number[]; cpu: number[]; snapshot: number[]; lua: number[]; bytes: number; lines: number }> {
  const broker = await RedisBroker.connect(redis.url, 'BenchCommit', 1);
  const manager = new SiddhiManager();
  const text = APP('BenchCommit');
  const lease = (await broker.claim(0, 'bench', 600_000))!;
  const { runner } = await PartitionRunner.open(lease, {
    app: 'BenchCommit', fingerprint: 'f',
    partitions: 1,
    streams: ['Moving', 'PerSecond', 'Rises', 'Big'],
    create: () => manager.createSiddhiAppRuntime(text, { playback: true }),
    warn: () => undefined,
  }, undefined, undefined);
  const events = generateLines(80_000, 42).map(toRouterLine).filter((l) => l.kind === 'event' && (l.data[0] as string) < 'K2');
  const entry = (from: number, n: number, id: number) => ({ id: `${id}-0`, body: JSON.stringify({ e: events.slice(from, from + n).map((l) => [l.kind === 'event' ? l.stream : '', l.time, l.kind === 'event' ? l.data : []]) }) });
  runner.feed(entry(0, 2000, 1), Infinity);
  // A running worker commits 10–20 times a second: the first commits (unoptimised code, ~30 of them slow) are its first seconds only.
  for (let i = 0; i < WARM_COMMITS; i++) {
    runner.feed(entry(2000 + i * 10, 10, i + 2), Infinity);
    await runner.commit(broker, undefined);
  }
  const total: number[] = [];
  /** This process's CPU time per commit: what the commit costs when the machine is not shared. */
  const cpu: number[] = [];
  const snapshot: number[] = [];
  let bytes = 0;
  let outLines = 0;
  for (let i = 0; i < (quick ? 100 : 400); i++) {
    runner.feed(entry(2500 + i * 50, 50, WARM_COMMITS + i + 2), Infinity);
    const t0 = performance.now();
    const c0 = cpuSeconds();
    const done = await runner.commit(broker, undefined);
    if (done === false) throw new Error('fenced');
    total.push(performance.now() - t0);
    cpu.push((cpuSeconds() - c0) * 1000);
    bytes = done.bytes;
    outLines += done.lines;
  }
  // The snapshot alone, on the same state.
  for (let i = 0; i < total.length; i++) {
    const t0 = performance.now();
    (runner as unknown as { runtime: { snapshot(): Uint8Array } }).runtime.snapshot();
    snapshot.push(performance.now() - t0);
  }
  // The Lua call alone: 1000 output rows and a 5 KB record, as in the prototype.
  const lua: number[] = [];
  const rows = new OutputRows(['Moving'], () => undefined);
  for (let i = 0; i < 1000; i++) rows.add(0, 1000, ['K1', 1234, 56.7], false);
  const output = rows.encode(rows.take());
  const record = 'x'.repeat(5 * 1024);
  for (let i = 0; i < total.length; i++) {
    const t0 = performance.now();
    await broker.commit({ lease, commit: runner.committedNumber + 1 + i, output, outputLines: 1000, record, trimBelow: undefined });
    lua.push(performance.now() - t0);
  }
  runner.close();
  await broker.close();
  return { total, cpu, snapshot, lua, bytes, lines: outLines / total.length };
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
function singleProcessRate(app: BenchApp): { rate: number; cpuRate: number } {
  const rt = new SiddhiManager().createSiddhiAppRuntime(app.text('BenchSingle'), { playback: true });
  let out = 0;
  for (const s of app.outputs) rt.addCallback(s, (es) => es.forEach((e) => (out += JSON.stringify({ stream: s, time: e.timestamp, data: e.data }).length)));
  rt.start();
  const t0 = performance.now();
  const c0 = cpuSeconds();
  for (const l of lines) {
    if (l.kind === 'time') rt.advanceTime(l.time);
    else rt.getInputHandler(l.stream).send(l.data, l.time);
  }
  const result = { rate: EVENTS / ((performance.now() - t0) / 1000), cpuRate: EVENTS / (cpuSeconds() - c0) };
  rt.shutdown();
  return result;
}

interface WorkerRun {
  readonly rate: number;
  readonly wallMs: number;
  /** Events per second of the workers' CPU time (summed over the workers, from the first append on). */
  readonly cpuRate: number;
  /** CPU seconds redis-server used per worker CPU second. */
  readonly redisShare: number;
  readonly commitP50: number;
  readonly commitP99: number;
}

/** Starts `n` workers, waits for a fair split, then routes everything: events/s from the first append to the last commit. */
async function workerRate(n: number, app: BenchApp): Promise<WorkerRun> {
  const name = `BenchWorkers${app === FULL ? '' : 'Light'}${n}`;
  const appFile = join(dir, `${name}.siddhi`);
  writeFileSync(appFile, app.text(name));
  const broker = await RedisBroker.connect(redis.url, name, P);
  const workers: Child[] = Array.from({ length: n }, (_, i) => startCli(cli, ['worker', appFile, '--redis', redis.url, '--partitions', String(P), '--id', `b${i}`, '--quiet']));
  await until('a fair split', 120_000, async () => {
    const owners = (await broker.owners()).map((l) => l?.owner);
    const counts = Array.from({ length: n }, (_, i) => owners.filter((o) => o === `b${i}`).length);
    return owners.every((o) => o !== undefined) && Math.max(...counts) - Math.min(...counts) <= 1 ? true : undefined;
  });
  // CPU the workers spent starting (loading, planning, claiming) is not counted: their reports now say how much that was.
  const started = await until('every worker\'s report', 30_000, async () => {
    const rs = Object.values(await broker.reports()).map((r) => JSON.parse(r) as WorkerReport);
    return rs.length === n ? rs.reduce((a, r) => a + r.cpuMs, 0) / 1000 : undefined;
  });
  const t0 = Date.now();
  const redis0 = await redisCpu();
  await new Router({ broker, plan: planScaleOut(parseApp(app.text(name)), P) }).routeAll(lines);
  const ends = await broker.inputEnds();
  const records = await until('the workers to finish', 600_000, async () => {
    const rs = (await broker.records()).map((r) => (r === undefined ? undefined : parseRecord(r)));
    return rs.every((r, p) => r !== undefined && r.offset === ends[p]) ? rs.map((r) => r!) : undefined;
  });
  const redisUsed = (await redisCpu()) - redis0;
  for (const w of workers) w.process.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  // Each worker publishes its final figures as it stops.
  const reports = Object.values(await broker.reports()).map((r) => JSON.parse(r) as WorkerReport);
  await broker.close();
  const last = Math.max(...records.map((r) => r.committedAt));
  const cpu = reports.reduce((a, r) => a + r.cpuMs, 0) / 1000 - started;
  return {
    rate: EVENTS / ((last - t0) / 1000), wallMs: last - t0, cpuRate: EVENTS / cpu, redisShare: redisUsed / cpu,
    commitP50: Math.max(...reports.map((r) => r.commitP50Ms)), commitP99: Math.max(...reports.map((r) => r.commitP99Ms)),
  };
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
  const load = loadavg()[0]!;
  const commit = await commitLatency();
  const p = (xs: number[], q: number) => percentile([...xs].sort((a, b) => a - b), q * 100);
  printTable(`Fenced commit of one partition (${commit.lines.toFixed(0)} output lines and a ${(commit.bytes / 1024).toFixed(1)} KB checkpoint per commit, after ${WARM_COMMITS} warm-up commits; load ${load.toFixed(1)}–${loadavg()[0]!.toFixed(1)})`,
    ['part', 'p50 ms', 'p99 ms', 'target'], [
      ['snapshot + Lua call (the commit)', p(commit.total, 0.5), p(commit.total, 0.99), 'p50 ≤ 3 ms, p99 ≤ 20 ms'],
      ['its CPU time in this process', p(commit.cpu, 0.5), p(commit.cpu, 0.99), ''],
      ['runtime.snapshot() alone', p(commit.snapshot, 0.5), p(commit.snapshot, 0.99), ''],
      ['Lua call, 1000 lines + 5 KB record', p(commit.lua, 0.5), p(commit.lua, 0.99), 'prototype: p50 1.2–2.7, p99 ~10'],
    ]);
  const commitFigures = { p50: p(commit.total, 0.5), p99: p(commit.total, 0.99), cpuP50: p(commit.cpu, 0.5), cpuP99: p(commit.cpu, 0.99),
    snapshotP50: p(commit.snapshot, 0.5), luaP50: p(commit.lua, 0.5), luaP99: p(commit.lua, 0.99), bytes: commit.bytes };
  if (commitOnly) writeResults('cluster-commit', quick, { load: [load, loadavg()[0]!], commit: commitFigures });
  else {
    lines = generateLines(EVENTS, 42).map(toRouterLine);
    const route = await routerRate();
    const apps = [];
    for (const app of [FULL, LIGHT]) {
      const single = singleProcessRate(app);
      const scaling: ({ workers: number; perWorker: number } & WorkerRun)[] = [];
      for (const n of [1, 2, 4]) {
        const r = await workerRate(n, app);
        scaling.push({ workers: n, perWorker: r.rate / n, ...r });
      }
      apps.push({ app: app.label, singleProcess: single.rate, singleProcessCpu: single.cpuRate, scaling });
    }
    const failovers: number[] = [];
    for (let rep = 0; rep < (quick ? 2 : 3); rep++) failovers.push(await failover(rep));
    const loadAfter = loadavg()[0]!;

    for (const a of apps) {
      printTable(`${a.app} through the broker: ${EVENTS.toLocaleString('en-US')} events, ${P} partitions, ${cpus().length} cores, load ${load.toFixed(1)}–${loadAfter.toFixed(1)}`,
        ['stage', 'events/s', 'per worker', 'per CPU s', 'redis CPU', 'commit p50/p99 ms', 'note'], [
          ['one process, no broker (siddhi run)', formatRate(a.singleProcess), '', formatRate(a.singleProcessCpu), '', '', 'the ceiling of one worker'],
          ...a.scaling.map((s) => [`${s.workers} worker process${s.workers > 1 ? 'es' : ''}`, formatRate(s.rate), formatRate(s.perWorker), formatRate(s.cpuRate),
            `${(s.redisShare * 100).toFixed(0)}%`, `${s.commitP50.toFixed(1)} / ${s.commitP99.toFixed(1)}`,
            s.workers === 1 ? `${(s.cpuRate / a.singleProcessCpu).toFixed(2)}× one process per CPU s; target ≥ 100k/s` : `${(s.rate / a.scaling[0]!.rate).toFixed(2)}× 1 worker`]),
        ]);
    }
    printTable('router (in-process, batched XADD)', ['events/s'], [[formatRate(route)]]);
    printTable(`Failover after kill -9 (lease ${LEASE_MS} ms, 2 workers, ${P} partitions)`, ['rep', 'ms', 'target'],
      failovers.map((ms, i) => [String(i + 1), ms, `≤ ${LEASE_MS + 1000} ms (TTL + 1 s)`]));
    writeResults('cluster', quick, { events: EVENTS, partitions: P, leaseMs: LEASE_MS, load: [load, loadAfter], commit: commitFigures, router: route, apps, failovers });
  }
} finally {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
