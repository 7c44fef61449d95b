// Scale-out (issue 17): how many events a worker process takes per CPU
// second through the broker, apart from the router. The test app's events are
// routed into a fresh app's input logs first (8 partitions, batches of 500);
// then one, and then two `siddhi worker` processes (the built CLI) drain
// them, committing as they go. Their CPU time after they claimed every
// partition (whole, and after each worker's first half, when its code is
// warm) is compared with one process running the same events without a
// broker, in the same run.
// Usage: npx tsx bench/cluster-drain.ts [--quick]

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SiddhiManager, parseApp, planScaleOut } from '../src/index.js';
import { RedisBroker, Router, parseRecord, type RouterLine, type WorkerReport } from '../src/cluster/index.js';
import { startRedis } from '../test/io/redis-server.js';
import { builtCli } from '../test/cli/built-cli.js';
import { APP, generateLines, startCli, until } from '../test/cluster/cluster-processes.js';
import { toRouterLine } from '../test/cluster/in-process.js';
import { isQuick, writeResults } from './lib/machine.js';
import { formatRate, printTable } from './lib/table.js';

const quick = isQuick();
const EVENTS = quick ? 50_000 : 400_000;
const REPS = quick ? 1 : 3;
const P = 8;
const OUTPUTS = ['Moving', 'PerSecond', 'Rises', 'Big'];

const lines: RouterLine[] = generateLines(EVENTS, 42).map(toRouterLine);
const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** One process, no broker: the input parsed per line as 'siddhi run' does, each output event written as a JSON line. */
function singleProcess(): number {
  const texts = lines.map((l) => JSON.stringify(l.kind === 'time' ? { time: l.time } : { stream: l.stream, data: l.data, time: l.time }));
  const rt = new SiddhiManager().createSiddhiAppRuntime(APP('DrainSingle'), { playback: true });
  let bytes = 0;
  for (const s of OUTPUTS) rt.addCallback(s, (es) => es.forEach((e) => (bytes += JSON.stringify({ stream: s, time: e.timestamp, data: e.data, expired: e.isExpired }).length)));
  rt.start();
  const c0 = cpuMs();
  for (const t of texts) {
    const v = JSON.parse(t) as { stream?: string; data?: unknown[]; time: number };
    if (v.stream === undefined) rt.advanceTime(v.time);
    else rt.getInputHandler(v.stream).send(v.data!, v.time);
  }
  const rate = EVENTS / ((cpuMs() - c0) / 1000);
  rt.shutdown();
  return bytes > 0 ? rate : NaN;
}

interface DrainRun {
  readonly workers: number;
  /** Events per CPU second of the workers (summed), from their claims to the last commit: warm-up included. */
  readonly cpuRate: number;
  /** The same after each worker's first half of its events: a worker's warm (steady) rate. */
  readonly warmCpuRate: number;
  /** Events per second of wall time from the claims to the last commit. */
  readonly wallRate: number;
  readonly commits: number;
  readonly p50: number;
  readonly p99: number;
}

const reportOf = (text: string | undefined): WorkerReport | undefined => (text === undefined ? undefined : (JSON.parse(text) as WorkerReport));

/** Routes everything, then `n` workers drain it: events per CPU second of the workers, and their commit figures. */
async function drain(url: string, cli: string, dir: string, name: string, n: number): Promise<DrainRun> {
  const appFile = join(dir, `${name}.siddhi`);
  writeFileSync(appFile, APP(name));
  const broker = await RedisBroker.connect(url, name, P);
  const ids = Array.from({ length: n }, (_, i) => `w${i + 1}`);
  try {
    await new Router({ broker, plan: planScaleOut(parseApp(APP(name)), P) }).routeAll(lines);
    const ends = await broker.inputEnds();
    const workers = ids.map((id) => startCli(cli, ['worker', appFile, '--redis', url, '--partitions', String(P), '--id', id, '--quiet']));
    try {
      // Their reports once every partition is owned: start-up (loading, planning, claiming) is not counted.
      const started = await until('the workers to claim every partition', 120_000, async () => {
        const rs = await broker.reports();
        const reports = ids.map((id) => reportOf(rs[id]));
        const owned = reports.reduce((sum, r) => sum + (r?.owned.length ?? 0), 0);
        return owned === P && reports.every((r) => r !== undefined) ? { reports: reports.map((r) => r!), at: Date.now() } : undefined;
      });
      // Each worker's first report past half of what it drains (its share: the events of the partitions it owns).
      const half = new Map<string, WorkerReport>();
      const records = await until('the workers to drain the logs', 600_000, async () => {
        const rs = await broker.reports();
        for (const [i, id] of ids.entries()) {
          const r = reportOf(rs[id]);
          const share = EVENTS * started.reports[i]!.owned.length / P;
          if (r && !half.has(id) && r.events >= share / 2) half.set(id, r);
        }
        const recs = (await broker.records()).map((r) => (r === undefined ? undefined : parseRecord(r)));
        return recs.every((r, p) => r !== undefined && r.offset === ends[p]) ? recs.map((r) => r!) : undefined;
      });
      for (const w of workers) w.process.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
      const rs = await broker.reports();
      const final = ids.map((id) => reportOf(rs[id])!);
      const cpuS = final.reduce((sum, r, i) => sum + (r.cpuMs - started.reports[i]!.cpuMs) / 1000, 0);
      const warm = final.map((r, i) => {
        const h = half.get(ids[i]!) ?? started.reports[i]!;
        return { events: r.events - h.events, cpuS: (r.cpuMs - h.cpuMs) / 1000 };
      });
      const last = Math.max(...records.map((r) => r.committedAt));
      const commitMs = final.flatMap((r) => [r.commitP50Ms, r.commitP99Ms]);
      return {
        workers: n,
        cpuRate: EVENTS / cpuS,
        warmCpuRate: warm.reduce((sum, w) => sum + w.events, 0) / warm.reduce((sum, w) => sum + w.cpuS, 0),
        wallRate: EVENTS / ((last - started.at) / 1000),
        commits: final.reduce((sum, r) => sum + r.commits, 0),
        // With two workers: the higher of their p50s and of their p99s.
        p50: Math.max(...commitMs.filter((_, i) => i % 2 === 0)),
        p99: Math.max(...commitMs.filter((_, i) => i % 2 === 1)),
      };
    } finally {
      for (const w of workers) if (w.process.exitCode === null && w.process.signalCode === null) w.process.kill('SIGKILL');
    }
  } finally {
    await broker.close();
  }
}

const redis = await startRedis();
const dir = mkdtempSync(join(tmpdir(), 'siddhi-cluster-drain-'));
try {
  const cli = builtCli();
  const load = loadavg()[0]!;
  const single: number[] = [];
  const runs: DrainRun[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    single.push(singleProcess());
    for (const n of [1, 2]) runs.push(await drain(redis.url, cli, dir, `Drain${rep}x${n}`, n));
  }
  const loadAfter = loadavg()[0]!;
  printTable(`Workers draining ${EVENTS.toLocaleString('en-US')} routed events of the test app (${P} partitions, ${cpus().length} cores, load ${load.toFixed(1)}–${loadAfter.toFixed(1)})`,
    ['rep', 'workers', 'one process per CPU s', 'workers per CPU s', 'after half', 'ratio (after half)', 'events/s (wall)', 'commits', 'commit p50/p99 ms'],
    runs.map((r, i) => {
      const one = single[Math.floor(i / 2)]!;
      return [String(Math.floor(i / 2) + 1), String(r.workers), formatRate(one), formatRate(r.cpuRate), formatRate(r.warmCpuRate), `${(r.warmCpuRate / one).toFixed(2)}×`,
        formatRate(r.wallRate), String(r.commits), `${r.p50.toFixed(1)} / ${r.p99.toFixed(1)}`];
    }));
  writeResults('cluster-drain', quick, { events: EVENTS, partitions: P, load: [load, loadAfter], single, runs });
} finally {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
