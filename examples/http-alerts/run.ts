// Runs examples/http-alerts/alerts.siddhi: an http source, a JavaScript
// function, a fault stream and log sinks. `npx tsx examples/http-alerts/run.ts`,
// then: curl -X POST -d '{"event":{"symbol":"IBM","price":120.5,"volume":300}}' http://127.0.0.1:8280/stocks

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { SiddhiManager, type IoLogger, type SiddhiAppRuntime } from '../../src/index.js';

export const APP = readFileSync(new URL('./alerts.siddhi', import.meta.url), 'utf8');

/** Starts the app; `port` 0 picks a free one (see runtime.sources()[0].address). */
export async function startHttpAlerts(options: { port?: number; logger?: IoLogger } = {}): Promise<SiddhiAppRuntime> {
  const manager = new SiddhiManager(options.logger ? { logger: options.logger } : {});
  manager.setFunction('risk:score', {
    returnType: 'double',
    parameters: ['double', 'long'],
    fn: (price: number, volume: number) => {
      if (price <= 0) throw new Error(`price must be positive, got ${price}`);
      return (price * Math.log10(Math.max(volume, 1))) / 5;
    },
  });
  const text = options.port === undefined ? APP : APP.replace(':8280/', `:${options.port}/`);
  const runtime = manager.createSiddhiAppRuntime(text);
  runtime.start();
  await runtime.ready();
  return runtime;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const runtime = await startHttpAlerts();
  console.log(`listening at ${runtime.sources()[0]!.address}; Ctrl-C stops`);
  process.once('SIGINT', () => runtime.shutdown());
}
