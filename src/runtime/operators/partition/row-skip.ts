// What a key instance keeps while its router may skip rows for it (the rows
// no state of its pattern could take, skip-test.ts): the latest row time and
// the skipped row it has not caught up with. One object, made only for keys
// that skip, so the other keys pay one field. Used by key-instance.ts.

import { droppedChunkError } from '../../junction.js';
import { markChanged } from '../../../state/cell.js';
import type { InstanceShared, KeyInstance } from './key-instance.js';

/** What a RowSkip calls on the key's pattern (PatternSide), and the stream it skips rows of. */
export interface RowSkipSide {
  readonly settle: (timestamp: number) => void;
  readonly latestStart: () => number;
  readonly stream: string;
}

export class RowSkip {
  /**
   * The router may skip the key's rows at or after this time: the latest
   * row's, or +Infinity from a late row until a row in time order reaches the
   * states (noteRow), and from a restore until a row reaches them (restored).
   */
  latest = -Infinity;
  /**
   * The latest timestamp of a row routed to the key (delivered or skipped);
   * from the first row after a restore on, the latest start among the
   * restored matches stands in for the rows before it (resume).
   */
  private newest = -Infinity;
  /** The time of the last skipped row not yet caught up with (-Infinity: none). */
  private settleAt = -Infinity;
  /** In `shared.unsettled` (once, until the next capture settles the list). */
  private listed = false;
  /**
   * The key's states were restored from a checkpoint and no row has reached
   * them since: the time of the key's latest row is not known, so the router
   * skips nothing (latest is +Infinity) until noteRow takes the latest start
   * among the restored matches for it.
   */
  private fromCheckpoint = false;

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
  }

  /**
   * The router kept a row at `timestamp` (no state could take it, and it is
   * not older than any row before). Its only effect would have been to move
   * the matches on to `timestamp`; the next row delivered does that too,
   * unless it is older: then noteRow catches up first, as a capture does.
   */
  skip(timestamp: number): void {
    this.latest = timestamp;
    this.newest = timestamp;
    this.settleAt = timestamp;
    if (!this.listed) {
      this.listed = true;
      const shared = this.shared;
      if (shared.unsettled.push(this) >= shared.compactAt) compactUnsettled(shared);
    }
    markChanged(this.shared.changes, this.owner);
  }

  /** Moves the matches on to the last skipped row's time, if one is still pending. */
  settle(): void {
    this.listed = false;
    const at = this.settleAt;
    if (at === -Infinity) return;
    this.settleAt = -Infinity;
    if (!this.owner.alive) return;
    try {
      this.settler(at);
    } catch (e) {
      this.shared.report(droppedChunkError(this.stream, e), '');
    }
  }

  /**
   * A row at `timestamp` reaches the key's states. One older than rows
   * before (late) first meets the matches as a skipped row left them; the
   * next row is not skipped: a match the late row started may start before
   * pending ones, and the next row's stabilize puts it behind them (where
   * expiry from the front spares it), whereas after a skip the row after
   * would scan it as new. Once that row is past, expiry from the front drops
   * the same whether rows in time order were skipped or not.
   */
  noteRow(timestamp: number): void {
    if (this.fromCheckpoint) this.resume();
    if (timestamp >= this.newest) {
      this.newest = timestamp;
      this.latest = timestamp;
      // Delivered at or after the pending time: its own stabilize moves the matches at least as far.
      this.settleAt = -Infinity;
      return;
    }
    if (this.settleAt > timestamp) this.settle();
    this.latest = Infinity;
  }

  /** The key's state is about to be replaced (a restore): nothing to catch up with, and no skips until a row reaches the states (noteRow). */
  restored(): void {
    this.settleAt = -Infinity;
    this.latest = Infinity;
    this.fromCheckpoint = true;
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
  private resume(): void {
    this.fromCheckpoint = false;
    const start = this.latestStart();
    this.newest = start;
    this.latest = start;
  }

  get alive(): boolean {
    return this.owner.alive;
  }
}

/** Catches up every key that skipped rows since it last ran (before a capture, so checkpoints hold what every row did). */
export function settlePending(shared: InstanceShared): void {
  const list = shared.unsettled;
  for (let i = 0; i < list.length; i++) list[i]!.settle();
  list.length = 0;
}

/** Takes dropped keys (purged) out of the list, which so stays within about twice the live ones between captures. */
function compactUnsettled(shared: InstanceShared): void {
  const list = shared.unsettled;
  let w = 0;
  for (let r = 0; r < list.length; r++) if (list[r]!.alive) list[w++] = list[r]!;
  list.length = w;
  shared.compactAt = Math.max(1024, 2 * w);
}
