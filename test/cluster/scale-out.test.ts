// Acceptance test of scale-out (issue 17), all real processes on 127.0.0.1: a
// redis-server, the router and 3 workers of the built CLI. The worker with the
// most partitions is SIGKILLed at 30–60% progress and restarted later; another
// is SIGSTOPped past its lease and resumed (its commit must be fenced). The
// sorted union of the partitions' outputs must equal a single-process
// `siddhi run`. SCALEOUT_EVENTS (default 20k; the issue's 100k works too),
// SCALEOUT_RUNS (default 1; `npm run test:scaleout-kills` does 20 random kill points).

import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisBroker, parseRecord, type WorkerReport } from '../../src/cluster/index.js';
import { startRedis, type RedisServer } from '../io/redis-server.js';
import { builtCli } from '../cli/built-cli.js';
import { createRandom } from '../../bench/lib/events.js';
import { APP, UNSAFE_APP, diffLines, generateLines, runCli, startCli, until, type Child } from './cluster-processes.js';

const EVENTS = Number(process.env.SCALEOUT_EVENTS ?? 20_000);
const RUNS = Number(process.env.SCALEOUT_RUNS ?? 1);
const SEED = Number(process.env.SCALEOUT_SEED ?? 1717);
const P = 8;
// The waits for the failover and the stale owner last about a lease each: npm test's single run takes a shorter
// lease than the default 3 s (six renewals a lease either way); the kill runs keep the default (SCALEOUT_LEASE_MS sets it).
const LEASE_MS = Number(process.env.SCALEOUT_LEASE_MS ?? (RUNS > 1 ? 3_000 : 1_500));
/** Waits on progress grow with the input (and are generous: the machine may be shared); each still ends. */
const SCALE = Math.max(1, EVENTS / 20_000);
const bound = (ms: number): number => Math.round(ms * SCALE);

let redis: RedisServer;
let cli: string;
const dir = mkdtempSync(join(tmpdir(), 'siddhi-scaleout-'));
let lines: string[];
let referencePromise: Promise<string[]> | undefined;

beforeAll(async () => {
  redis = await startRedis();
  cli = builtCli();
  lines = generateLines(EVENTS, SEED);
  writeFileSync(join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'reference.siddhi'), APP('Reference'));
}, bound(300_000));

/** The output lines of a single-process `siddhi run` of the whole input; started once, by the first call. */
function referenceRun(): Promise<string[]> {
  referencePromise ??= runCli(cli, ['run', join(dir, 'reference.siddhi'), '--input', join(dir, 'events.jsonl'), '--output', join(dir, 'reference.jsonl')]).then((ref) => {
    if (ref.code !== 0) throw new Error(`the single-process run exited ${ref.code}: ${ref.stderr}`);
    return readFileSync(join(dir, 'reference.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
  });
  return referencePromise;
}

afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface RunResult {
  readonly killProgress: number;
  readonly failoverMs: number;
  readonly staleFailoverMs: number;
  readonly diff: ReturnType<typeof diffLines>;
  readonly outputLines: number;
  readonly reports: WorkerReport[];
}

const verbose = process.env.SCALEOUT_VERBOSE !== undefined;
const note = (message: string): void => void (verbose && process.stderr.write(`[scale-out ${new Date().toISOString().slice(11, 23)}] ${message}\n`));

async function runCluster(run: number, random: () => number): Promise<RunResult> {
  const name = `ScaleOut${run}`;
  const appFile = join(dir, `${name}.siddhi`);
  writeFileSync(appFile, APP(name));
  const common = ['--redis', redis.url, '--partitions', String(P)];
  const broker = await RedisBroker.connect(redis.url, name, P);
  const workers = new Map<string, Child>();
  const startWorker = (id: string) => workers.set(id, startCli(cli, ['worker', appFile, ...common, '--id', id, '--lease', `${LEASE_MS}ms`]));
  try {
    for (const id of ['w1', 'w2', 'w3']) startWorker(id);
    const holders = async () => (await broker.owners()).map((l) => l?.owner);
    await until('every partition owned', 60_000, async () => ((await holders()).every((o) => o !== undefined) ? true : undefined));
    const progress = async () => (await broker.records()).reduce((n, r) => n + (r ? parseRecord(r).events : 0), 0) / EVENTS;

    // The input goes in three parts: up to 10% past the kill point, the rest but 20% after the kill, the last 20% while one worker is stopped.
    const killAt = 0.3 + random() * 0.2;
    const route = async (from: number, to: number): Promise<void> => {
      const file = join(dir, `${name}-${from}.jsonl`);
      writeFileSync(file, `${lines.slice(Math.floor(from * lines.length), Math.floor(to * lines.length)).join('\n')}\n`);
      const r = await runCli(cli, ['route', appFile, ...common, '--input', file, '--quiet', '--tick', '1000']);
      if (r.code !== 0) throw new Error(`route failed: ${r.stderr}`);
    };
    await route(0, killAt + 0.1);
    const killProgress = await until('the kill point', bound(120_000), async () => {
      const p = await progress();
      return p >= killAt ? p : undefined;
    });
    const owners = await holders();
    const victim = ['w1', 'w2', 'w3'].sort((a, b) => owners.filter((o) => o === b).length - owners.filter((o) => o === a).length)[0]!;
    const t0 = performance.now();
    workers.get(victim)!.process.kill('SIGKILL');
    note(`killed ${victim} at ${killProgress.toFixed(2)}`);
    await until('the failover', 20_000, async () => ((await holders()).every((o) => o !== undefined && o !== victim) ? true : undefined));
    const failoverMs = performance.now() - t0;
    // The single-process run's CPU fills the waits that follow (restart, route, the stale owner's lease), not the
    // failover the bound below times; awaited at the comparison.
    const expected = referenceRun();
    expected.catch(() => undefined);
    await workers.get(victim)!.exited;
    note(`failover in ${failoverMs.toFixed(0)} ms; restarting ${victim}`);
    startWorker(victim);
    await route(killAt + 0.1, 0.8);

    // A stale owner: stopped past its lease while the others take over, then resumed.
    await until('the restarted worker to own partitions', 60_000, async () => ((await holders()).includes(victim) ? true : undefined));
    const now = await holders();
    const stale = ['w1', 'w2', 'w3'].filter((w) => w !== victim).sort((a, b) => now.filter((o) => o === b).length - now.filter((o) => o === a).length)[0]!;
    const staleChild = workers.get(stale)!;
    staleChild.process.kill('SIGSTOP');
    const t1 = performance.now();
    await route(0.8, 1);
    await until('the stale worker\'s partitions to move', 20_000, async () => ((await holders()).every((o) => o !== undefined && o !== stale) ? true : undefined));
    const staleFailoverMs = performance.now() - t1;
    note(`${stale}'s partitions moved in ${staleFailoverMs.toFixed(0)} ms; resuming it`);
    staleChild.process.kill('SIGCONT');
    await until('the stale worker\'s fenced commit', 60_000, async () => (staleChild.stderr.includes('commit fenced') ? true : undefined));

    note('fenced; waiting for the ends');
    await until('every partition at the end of its input', bound(180_000), async () => {
      const [ends, records] = await Promise.all([broker.inputEnds(), broker.records()]);
      return records.every((r, p) => r !== undefined && parseRecord(r).offset === ends[p]) ? true : undefined;
    });
    note('at the ends');
    const output = (await Promise.all(Array.from({ length: P }, (_, p) => broker.output(p)))).flat();
    // One owner per partition, once the hand-overs settle: the workers' own reports (published every lease tick)
    // split the partitions into fair shares (3, 3, 2), and the leases say the same.
    const since = Date.now();
    const reports = await until('reports of all workers that split the partitions as the leases do', 60_000, async () => {
      const all = Object.values(await broker.reports()).map((r) => JSON.parse(r) as WorkerReport).sort((a, b) => a.worker.localeCompare(b.worker));
      const owned = all.flatMap((w) => w.owned).sort((a, b) => a - b);
      const leases = await broker.owners();
      const agree = all.every((w) => w.owned.every((p) => leases[p]?.owner === w.worker));
      const fair = all.map((w) => w.owned.length).join(',') === '3,3,2';
      return all.length === 3 && all.every((r) => r.at > since) && owned.every((p, i) => p === i) && owned.length === P && agree && fair ? all : undefined;
    }).catch(async (err: Error) => {
      const seen = Object.values(await broker.reports()).map((r) => { const w = JSON.parse(r) as WorkerReport; return `${w.worker} owns ${w.owned.join(',')} at ${w.at - since}`; });
      const logs = [...workers].map(([id, c]) => `${id}:\n${c.stderr.split('\n').slice(-8).join('\n')}`);
      throw new Error(`${err.message}; reports: ${seen.join('; ')}; leases: ${(await holders()).join(',')}\n${logs.join('\n')}`);
    });
    return { killProgress, failoverMs, staleFailoverMs, diff: diffLines(output, await expected), outputLines: output.length, reports };
  } finally {
    note('stopping the workers');
    for (const child of workers.values()) {
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGCONT');
      child.process.kill('SIGTERM');
    }
    const codes = await Promise.all([...workers.values()].map((c) => c.exited));
    await broker.close();
    expect(codes.filter((c) => c !== 0 && c !== null)).toEqual([]);
  }
}

describe('scale-out on Redis Streams', () => {
  it(`keeps exactly-once output through kill -9, restart and a stale owner (${RUNS} run(s), ${EVENTS} events)`, async () => {
    const random = createRandom(SEED + 1);
    for (let run = 0; run < RUNS; run++) {
      const r = await runCluster(run, random);
      const reference = await referenceRun();
      console.log(`scale-out run ${run + 1}/${RUNS}: killed at ${(r.killProgress * 100).toFixed(0)}% committed, failover ${r.failoverMs.toFixed(0)} ms, ` +
        `stale failover ${r.staleFailoverMs.toFixed(0)} ms, ${r.outputLines} output lines (reference ${reference.length}), ` +
        `missing ${r.diff.missing}, duplicated ${r.diff.duplicated}, unexpected ${r.diff.unexpected}; ` +
        `commit p50/p99 ${r.reports.map((w) => `${w.worker} ${w.commitP50Ms.toFixed(1)}/${w.commitP99Ms.toFixed(1)} ms`).join(', ')}`);
      expect(r.diff).toEqual({ missing: 0, duplicated: 0, unexpected: 0 });
      expect(r.killProgress).toBeGreaterThanOrEqual(0.3);
      expect(r.killProgress).toBeLessThanOrEqual(0.6);
      expect(r.failoverMs).toBeLessThanOrEqual(LEASE_MS + 2_000);
    }
    expect((await referenceRun()).length).toBeGreaterThan(EVENTS);
  }, bound(300_000) * RUNS);

  it('refuses a partition-unsafe app with the query named', async () => {
    const file = join(dir, 'unsafe.siddhi');
    writeFileSync(file, UNSAFE_APP);
    const r = await runCli(cli, ['worker', file, '--redis', redis.url, '--partitions', '4']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error [PLAN]: query 'total': is stateful (a window) and outside any partition block");
    expect(r.stderr).toContain('hint: keyed scale-out (P > 1)');
  });
});
