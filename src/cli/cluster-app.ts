// What `siddhi route` and `siddhi worker` share: the app checked for scale-out
// with P partitions (a PLAN error naming the query otherwise), and the broker
// connection, whose stored partition count and app fingerprint must match.

import type { App, ScaleOutPlan } from '../index.js';
import type { Broker } from '../cluster/index.js';
import { CliUsageError, EXIT, loadEngine, type CliIo, type Engine } from './io.js';
import { formatAppError, isAppError } from './format-error.js';
import { readText } from './read-text.js';

export const CLUSTER_OPTIONS = {
  redis: { type: 'string' },
  partitions: { type: 'string' },
  quiet: { type: 'boolean', short: 'q', default: false },
} as const;

export interface ClusterApp {
  readonly engine: Engine;
  readonly file: string;
  readonly text: string;
  readonly app: App;
  readonly name: string;
  readonly plan: ScaleOutPlan;
  readonly fingerprint: string;
  readonly broker: Broker;
}

/** The checked app and an open broker; a number (exit code) when the app was refused (reported on `io.stderr`). */
export async function openClusterApp(command: string, positionals: string[], values: { redis?: string; partitions?: string }, io: CliIo): Promise<ClusterApp | number> {
  if (positionals.length !== 1) throw new CliUsageError(positionals.length === 0 ? 'missing the app file' : `expected one app file, got ${positionals.length}`);
  if (values.redis === undefined) throw new CliUsageError('missing --redis <url>, e.g. --redis redis://127.0.0.1:6379');
  const partitions = Number(values.partitions ?? '');
  if (!Number.isInteger(partitions) || partitions < 1) throw new CliUsageError(`--partitions takes a positive integer, got '${values.partitions ?? ''}'`);
  const file = positionals[0]!;
  const text = readText(file);
  const engine = await loadEngine();
  const { fingerprintOf, RedisBroker, sourcedStreams } = await import('../cluster/index.js');
  let name: string;
  let plan: ScaleOutPlan;
  let app: App;
  try {
    const runtime = new engine.SiddhiManager().createSiddhiAppRuntime(text, { playback: true });
    name = runtime.name;
    runtime.shutdown();
    app = engine.parseApp(text);
    plan = engine.planScaleOut(app, partitions);
    const sink = app.elements.find((el) => el.kind === 'stream' && el.annotations.some((a) => a.name.toLowerCase() === 'sink'));
    if (sink) throw new CliUsageError(`stream '${(sink as { name: string }).name}' has a @sink: in a cluster it would publish once per partition runtime, again on every replay; read the output from out:{${name}}:<p>`);
    const fed = sourcedStreams(app).find((def) => !plan.routes.has(def.name));
    if (fed) throw new CliUsageError(`stream '${fed.name}' has a @source but queries insert into it too: 'siddhi route' reads only the sources of input streams`);
  } catch (err) {
    if (!isAppError(err)) throw err;
    io.stderr.write(`${formatAppError(file, text, err)}\n`);
    return EXIT.app;
  }
  const fingerprint = fingerprintOf(text, partitions);
  const broker = await RedisBroker.connect(values.redis, name, partitions);
  const stored = await broker.meta({ partitions, fingerprint });
  if (stored.partitions !== partitions || stored.fingerprint !== fingerprint) {
    await broker.close();
    io.stderr.write(`siddhi ${command}: app '${name}' already runs on ${values.redis} with ${stored.partitions} partitions` +
      `${stored.fingerprint !== fingerprint ? ' and a different app text' : ''}; the partition count is fixed for the life of its streams\n` +
      `  hint: use the same app and --partitions ${stored.partitions}, or another app name (@app:name)\n`);
    return EXIT.usage;
  }
  return { engine, file, text, app, name, plan, fingerprint, broker };
}
