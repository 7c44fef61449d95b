// Thin access to siddhi-ts for the benches: create a playback runtime (or a
// "skipped" verdict carrying the planner's reason) through the public API.

import { SiddhiManager } from '../../src/index.js';
import type { PersistenceStore, SiddhiAppRuntime } from '../../src/index.js';

export const S_DEF = 'define stream S (symbol string, price double, volume long);';
export const T_DEF = 'define stream T (symbol string, qty long);';

export type Created = { readonly runtime: SiddhiAppRuntime } | { readonly skipped: string };

const manager = new SiddhiManager();

/** Plans `app` in playback mode; a parse or plan error becomes `{ skipped: reason }`. */
export function tryCreateRuntime(app: string, store?: PersistenceStore): Created {
  try {
    return { runtime: manager.createSiddhiAppRuntime(app, { playback: true, ...(store ? { store } : {}) }) };
  } catch (e) {
    const err = e as Error;
    return { skipped: `${err.name}: ${err.message.split('\n')[0]}` };
  }
}

export function createRuntime(app: string, store?: PersistenceStore): SiddhiAppRuntime {
  const created = tryCreateRuntime(app, store);
  if ('skipped' in created) throw new Error(created.skipped);
  return created.runtime;
}

/** Sends rows [from, to) of S with their timestamps. */
export function sendRange(runtime: SiddhiAppRuntime, rows: readonly unknown[][], timestamps: ArrayLike<number>, from: number, to: number): void {
  const h = runtime.getInputHandler('S');
  for (let i = from; i < to; i++) h.send(rows[i]!, timestamps[i]!);
}
