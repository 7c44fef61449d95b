// `siddhi worker <app> --redis URL --partitions P`: one of N worker processes of
// a scaled-out app (src/cluster/worker.ts): leases a fair share of the
// partitions, runs them and commits output + checkpoint exactly once. Runs
// until SIGINT/SIGTERM, then commits and hands its partitions back. Called by cli.ts.

import { hostname } from 'node:os';
import type { Server } from 'node:http';
import { EXIT, type CliIo, parseCommandLine, CliUsageError, loadEngine } from './io.js';
import { CLUSTER_OPTIONS, openClusterApp } from './cluster-app.js';
import { insertTargets } from './output-streams.js';
import { metricsPort, serveMetrics, waitForSignal } from './run-sources.js';
import type { StopTimeoutError, Worker } from '../cluster/index.js';

const HELP = `usage: siddhi worker <app.siddhi> --redis <url> --partitions <P> [--id <name>]
                     [--checkpoint-dir <dir>] [--lease <duration>] [--commit-interval <duration>]
                     [--commit-events <n>] [--metrics-port <n>] [--quiet]

Runs partitions of the app fed by 'siddhi route'. Each worker holds leases on
its fair share of the P partitions (renewed every third of --lease; a worker
that stops renewing loses them to the others, which restore the partition's
last commit and replay its input from there) and runs one runtime per owned
partition. Every --commit-interval or --commit-events events, per partition,
one atomic Redis call checks the lease (a stale owner is fenced), appends the
output to out:{<app>}:<p> and stores the checkpoint record (input offset,
clock, output count and the state: inline, or in --checkpoint-dir when large).
The output is that of 'siddhi run', as rows (README: Scaling out, Output
entries). A worker that joins takes its share by
hand-over: the others commit and release partitions for it.

options:
  --redis <url>            redis://host:port
  --partitions <P>         as given to 'siddhi route'
  --id <name>              worker name (default host-pid); a restarted worker with
                           the same name prefers the partitions it committed last
  --checkpoint-dir <dir>   shared directory for checkpoints above 256 KiB
  --lease <duration>       lease time to live (default 3s)
  --commit-interval <d>    time between commits of a partition (default 500ms)
  --commit-events <n>      events that force a commit (default 5000)
  --metrics-port <n>       serve GET /metrics (Prometheus text): events, owned
                           partitions, lag per partition, commit p50/p99,
                           last restore time, claims, hand-overs, fenced commits
  -q, --quiet              no log of claims and hand-overs on standard error
  -h, --help               this text

exit codes: 0 stopped by a signal (partitions committed and released), 1 app
refused, or stopped without a final commit (broker unreachable for --lease + 2s),
2 usage error`;

export async function runWorker(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    ...CLUSTER_OPTIONS,
    id: { type: 'string' },
    'checkpoint-dir': { type: 'string' },
    lease: { type: 'string' },
    'commit-interval': { type: 'string' },
    'commit-events': { type: 'string' },
    'metrics-port': { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  // Options are checked before the broker connection opens: a bad one exits 2 at once.
  const engine = await loadEngine();
  const duration = (option: string, t: string | undefined, fallback: number): number => {
    if (t === undefined) return fallback;
    const ms = engine.parseDuration(t);
    if (ms === undefined || ms <= 0) throw new CliUsageError(`${option} '${t}' is not a positive duration (e.g. 500ms, 3s)`);
    return ms;
  };
  const commitEvents = Number(values['commit-events'] ?? 5000);
  if (!Number.isInteger(commitEvents) || commitEvents < 1) throw new CliUsageError(`--commit-events takes a positive integer, got '${values['commit-events']}'`);
  const leaseMs = duration('--lease', values.lease, 3000);
  const commitMs = duration('--commit-interval', values['commit-interval'], 500);
  const port = values['metrics-port'];
  if (port !== undefined) metricsPort(port);
  const opened = await openClusterApp('worker', positionals, values, io);
  if (typeof opened === 'number') return opened;
  const { broker, text, app, name, fingerprint } = opened;
  let metrics: Server | undefined;
  let worker: Worker;
  let StopTimeout: typeof StopTimeoutError;
  try {
    const streams = insertTargets(app);
    const manager = new engine.SiddhiManager();
    const { Worker: WorkerClass, StopTimeoutError: stopTimeout, formatWorkerPrometheus, withoutSources } = await import('../cluster/index.js');
    StopTimeout = stopTimeout;
    // The router reads the app's sources; a partition's runtime only takes what it routes.
    const runText = withoutSources(text, app);
    const dir = values['checkpoint-dir'];
    worker = new WorkerClass({
      id: values.id ?? `${hostname()}-${process.pid}`,
      broker,
      ...(dir !== undefined ? { store: new engine.FileStore(dir, { retain: 3 }) } : {}),
      leaseMs,
      commitMs,
      commitEvents,
      factory: {
        app: name,
        fingerprint,
        partitions: opened.plan.partitions,
        streams,
        create: (options) => {
          const runtime = manager.createSiddhiAppRuntime(runText, { ...options, playback: true });
          runtime.onError((err) => io.stderr.write(`siddhi worker: runtime error: ${err.message}\n`));
          return runtime;
        },
        warn: (p, message) => io.stderr.write(`siddhi worker: partition ${p}: ${message}\n`),
      },
      ...(values.quiet ? {} : { log: (m: string) => io.stderr.write(`siddhi ${m}\n`) }),
    });
    const w = worker;
    metrics = port === undefined ? undefined : await serveMetrics('worker', port, () => formatWorkerPrometheus(name, w.report()), io);
  } catch (err) {
    // An open broker connection would keep the process alive after the error.
    await broker.close();
    throw err;
  }
  const running = worker.run();
  const signal = await Promise.race([(io.waitForStop ?? waitForSignal)(), running.then(() => 'stopped')]);
  worker.stop();
  // The final commits need the broker: when it is gone, run() gives up after --lease + 2 s (the worker's
  // default stopMs); the leases expire and others replay.
  const outcome = await running.then(() => undefined, (err: unknown) => err as Error);
  await broker.close();
  metrics?.closeAllConnections();
  metrics?.close();
  if (outcome !== undefined) {
    const timedOut = outcome instanceof StopTimeout;
    const why = timedOut ? `no answer within ${outcome.waitedMs} ms` : outcome.message;
    if (!timedOut && !broker.unavailable(outcome)) throw outcome;
    io.stderr.write(`siddhi worker: ${signal}: stopped without a final commit (broker: ${why}); ` +
      'its partitions resume from their last commits once the leases expire\n');
    return EXIT.app;
  }
  if (!values.quiet) io.stderr.write(`siddhi worker: ${signal}: committed and released partitions\n`);
  return EXIT.ok;
}
