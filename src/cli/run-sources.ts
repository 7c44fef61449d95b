// `siddhi run app.siddhi` without --input: the app's own @source annotations
// (and triggers) feed it. Runs until SIGINT/SIGTERM (or io.waitForStop in tests), then takes a
// final checkpoint when --checkpoint-dir is set, shuts the app down, exit 0.
// Source positions (file offsets …) are state cells, so a restart with the
// same --checkpoint-dir resumes where the last checkpoint was taken.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SiddhiAppRuntime } from '../index.js';
import { formatAppError, isAppError } from './format-error.js';
import { CliUsageError, EXIT, type CliIo, type Engine } from './io.js';
import { insertTargets } from './output-streams.js';
import { openFileSink, openStdoutSink, type Sink } from './output-sink.js';
import { RETAIN, checkpointInterval } from './checkpointed-run.js';
import type { RunValues } from './run-command.js';
import { connect } from './run-lines.js';

/** Output is buffered; a long-running app still shows its events promptly. */
const FLUSH_EVERY_MS = 100;

export async function runSources(engine: Engine, appFile: string, appText: string, values: RunValues, io: CliIo): Promise<number> {
  const dir = values['checkpoint-dir'];
  const interval = dir === undefined ? undefined : checkpointInterval(engine, values['checkpoint-interval']);
  let runtime: SiddhiAppRuntime;
  let streams: string[];
  let triggers: string[];
  try {
    runtime = new engine.SiddhiManager().createSiddhiAppRuntime(appText, {
      playback: values.playback,
      ...(dir !== undefined ? { store: new engine.FileStore(dir, { retain: RETAIN }), checkpoint: { interval: interval! } } : {}),
    });
    const app = engine.parseApp(appText);
    streams = values.stream.length > 0 ? values.stream : insertTargets(app);
    triggers = app.elements.flatMap((e) => (e.kind === 'trigger' ? [e.name] : []));
  } catch (err) {
    if (!isAppError(err)) throw err;
    io.stderr.write(`${formatAppError(appFile, appText, err)}\n`);
    return EXIT.app;
  }
  // Triggers feed an app too (the reference's samples have trigger-only apps).
  if (runtime.sources().length === 0 && triggers.length === 0) {
    runtime.shutdown();
    throw new CliUsageError('missing --input <events.jsonl>: the app has no @source or trigger to read from (use --input - for standard input)');
  }
  const sink: Sink = values.output === undefined ? openStdoutSink(io) : openFileSink(values.output);
  const flusher = setInterval(() => sink.flush(), FLUSH_EVERY_MS);
  let metrics: Server | undefined;
  try {
    connect(runtime, streams, (text) => sink.write(text), io);
    if (dir !== undefined) {
      const revision = await runtime.restoreLastRevision();
      if (revision && !values.quiet) io.stderr.write(`siddhi run: resumed from checkpoint ${revision}\n`);
    }
    // Per-query figures from the first event on; one chunk in 16 timed keeps the cost low.
    if (values['metrics-port'] !== undefined) runtime.enableMetrics({ sampleEvery: 16 });
    runtime.start();
    try {
      await runtime.ready();
    } catch (err) {
      if (!isAppError(err)) throw err;
      io.stderr.write(`siddhi run: ${err.message}\n`);
      return EXIT.app;
    }
    if (values['metrics-port'] !== undefined) metrics = await serveMetrics('run', values['metrics-port'], () => engine.formatPrometheus(runtime.metrics()), io);
    if (!values.quiet) {
      const list = [
        ...runtime.sources().map((s) => `${s.type} source of ${s.stream}${s.address ? ` at ${s.address}` : ''}`),
        ...triggers.map((t) => `trigger ${t}`),
      ];
      io.stderr.write(`siddhi run: ${list.join(', ')}; stop with Ctrl-C\n`);
    }
    const signal = await (io.waitForStop ?? waitForSignal)();
    if (dir !== undefined) {
      const revision = await runtime.persist();
      if (!values.quiet) io.stderr.write(`siddhi run: ${signal}: final checkpoint ${revision}\n`);
    }
  } finally {
    clearInterval(flusher);
    metrics?.closeAllConnections();
    metrics?.close();
    runtime.shutdown();
    sink.close();
  }
  return EXIT.ok;
}

/** The port of `--metrics-port` (0: any free port); a usage error otherwise. */
export function metricsPort(port: string): number {
  const n = Number(port);
  if (port.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new CliUsageError(`--metrics-port takes a port number, got '${port}'`);
  return n;
}

/** `--metrics-port` of `siddhi <command>`: GET /metrics answers `body()` (the Prometheus text format). */
export async function serveMetrics(command: string, port: string, body: () => string, io: CliIo): Promise<Server> {
  const n = metricsPort(port);
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new CliUsageError(`--metrics-port ${n}: cannot listen on 127.0.0.1 (${(err as NodeJS.ErrnoException).code ?? err.message})`)));
    server.listen(n, '127.0.0.1', resolve);
  });
  // Later errors (a failing connection) are reported, never thrown at the process.
  server.on('error', (err) => io.stderr.write(`siddhi ${command}: metrics server: ${err.message}\n`));
  io.stderr.write(`siddhi ${command}: metrics at http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics\n`);
  return server;
}

export function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
