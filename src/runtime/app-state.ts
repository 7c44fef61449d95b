// The state a running app owns before any query is built: its clock and its
// checkpoint manager, with the runtime's own cells. The planner asks for it
// and builds the app's instances into it; it creates no state itself.

import { CheckpointManager, fingerprintApp, type Compression } from '../state/index.js';
import { clockCell, Scheduler } from './clock.js';

export interface AppStateOptions {
  readonly name: string;
  /** The app text, fingerprinted into every checkpoint. */
  readonly text: string;
  /** Playback: the clock's time before the first event. */
  readonly startTime: number;
  readonly compression?: Compression;
  readonly fullEvery?: number;
  readonly meta?: () => unknown;
}

export interface AppState {
  readonly scheduler: Scheduler;
  readonly checkpoints: CheckpointManager;
}

/** Id of the runtime's cell of accepted counts, whose state every checkpoint header repeats. */
export const INPUTS_CELL = '@inputs';

export function createAppState(o: AppStateOptions): AppState {
  const scheduler = new Scheduler(o.startTime);
  const checkpoints = new CheckpointManager({
    appName: o.name,
    fingerprint: () => fingerprintApp(o.text),
    inputsCell: INPUTS_CELL,
    ...(o.compression ? { compression: o.compression } : {}),
    ...(o.fullEvery ? { fullEvery: o.fullEvery } : {}),
    ...(o.meta ? { meta: o.meta } : {}),
  });
  // The runtime's own cells mean the same in every app: signed, so every checkpoint is compared by signatures.
  // (A restore loads '@' cells first whatever their position: checkpoint-manager.ts restoreOrder.)
  checkpoints.register('@clock', clockCell(scheduler), 'runtime');
  return { scheduler, checkpoints };
}
