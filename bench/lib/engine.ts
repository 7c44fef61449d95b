// Thin access to siddhi-ts for the benches: create a playback runtime (or a
// "skipped" verdict carrying the planner's reason), and reach the runtime's
// checkpoint manager for codec/mode choices the public API does not offer yet.

import { SiddhiManager } from '../../src/index.js';
import type { PersistenceStore, SiddhiAppRuntime } from '../../src/index.js';
import type { CheckpointManager } from '../../src/state/index.js';

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

/**
 * The runtime's CheckpointManager. `runtime.persist()` always uses the
 * manager's defaults (lz4, auto mode); the benches need to pick codec and
 * full/delta, so they reach the private `parts` field. See bench/README.md.
 */
export function checkpointsOf(runtime: SiddhiAppRuntime): CheckpointManager {
  const parts = (runtime as unknown as { parts?: { checkpoints?: CheckpointManager } }).parts;
  if (!parts?.checkpoints) throw new Error('cannot reach the runtime checkpoint manager (SiddhiAppRuntime.parts.checkpoints)');
  return parts.checkpoints;
}

/** Sends rows [from, to) of S with their timestamps. */
export function sendRange(runtime: SiddhiAppRuntime, rows: readonly unknown[][], timestamps: ArrayLike<number>, from: number, to: number): void {
  const h = runtime.getInputHandler('S');
  for (let i = from; i < to; i++) h.send(rows[i]!, timestamps[i]!);
}
