// The groups of the batch a `timeBatch` window is collecting, aggregated as
// rows arrive, so a flush costs O(groups) instead of two aggregator steps per
// row. A cache, never state: the window's columns and the selector's groups
// stay the state, and the flush falls back to the row-by-row path whenever
// the cache does not cover the whole batch (a restore, rows that came by the
// chunk path). Used by aggregate-kernel.ts.

import type { Row } from '../event.js';
import type { EventQueue } from '../event-queue.js';
import type { AggregateStore, AggregatorSlot, GroupState } from '../operators/selector-groups.js';
import type { TimeBatchWindow } from '../operators/time-batch-window.js';

/** One group of the batch: its aggregates and the batch position of its last row. */
export interface PendingGroup extends GroupState {
  readonly key: string;
  last: number;
}

export class BatchPreAggregate {
  /** In order of first appearance in the batch, as the selector emits groups. */
  private groups = new Map<string, PendingGroup>();
  private rows = 0;
  /** The window cell's restore count the cache started from. */
  private restores: number;
  private readonly slots: readonly AggregatorSlot[];

  constructor(
    private readonly window: TimeBatchWindow,
    private readonly groupKey: ((row: Row) => string) | undefined,
    aggregates: AggregateStore,
  ) {
    this.slots = aggregates.slots;
    this.restores = window.cell.restores;
  }

  /** Whether the fast flush applies: every slot's removal undoes its addition and rows are collected (not streamed). */
  static fits(window: TimeBatchWindow, aggregates: AggregateStore): boolean {
    return !aggregates.forever && !window.options.streamCurrent;
  }

  /** The row just appended to the window's batch (at its last position). */
  arrive(row: Row): void {
    const g = this.group(this.groupKey !== undefined ? this.groupKey(row) : '');
    const slots = this.slots;
    const s = g.s;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      s[i] = slot.kind.add(s[i], slot.arg ? slot.arg(row) : null);
    }
    this.added(g);
  }

  /** The pending group of `key` for a row just appended (generated steps add to its states, then call added()). */
  group(key: string): PendingGroup {
    if (this.window.cell.restores !== this.restores) this.drop();
    let g = this.groups.get(key);
    if (g === undefined) {
      g = { key, n: 0, s: this.slots.map((x) => x.kind.init()), last: 0, logged: -1 };
      this.groups.set(key, g);
    }
    return g;
  }

  /** Counts the appended row in `g` once its states were added to. */
  added(g: PendingGroup): void {
    g.n++;
    g.last = this.window.cell.current.length - 1;
    this.rows++;
  }

  /**
   * The batch's groups when the cache holds all of `current` and the
   * selector's groups hold exactly the expiring batch (so expiring it empties
   * every group, as the row-by-row path would); undefined otherwise. The
   * cache starts over either way.
   */
  take(current: EventQueue, expired: EventQueue, held: AggregateStore): Iterable<PendingGroup> | undefined {
    const complete = this.rows === current.length && this.window.cell.restores === this.restores;
    const groups = this.groups;
    this.drop();
    if (!complete || countRows(held) !== expired.length) return undefined;
    return groups.values();
  }

  private drop(): void {
    this.groups = new Map();
    this.rows = 0;
    this.restores = this.window.cell.restores;
  }
}

function countRows(store: AggregateStore): number {
  let n = 0;
  for (const g of store.cell.groups.values()) n += g.n;
  return n;
}
