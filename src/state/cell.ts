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
   * Every capture (either mode) starts a new delta log, except one inside
   * `keepingLogs` (containers and cells that log changes ask `logsKept()`).
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
  /**
   * False when a captured state (the last of its sequence, not migrated) cannot
   * be loaded into this cell although kind and signature match: a form the
   * cell chose after planning. Asked before anything is restored, so such a
   * cell counts as changed instead of failing halfway.
   */
  fits?(state: unknown): boolean;
}

let kept = false;

/**
 * Runs `take`, whose captures leave every delta log as it is: the next
 * capture's delta still holds what changed before them. The checkpoint
 * manager's dry capture at start: restored cells keep in their logs what the
 * start hooks ('at start' triggers) changed.
 */
export function keepingLogs<T>(take: () => T): T {
  const was = kept;
  kept = true;
  try {
    return take();
  } finally {
    kept = was;
  }
}

/** Whether a capture now must leave its delta log (and what it compares against) as it is. */
export function logsKept(): boolean {
  return kept;
}

/**
 * Cells that change only when their owner says so (a partition instance's:
 * only an event or a timer reaching the instance changes them). The owner
 * calls `markChanged` on each change; a delta capture visits only the groups
 * listed since the previous capture, so its pause follows the keys touched,
 * not the keys alive.
 */
export interface CellGroup {
  /** The change-log epoch the group was last listed in (0: never); written by markChanged. */
  changedIn: number;
  /** Ids of the group's cells, as registered. */
  cellIds(): readonly string[];
}

/** The groups changed since the last capture; the checkpoint manager starts a new epoch with each capture. */
export class ChangeLog {
  epoch = 1;
  groups: CellGroup[] = [];

  /** Starts a new epoch: returns the groups listed in the one ending. */
  next(): CellGroup[] {
    const listed = this.groups;
    this.groups = [];
    this.epoch++;
    return listed;
  }
}

/** Lists `group` once per epoch: a comparison per change, a push on the first one after a capture. */
export function markChanged(log: ChangeLog, group: CellGroup): void {
  if (group.changedIn !== log.epoch) {
    group.changedIn = log.epoch;
    log.groups.push(group);
  }
}

/**
 * What a cell's state means, or a function computing it on first call (the
 * registry asks only when a checkpoint is taken or restored).
 */
export type CellSignature = string | (() => string);

/** The signature's text. */
export function signatureText(signature: CellSignature): string {
  return typeof signature === 'function' ? signature() : signature;
}

/** Where operators register their cells; implemented by the checkpoint manager. */
export interface CellRegistry {
  /**
   * `signature` sums up what the state means (operator parameters, the schema
   * it stores, aggregators, group-by keys): a restore loads a cell only into a
   * cell of the same id, kind and signature.
   */
  register(id: string, cell: StateCell, signature?: CellSignature): void;
  unregister(id: string): void;
  /** Puts the registered cell `id` in `group` (partition instances: see CellGroup); its owner marks changes in `changes`. */
  groupCell?(id: string, group: CellGroup): void;
  /** Where groups are marked changed (markChanged); absent: the registry captures every cell each time. */
  readonly changes?: ChangeLog;
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
