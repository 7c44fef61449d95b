// `siddhi route <app> --redis URL --partitions P --input events.jsonl`: feeds a
// scaled-out app — each event to the partition its key hashes to, batched,
// with the clock broadcast as watermarks (src/cluster/router.ts). Without
// --input the app's own sources feed it (route-sources.ts). Called by cli.ts.

import { resolve } from 'node:path';
import { CliUsageError, EXIT, type CliIo, loadEngine, parseCommandLine } from './io.js';
import { CLUSTER_OPTIONS, openClusterApp } from './cluster-app.js';
import { routeSources } from './route-sources.js';

const HELP = `usage: siddhi route <app.siddhi> --redis <url> --partitions <P> [--input <events.jsonl> …]
                    [--batch <events>] [--tick <lines>] [--flush-ms <ms>] [--quiet]

Routes the input lines (the same JSON lines as 'siddhi run'; events without a
"time" get the wall-clock time) to P fixed partitions of the app on Redis:
each event goes to the partition its partition key hashes to (streams read
only by stateless queries spread by the whole event), appended in batches to
the stream in:{<app>}:<p>. The event-time clock travels with the events and,
every --tick lines and at the end, as a watermark to every partition, so
playback timers fire in each partition as in one 'siddhi run'. Run any number
of 'siddhi worker' processes with the same app, --redis and --partitions.

Without --input, the app's own @source annotations (file, http,
redis-stream, …) run in the router and what they deliver is routed, stamped
and clocked by the wall clock as in 'siddhi run' with sources, until SIGINT or
SIGTERM; the workers run the app without its sources. The sources' state
(file offsets, stream ids) is stored with every send, so 'siddhi route'
started again resumes where its last send ended.

Each append stores, in the same Redis transaction, how many input lines are
routed: 'siddhi route' started again on the same input files (a restart after
a crash) skips those lines and goes on with the same clock, so no event is
routed twice or lost. Other input files start from their first line.

The app must be partition-safe for P > 1 (every stateful query inside a
partition block, every partitioned stream fed by the router); P = 1 takes any
app (one active worker, the others standing by). P is fixed for the life of
the app's streams.

options:
  --redis <url>        redis://host:port
  --partitions <P>     number of partitions (fixed)
  -i, --input <file>   input file (repeatable, merged by time); instead of the app's sources
  --batch <events>     events per log entry (default 500)
  --tick <lines>       input lines between watermark broadcasts (default 5000)
  --flush-ms <ms>      with the app's sources: time between sends (default 100)
  -q, --quiet          no summary on standard error
  -h, --help           this text

exit codes: 0 ok, 1 app refused or an event was rejected, 2 usage error`;

export async function runRoute(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, {
    ...CLUSTER_OPTIONS,
    input: { type: 'string', short: 'i', multiple: true, default: [] },
    batch: { type: 'string' },
    tick: { type: 'string' },
    'flush-ms': { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  const batchSize = positiveInt('--batch', values.batch, 500);
  const tickEvery = positiveInt('--tick', values.tick, 5000);
  const flushMs = positiveInt('--flush-ms', values['flush-ms'], 100);
  const input = values.input.length === 0 ? undefined
    : new (await loadEngine()).EventFileSource(values.input, { playback: true, fail: (m) => new CliUsageError(m) });
  const opened = await openClusterApp('route', positionals, values, io);
  if (typeof opened === 'number') {
    input?.close();
    return opened;
  }
  if (input === undefined) return routeSources(opened, { batchSize, tickEvery, flushMs, quiet: values.quiet }, io);
  const { broker, plan, name } = opened;
  const { Router } = await import('../cluster/index.js');
  const t0 = performance.now();
  try {
    const router = new Router({
      broker, plan, batchSize, tickEvery,
      input: values.input.map((f) => resolve(f)).join('\n'),
      onRejected: (origin, message) => io.stderr.write(`${origin}: rejected event: ${message}\n`),
    });
    const result = await router.routeAll(input);
    const s = (performance.now() - t0) / 1000;
    if (!values.quiet) {
      io.stderr.write(`siddhi route: ${result.events} events of app '${name}' to ${plan.partitions} partitions in ${s.toFixed(2)} s ` +
        `(${Math.round(result.events / Math.max(s, 1e-9))} events/s); per partition: ${result.perPartition.join(' ')}\n`);
    }
    return result.rejected > 0 ? EXIT.app : EXIT.ok;
  } finally {
    input.close();
    await broker.close();
  }
}

function positiveInt(option: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new CliUsageError(`${option} takes a positive integer, got '${text}'`);
  return n;
}
