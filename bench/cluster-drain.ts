// Scale-out (issue 17): how many events one worker process takes per CPU
// second through the broker, apart from the router. The test app's events are
// routed into a fresh app's input logs first (8 partitions, batches of 500);
// then one `siddhi worker` (the built CLI) drains them, committing as it goes.
// Its CPU time after it claimed every partition is compared with one process
// running the same events without a broker, in the same run.
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
const EVENTS = quick ? 50_000 : 200_000;
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

/** Routes everything, then one worker drains it: events per CPU second of the worker, and its commit figures. */
async function drain(url: string, cli: string, dir: string, rep: number): Promise<{ cpuRate: number; wallRate: number; commits: number; p50: number; p99: number }> {
  const name = `Drain${rep}`;
  const appFile = join(dir, `${name}.siddhi`);
  writeFileSync(appFile, APP(name));
  const broker = await RedisBroker.connect(url, name, P);
  try {
    await new Router({ broker, plan: planScaleOut(parseApp(APP(name)), P) }).routeAll(lines);
    const ends = await broker.inputEnds();
    const t0 = Date.now();
    const worker = startCli(cli, ['worker', appFile, '--redis', url, '--partitions', String(P), '--id', 'w', '--quiet']);
    try {
      // Its first report with every partition: start-up (loading, planning, claiming) is not counted.
      const started = await until('the worker to claim every partition', 120_000, async () => {
        const r = (await broker.reports())['w'];
        const report = r === undefined ? undefined : (JSON.parse(r) as WorkerReport);
        return report && report.owned.length === P ? report.cpuMs : undefined;
      });
      const records = await until('the worker to drain the logs', 600_000, async () => {
        const rs = (await broker.records()).map((r) => (r === undefined ? undefined : parseRecord(r)));
        return rs.every((r, p) => r !== undefined && r.offset === ends[p]) ? rs.map((r) => r!) : undefined;
      });
      worker.process.kill('SIGTERM');
      await worker.exited;
      const report = JSON.parse((await broker.reports())['w']!) as WorkerReport;
      const last = Math.max(...records.map((r) => r.committedAt));
      return { cpuRate: EVENTS / ((report.cpuMs - started) / 1000), wallRate: EVENTS / ((last - t0) / 1000), commits: report.commits, p50: report.commitP50Ms, p99: report.commitP99Ms };
    } finally {
      if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill('SIGKILL');
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
  const runs = [];
  for (let rep = 0; rep < REPS; rep++) {
    single.push(singleProcess());
    runs.push(await drain(redis.url, cli, dir, rep));
  }
  const loadAfter = loadavg()[0]!;
  printTable(`One worker draining ${EVENTS.toLocaleString('en-US')} routed events of the test app (${P} partitions, ${cpus().length} cores, load ${load.toFixed(1)}–${loadAfter.toFixed(1)})`,
    ['rep', 'one process per CPU s', 'worker per CPU s', 'ratio', 'worker events/s (wall)', 'commits', 'commit p50/p99 ms'],
    runs.map((r, i) => [String(i + 1), formatRate(single[i]!), formatRate(r.cpuRate), `${(r.cpuRate / single[i]!).toFixed(2)}×`, formatRate(r.wallRate), String(r.commits), `${r.p50.toFixed(1)} / ${r.p99.toFixed(1)}`]));
  writeResults('cluster-drain', quick, { events: EVENTS, partitions: P, load: [load, loadAfter], single, runs });
} finally {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
