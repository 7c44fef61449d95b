// `siddhi route app.siddhi --redis URL --partitions P` without --input: the
// app's own @source annotations (file, http, redis-stream, any registered
// type) run in the router, in an app of their own, and every event they
// deliver is routed. The sources' state (file offsets, stream ids) is stored
// with every send, so a restarted router resumes where its last send ended.
// Runs until SIGINT/SIGTERM (or io.waitForStop). Called by route-command.ts.

import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { SiddhiAppRuntime } from '../index.js';
import type { ClusterApp } from './cluster-app.js';
import { CliUsageError, EXIT, type CliIo } from './io.js';
import { isAppError } from './format-error.js';
import { waitForSignal } from './run-sources.js';

export interface RouteSourcesOptions {
  readonly batchSize: number;
  readonly tickEvery: number;
  /** How often what the sources delivered is sent (and the wall clock broadcast when events came). */
  readonly flushMs: number;
  readonly quiet: boolean;
}

/** A watermark goes to every partition at least this often while idle, so wall-clock timers fire in every partition. */
const IDLE_TICK_MS = 1_000;

export async function routeSources(opened: ClusterApp, options: RouteSourcesOptions, io: CliIo): Promise<number> {
  const { engine, broker, plan, name, text, app, file } = opened;
  const { Router, sourceApp } = await import('../cluster/index.js');
  const sourcesText = sourceApp(text, app);
  if (sourcesText === '') throw new CliUsageError('missing --input <events.jsonl>: the app has no @source to route from');
  let runtime: SiddhiAppRuntime;
  try {
    runtime = new engine.SiddhiManager().createSiddhiAppRuntime(sourcesText);
  } catch (err) {
    if (!isAppError(err)) throw err;
    io.stderr.write(`${file}: the app's sources: ${err.message}\n`);
    return EXIT.app;
  }
  runtime.onError((err) => io.stderr.write(`siddhi route: ${err.message}\n`));
  const router = new Router({
    broker, plan, batchSize: options.batchSize, tickEvery: options.tickEvery,
    input: `sources of ${resolve(file)}`,
    sources: {
      capture: () => Buffer.from(runtime.snapshot()).toString('base64'),
      restore: (state) => runtime.restore(new Uint8Array(Buffer.from(state, 'base64'))),
    },
    onRejected: (origin, message) => io.stderr.write(`${origin}: rejected event: ${message}\n`),
  });
  let delivered = 0;
  for (const stream of runtime.sources().map((s) => s.stream).filter((s, i, all) => all.indexOf(s) === i)) {
    runtime.addCallback(stream, (events) => {
      for (const e of events) router.push({ kind: 'event', stream, data: [...e.data], time: e.timestamp, origin: `source of '${stream}'` });
      delivered += events.length;
    });
  }
  const t0 = performance.now();
  try {
    // The sources' offsets come back before they start: a file source reads from its stored offset on.
    await router.open();
    runtime.start();
    await runtime.ready();
    if (!options.quiet) {
      const list = runtime.sources().map((s) => `${s.type} source of ${s.stream}${s.address ? ` at ${s.address}` : ''}`);
      io.stderr.write(`siddhi route: ${list.join(', ')} to ${plan.partitions} partitions of app '${name}'; stop with Ctrl-C\n`);
    }
    const stop = (io.waitForStop ?? waitForSignal)();
    let signal: string | undefined;
    void stop.then((s) => (signal = s));
    let ticked = { at: performance.now(), delivered };
    while (signal === undefined) {
      // The clock of a sourced app is the wall clock (as in 'siddhi run' with sources): it reaches idle partitions as watermarks.
      if (delivered !== ticked.delivered || performance.now() - ticked.at >= IDLE_TICK_MS) {
        router.tick(Date.now());
        ticked = { at: performance.now(), delivered };
      }
      await router.flush();
      await Promise.race([delay(options.flushMs), stop]);
    }
    runtime.shutdown();
    const result = await router.close();
    if (!options.quiet) {
      const s = (performance.now() - t0) / 1000;
      io.stderr.write(`siddhi route: ${signal}: ${result.events} events of app '${name}' routed (${delivered} in this run, ${s.toFixed(1)} s); ` +
        `per partition: ${result.perPartition.join(' ')}\n`);
    }
    return result.rejected > 0 ? EXIT.app : EXIT.ok;
  } finally {
    runtime.shutdown();
    await broker.close();
  }
}
