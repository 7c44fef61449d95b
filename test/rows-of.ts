// Test helper: the rows (timestamp first) that stream O gets for `sends` into
// stream S, planned with SIDDHI_KERNELS as given ('off' = the interpreted event
// path) and the variable put back after planning.

import { SiddhiManager, type SiddhiAppRuntime } from '../src/index.js';
import { plannedRuntime, withKernels } from './kernels.js';

export type Sends = [unknown[], number | undefined][];

export function rowsOf(app: string, sends: Sends, kernels?: 'off'): unknown[][] {
  return rowsFrom(withKernels(kernels !== 'off', () => new SiddhiManager().createSiddhiAppRuntime(app, { playback: true })), sends);
}

/** rowsOf from a runtime built from `app`'s plan for the setting, planned once (kernels.ts plannedRuntime): for property runs. */
export function plannedRowsOf(app: string, sends: Sends, kernels?: 'off'): unknown[][] {
  return rowsFrom(plannedRuntime(app, kernels !== 'off'), sends);
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
