// Embedding siddhi-ts in a Node program: create a runtime, listen to an output
// stream, send events, checkpoint, and restore into a fresh runtime.
// Run with `npx tsx examples/embed.ts`. In your own project import from 'siddhi-ts'.

import { pathToFileURL } from 'node:url';
import { SiddhiManager, SiddhiError } from '../src/index.js';
import type { Event } from '../src/index.js';

const app = `
@app:name('PriceAlerts')
define stream Ticks (symbol string, price double);

@info(name = 'averages')
from Ticks#window.length(3)
select symbol, avg(price) as avgPrice
group by symbol
insert into Averages;

@info(name = 'alerts')
from Averages[avgPrice > 100.0]
select symbol, avgPrice
insert into Alerts;
`;

/** Runs the example; `log` receives every line it prints. */
export function main(log: (line: string) => void = console.log): void {
  const manager = new SiddhiManager();
  // Playback: the event timestamps drive the clock, so this run is deterministic.
  const runtime = manager.createSiddhiAppRuntime(app, { playback: true });
  const print = (events: Event[]): void => {
    for (const e of events) log(`${e.timestamp} ${JSON.stringify(e.data)}`);
  };
  runtime.addCallback('Alerts', print);
  runtime.onError((err) => log(`error: ${err.message}`));
  runtime.start();

  const ticks = runtime.getInputHandler('Ticks');
  ticks.send(['IBM', 98.0], 1000);
  ticks.send(['IBM', 104.0], 2000); // average 101 → alert
  const checkpoint = runtime.snapshot(); // window and averages, as bytes
  runtime.shutdown();

  // A new runtime (e.g. after a process restart) continues where the checkpoint left off.
  const resumed = manager.createSiddhiAppRuntime(app, { playback: true });
  resumed.addCallback('Alerts', print);
  resumed.start();
  resumed.restore(checkpoint);
  resumed.getInputHandler('Ticks').send(['IBM', 90.0], 3000); // average (98+104+90)/3 ≈ 97.3 → no alert
  resumed.getInputHandler('Ticks').send(['IBM', 110.0], 4000); // window 104, 90, 110 → 101.3 → alert

  // Bad events are rejected with a SiddhiEventError; the runtime keeps running.
  try {
    resumed.getInputHandler('Ticks').send(['IBM'], 5000);
  } catch (err) {
    if (!(err instanceof SiddhiError)) throw err;
    log(`rejected: ${err.code}`);
  }
  resumed.shutdown();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
