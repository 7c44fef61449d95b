// What a key instance keeps while its router may skip rows for it (the rows
// no state of its pattern could take, skip-test.ts): the latest row time and
// the skipped row it has not caught up with. One object, made only for keys
// that skip, so the other keys pay one field; the times the router reads and
// writes on every row sit in the partition's SkipTable. Used by key-instance.ts.

import { droppedChunkError } from '../../junction.js';
import { markChanged, type CellGroup, type ChangeLog } from '../../../state/cell.js';
import type { StreamNode } from '../pattern/stream-node.js';
import type { InstanceShared, KeyInstance } from './key-instance.js';

/** What a RowSkip calls on the key's pattern (PatternSide), and the stream it skips rows of. */
export interface RowSkipSide {
  readonly settle: (timestamp: number) => void;
  readonly latestStart: () => number;
  readonly stream: string;
  /** PatternSide.states: the router's skip test reads keyed ones (skip-test.ts). */
  readonly states: readonly StreamNode[];
}

/**
 * The times of every skipping key of a partition, in arrays indexed by the
 * key's slot: the router's test and skip (most rows of a selective pattern)
 * read the key instance's first fields and these arrays, no other object of
 * the key. As fields of a per-key object the times were boxed doubles (V8
 * keeps a non-integer field in a number object of its own): each row read
 * the instance, its RowSkip and three such boxes, scattered over 100 keys.
 */
export class SkipTable {
  /** Per slot: RowSkip.latest (see there). */
  latest = new Float64Array(16);
  /** Per slot: RowSkip's newest row time. */
  newest = new Float64Array(16);
  /** Per slot: the time of the last skipped row not yet caught up with (-Infinity: none). */
  settleAt = new Float64Array(16);
  /** Per slot: 1 while the key is in `unsettled` (once, until the next capture settles the list); the router reads it on every kept row. */
  listed = new Uint8Array(16);
  /** Per slot: 1 from a restore until a row reaches the key's states (RowSkip.restored). */
  private restored = new Uint8Array(16);
  /** Per slot: the key's states (PatternSide.states), which the router's skip test may read as `n` (skip-test.ts). */
  states: (readonly StreamNode[] | undefined)[] = new Array<undefined>(16).fill(undefined);
  private owners: (RowSkip | undefined)[] = new Array<undefined>(16).fill(undefined);
  /** Slots of dropped keys, taken again before new ones. */
  private readonly free: number[] = [];
  private used = 0;
  /** Keys that skipped rows since they last caught up: a capture settles them first (settlePending). */
  private unsettled: RowSkip[] = [];
  /** The list's length at which dropped keys are taken out of it (purged keys, between captures). */
  private compactAt = 1024;

  constructor(private readonly changes: ChangeLog) {}

  /** A slot for `owner`, its times as a key that has seen no row. */
  alloc(owner: RowSkip, states: readonly StreamNode[]): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      if (this.used === this.latest.length) this.grow();
      slot = this.used++;
    }
    this.latest[slot] = -Infinity;
    this.newest[slot] = -Infinity;
    this.settleAt[slot] = -Infinity;
    this.listed[slot] = 0;
    this.restored[slot] = 0;
    this.owners[slot] = owner;
    this.states[slot] = states;
    return slot;
  }

  /** The key was dropped: its RowSkip may still be listed, but settles nothing (RowSkip.settle asks whether it is alive). */
  release(slot: number): void {
    this.owners[slot] = undefined;
    this.states[slot] = undefined;
    this.free.push(slot);
  }

  /**
   * The router kept a row of the key in `slot` (no state could take it, and
   * it is not older than any row before) and wrote its time into `latest`,
   * `newest` and `settleAt` itself (routers.ts: a call here would box the
   * time on every kept row). Its only effect would have been to move the
   * matches on to that time; the next row delivered does that too, unless it
   * is older: then noteRow catches up first, as a capture does. The router
   * calls this only while the key is not listed: listing marks the key's
   * instance (`group`) changed, and until a capture or a late row settles it
   * (unlisting it), the key stays marked in the change log's epoch.
   */
  list(slot: number, group: CellGroup): void {
    this.listed[slot] = 1;
    if (this.unsettled.push(this.owners[slot]!) >= this.compactAt) this.compact();
    markChanged(this.changes, group);
  }

  /**
   * A row at `timestamp` reaches the states of the key in `slot`. One older
   * than rows before (late) first meets the matches as a skipped row left
   * them; the next row is not skipped: a match the late row started may start
   * before pending ones, and the next row's stabilize puts it behind them
   * (where expiry from the front spares it), whereas after a skip the row
   * after would scan it as new. Once that row is past, expiry from the front
   * drops the same whether rows in time order were skipped or not. Here, not
   * on RowSkip: a delivered row reads the table, not the key's RowSkip.
   */
  noteRow(slot: number, timestamp: number): void {
    if (this.restored[slot] !== 0) this.owners[slot]!.resume();
    if (timestamp >= this.newest[slot]!) {
      this.newest[slot] = timestamp;
      this.latest[slot] = timestamp;
      // Delivered at or after the pending time: its own stabilize moves the matches at least as far.
      this.settleAt[slot] = -Infinity;
      return;
    }
    if (this.settleAt[slot]! > timestamp) this.owners[slot]!.settle();
    this.latest[slot] = Infinity;
  }

  /** RowSkip.restored: no skips for the key in `slot` until a row reaches its states (noteRow). */
  markRestored(slot: number): void {
    this.settleAt[slot] = -Infinity;
    this.latest[slot] = Infinity;
    this.restored[slot] = 1;
  }

  /** RowSkip.resume: the key in `slot` takes rows in time order from `start` on. */
  resumeAt(slot: number, start: number): void {
    this.restored[slot] = 0;
    this.newest[slot] = start;
    this.latest[slot] = start;
  }

  /** Catches up every key that skipped rows since it last ran (before a capture, so checkpoints hold what every row did). */
  settlePending(): void {
    const list = this.unsettled;
    for (let i = 0; i < list.length; i++) list[i]!.settle();
    list.length = 0;
  }

  /** RowSkip.settle: the key in `slot` is no longer listed. */
  unlist(slot: number): void {
    this.listed[slot] = 0;
  }

  /** Takes dropped keys (purged) out of the list, which so stays within about twice the live ones between captures. */
  private compact(): void {
    const list = this.unsettled;
    let w = 0;
    for (let r = 0; r < list.length; r++) if (list[r]!.alive) list[w++] = list[r]!;
    list.length = w;
    this.compactAt = Math.max(1024, 2 * w);
  }

  private grow(): void {
    const n = 2 * this.latest.length;
    this.latest = widened(this.latest, n);
    this.newest = widened(this.newest, n);
    this.settleAt = widened(this.settleAt, n);
    this.listed = widened(this.listed, n);
    this.restored = widened(this.restored, n);
    const owners = new Array<RowSkip | undefined>(n).fill(undefined);
    const states = new Array<readonly StreamNode[] | undefined>(n).fill(undefined);
    for (let i = 0; i < this.owners.length; i++) {
      owners[i] = this.owners[i];
      states[i] = this.states[i];
    }
    this.owners = owners;
    this.states = states;
  }
}

/** A copy of `a` with room for `n` slots (the new ones zero). */
function widened<T extends Float64Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as new (length: number) => T)(n);
  b.set(a);
  return b;
}

export class RowSkip {
  /**
   * The key's place in the partition's SkipTable, which holds its times and
   * whether its states were restored from a checkpoint with no row reaching
   * them since: then the time of the key's latest row is not known, so the
   * router skips nothing (latest is +Infinity) until SkipTable.noteRow takes
   * the latest start among the restored matches for it (resume).
   */
  readonly slot: number;
  private readonly table: SkipTable;

  /** The pattern side's settle (PatternSide): expiry and pending lists at a time. */
  private readonly settler: (timestamp: number) => void;
  /** The pattern side's latestStart (PatternSide): the latest start among the key's matches. */
  private readonly latestStart: () => number;
  /** The stream the key's rows come from (for errors). */
  private readonly stream: string;

  constructor(
    private readonly owner: KeyInstance,
    private readonly shared: InstanceShared,
    side: RowSkipSide,
  ) {
    this.settler = side.settle;
    this.latestStart = side.latestStart;
    this.stream = side.stream;
    this.table = shared.skips;
    this.slot = this.table.alloc(this, side.states);
  }

  /**
   * The router may skip the key's rows at or after this time: the latest
   * row's, or +Infinity from a late row until a row in time order reaches the
   * states (noteRow), and from a restore until a row reaches them (restored).
   */
  get latest(): number {
    return this.table.latest[this.slot]!;
  }

  /** Moves the matches on to the last skipped row's time, if one is still pending. */
  settle(): void {
    // A dropped key's slot may be another key's by now.
    if (!this.owner.alive) return;
    const t = this.table;
    const slot = this.slot;
    t.unlist(slot);
    const at = t.settleAt[slot]!;
    if (at === -Infinity) return;
    t.settleAt[slot] = -Infinity;
    try {
      this.settler(at);
    } catch (e) {
      this.shared.report(droppedChunkError(this.stream, e), '');
    }
  }

  /** The key's state is about to be replaced (a restore): nothing to catch up with, and no skips until a row reaches the states (noteRow). */
  restored(): void {
    this.table.markRestored(this.slot);
  }

  /**
   * The first row after a restore: the restored matches count as rows seen at
   * their latest start. A row older than that is late (noteRow); one at or
   * after it follows every restored match's start, as a row in time order
   * does, so later rows no state could take may be skipped again. Rows between
   * that start and the key's latest row before the checkpoint (not kept in it)
   * start matches no earlier than the restored ones, which is what a skip
   * needs (skip-test.ts).
   */
  resume(): void {
    this.table.resumeAt(this.slot, this.latestStart());
  }

  /** The key was dropped: its slot goes back to the table. */
  release(): void {
    this.table.release(this.slot);
  }

  get alive(): boolean {
    return this.owner.alive;
  }
}
