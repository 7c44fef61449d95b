// What the checkpoint manager can be told and what it reports: construction
// options, restore and persist options, per-checkpoint metrics. The app runtime
// passes these through its public API.

import type { CaptureMode } from './cell.js';
import type { Compression } from './compression.js';

export interface CheckpointManagerOptions {
  readonly appName: string;
  /** Identifies the app text, e.g. `fingerprintApp(text)` (or a function computing it when first needed); restores into another text are not strict. */
  readonly fingerprint: string | (() => string);
  /**
   * Id of the cell holding per-stream accepted event counts: its state is also
   * recorded in every checkpoint's header (read without decoding the cells).
   */
  readonly inputsCell?: string;
  readonly meta?: () => unknown;
  /** Wall clock for `createdAt` and revision ids; default Date.now. */
  readonly now?: () => number;
  /**
   * Default 'zstd' for persist() (smallest and fastest to durable in bench/);
   * snapshot() is synchronous, so it uses lz4 unless zstd is already loaded.
   * Unset, bodies under 4 KiB are stored uncompressed ('none': COMPRESSED_FROM in checkpoint-manager.ts).
   */
  readonly compression?: Compression;
  /** persist() writes a full checkpoint after this many deltas; default 10. */
  readonly fullEvery?: number;
  /** persist() writes a full checkpoint once the deltas' bytes exceed this share of the base; default 1. */
  readonly deltaRatio?: number;
  /** How many entries `metrics` keeps; default 20. */
  readonly metricsKept?: number;
}

export interface RestoreOptions {
  /** Restore the cells that match and report the rest, instead of refusing any mismatch. */
  readonly lenient?: boolean;
  /** Called after everything is validated, just before the first cell is restored. */
  readonly beforeApply?: () => void;
  /**
   * Restore only the partition keys this accepts (scale-out: each process takes
   * its share of the keys). Cells of other keys are listed in `report.leftOut`;
   * cells outside partitions restore as usual.
   */
  readonly keys?: (key: string) => boolean;
}

export interface PersistOptions {
  /** 'auto' (default) writes a delta unless the policy or a broken chain asks for a full one. */
  readonly mode?: CaptureMode | 'auto';
  readonly compression?: Compression;
}

/**
 * Timing and size of one checkpoint.
 *
 * @example
 * const last = runtime.checkpointMetrics().at(-1);
 * console.log(last?.mode, last?.pauseMs, last?.storedBytes);
 */
/** A cell's size in the newest checkpoint that carried it (a delta carries changed cells, as their delta). */
export interface CellSize {
  readonly bytes: number;
  readonly mode: CaptureMode;
  readonly revision: string;
}

export interface CheckpointMetric {
  readonly revision: string;
  readonly mode: CaptureMode;
  readonly via: 'snapshot' | 'persist';
  readonly cells: number;
  /** Capture and serialization: the time events were blocked. */
  readonly pauseMs: number;
  /** Until the bytes were ready (snapshot) or saved (persist). */
  readonly totalMs: number;
  readonly rawBytes: number;
  readonly storedBytes: number;
}
