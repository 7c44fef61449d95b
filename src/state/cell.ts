// The state-cell contract: what a stateful operator hands the checkpoint
// manager. Cells return plain msgpack-able data; deltas live inside logged
// containers (logged-queue, logged-map), so the contract stays at two methods.

import type { CellMigrations } from './migrations.js';

export type CaptureMode = 'full' | 'delta';

export interface StateCell {
  /** Kind of operator state, e.g. 'window.length'; keys schema versions and migrations. */
  readonly kind: string;
  /** State schema version of this kind; bump it when the snapshot layout changes. */
  readonly version: number;
  /** Steps that bring older states of this kind up to date, keyed by the version they migrate from. */
  readonly migrations?: CellMigrations;
  /**
   * The state as plain data. In 'delta' mode, logged containers inside return
   * only what changed since the previous capture; everything else is whole.
   * Every capture (either mode) starts a new delta log.
   */
  capture(mode: CaptureMode): unknown;
  /**
   * Load state produced by `capture`: a full capture replaces the state, a delta
   * capture is applied on top of the state restored just before it.
   */
  restore(state: unknown): void;
  /**
   * Cells that list a partition's keys: `state` (one of a restore's states,
   * migrated) keeping only the keys `accept` takes, for a restore of a subset
   * of keys (RestoreOptions.keys).
   */
  subset?(state: unknown, accept: (key: string) => boolean): unknown;
}

/**
 * Cells that change only when their owner says so (a partition instance's:
 * only an event or a timer reaching the instance changes them). A delta
 * capture skips the group's cells while `changed` is false, and clears it.
 */
export interface CellGroup {
  changed: boolean;
}

/** Where operators register their cells; implemented by the checkpoint manager. */
export interface CellRegistry {
  /**
   * `signature` sums up what the state means (operator parameters, the schema
   * it stores, aggregators, group-by keys): a restore loads a cell only into a
   * cell of the same id, kind and signature.
   */
  register(id: string, cell: StateCell, signature?: string): void;
  unregister(id: string): void;
  /** Puts the registered cell `id` in `group` (partition instances: see CellGroup). */
  groupCell?(id: string, group: CellGroup): void;
  /** Cells under `prefix` are created on demand (partition instances); a restore hands them their state as they register. */
  declareScope?(prefix: string): void;
}

/** How a container turns its items into plain data and back. */
export interface ItemCodec<T> {
  encode(item: T): unknown;
  decode(raw: unknown): T;
}

export const IDENTITY_CODEC: ItemCodec<any> = {
  encode: (x) => x,
  decode: (x) => x,
};
