// Test helper: the rows (timestamp first) that stream O gets for `sends` into
// stream S, with SIDDHI_KERNELS as given ('off' = the interpreted event path)
// while the runtime is planned, built and fed (a partition builds a key's
// instance at its first event, reading the setting then), put back after.

import { SiddhiManager, type SiddhiAppRuntime } from '../src/index.js';
import { plannedRuntime, withKernels } from './kernels.js';

export type Sends = [unknown[], number | undefined][];

export function rowsOf(app: string, sends: Sends, kernels?: 'off'): unknown[][] {
  return withKernels(kernels !== 'off', () => rowsFrom(new SiddhiManager().createSiddhiAppRuntime(app, { playback: true }), sends));
}

/** rowsOf from a runtime built from `app`'s plan for the setting, planned once (kernels.ts plannedRuntime): for property runs. */
export function plannedRowsOf(app: string, sends: Sends, kernels?: 'off'): unknown[][] {
  return withKernels(kernels !== 'off', () => rowsFrom(plannedRuntime(app, kernels !== 'off'), sends));
}

function rowsFrom(rt: SiddhiAppRuntime, sends: Sends): unknown[][] {
  const out: unknown[][] = [];
  rt.addCallback('O', (events) => out.push(...events.map((e) => [e.timestamp, ...e.data])));
  rt.start();
  const h = rt.getInputHandler('S');
  for (const [row, ts] of sends) h.send(row, ts);
  rt.shutdown();
  return out;
}
