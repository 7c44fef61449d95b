// The public API of siddhi-ts: SiddhiManager creates app runtimes from
// SiddhiQL text; runtimes take events, call back with results, and
// checkpoint their whole state.

import { parseApp } from './parser/index.js';
import { planApp } from './plan/plan-app.js';
import type { SiddhiAppRuntime } from './runtime/app-runtime.js';
import type { PersistenceStore } from './state/index.js';

export type { SiddhiAppRuntime, ErrorHandler } from './runtime/app-runtime.js';
export type { Event, StreamCallback } from './runtime/junction.js';
export type { QueryCallback } from './runtime/operators/query-callback.js';
export type { InputHandler } from './runtime/input-handler.js';
export type { App } from './ast/index.js';
import type { Compression } from './state/index.js';
export type { PersistenceStore, RestoreReport, CheckpointMetric, Compression } from './state/index.js';
export { parseDuration } from './plan/duration.js';
export { InMemoryStore, FileStore } from './state/index.js';
/** Reading checkpoint files without a runtime (used by `siddhi checkpoints`). */
export { decodeCheckpoint, readCheckpointHeader } from './state/index.js';
export type { CheckpointHeader, DecodedCheckpoint } from './state/index.js';
export {
  SiddhiError, SiddhiParseError, SiddhiPlanError, SiddhiRuntimeError, SiddhiEventError, SiddhiStateError,
} from './errors.js';
export { parseApp };

/**
 * Options of `createSiddhiAppRuntime`.
 *
 * @example
 * manager.createSiddhiAppRuntime(appText, { playback: true, checkpoint: { interval: 1000, compression: 'zstd' } });
 */
export interface RuntimeOptions {
  /**
   * Playback mode: event timestamps drive the clock and `advanceTime()` fires
   * timers, so replays are deterministic. Default: `@app:playback` in the app, else false.
   */
  readonly playback?: boolean;
  /**
   * Playback: the clock's time before the first event; periodic triggers and
   * `output … every T` count from it. Default 0 — set it near the first event
   * when event times are epoch milliseconds.
   */
  readonly startTime?: number;
  /** Where `persist()` writes and `restoreLastRevision()` reads; default in-memory. */
  readonly store?: PersistenceStore;
  /**
   * Checkpoint policy; overrides `@app:checkpoint(interval='1 sec', mode='incremental', codec='zstd')`.
   * `meta` is recorded with each checkpoint and returned in the restore report.
   */
  readonly checkpoint?: {
    readonly interval?: number;
    readonly mode?: 'incremental' | 'full';
    readonly compression?: Compression;
    readonly fullEvery?: number;
    readonly meta?: () => unknown;
  };
}

/**
 * Creates app runtimes.
 *
 * @example
 * const manager = new SiddhiManager();
 * const runtime = manager.createSiddhiAppRuntime(
 *   "define stream S (symbol string, price double); from S[price > 10] select symbol insert into Out;",
 *   { playback: true });
 * runtime.addCallback('Out', (events) => console.log(events));
 * runtime.start();
 * runtime.getInputHandler('S').send(['IBM', 75.6], 1000);
 */
export class SiddhiManager {
  private readonly store: PersistenceStore | undefined;

  /** @param options.store a persistence store shared by the runtimes this manager creates. */
  constructor(options: { store?: PersistenceStore } = {}) {
    this.store = options.store;
  }

  /**
   * Parses and plans an app; throws SiddhiParseError or SiddhiPlanError with
   * line, column and a hint when the app is malformed.
   *
   * @example
   * const runtime = new SiddhiManager().createSiddhiAppRuntime(appText, { playback: true });
   */
  createSiddhiAppRuntime(appText: string, options: RuntimeOptions = {}): SiddhiAppRuntime {
    const store = options.store ?? this.store;
    return planApp(parseApp(appText), {
      text: appText,
      ...(options.playback !== undefined ? { playback: options.playback } : {}),
      ...(options.startTime !== undefined ? { startTime: options.startTime } : {}),
      ...(store ? { store } : {}),
      ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
    });
  }

  /**
   * Checks an app without running it; throws the same errors as createSiddhiAppRuntime.
   *
   * @example
   * new SiddhiManager().validateSiddhiApp('define stream S (a int); from S select a insert into O;');
   */
  validateSiddhiApp(appText: string): void {
    this.createSiddhiAppRuntime(appText, { playback: true }).shutdown();
  }
}
