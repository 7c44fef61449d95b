// The open batch of a `timeBatch` window whose query emits only each group's
// aggregates and last row (see kernel/group-batches.ts): per group key its
// aggregator states, row count and last row, instead of every row. It is the
// window's state in that mode, fused or not (the fused step adds to it
// inline). A flush hands the groups to the selector's group cell, which then
// holds exactly the emitted batch, and emits what the selector would.

import { SiddhiStateError } from '../../errors.js';
import { CURRENT, StreamEvent } from '../event.js';
import type { EventQueue } from '../event-queue.js';
import type { Processor } from '../processor.js';
import { type AggregateStore, type GroupState, loadState, saveState } from './selector-groups.js';
import type { SelectorConfig } from './selector.js';

/** One group of the open batch; goes into the selector's group cell as it is at the flush. */
export interface PendingGroup extends GroupState {
  readonly key: string;
  /** The group's last row: its timestamp and a copy of its data. */
  ts: number;
  readonly row: unknown[];
}

/** Captured form: rows of the open batch, of the emitted batch, and each group `[key, n, states, ts, row]`. */
export interface BatchGroupsCapture {
  readonly rows: number;
  readonly emitted: number;
  readonly groups: readonly (readonly [string, number, unknown[], number, unknown[]])[];
}

export class BatchGroups {
  /** In order of first appearance in the batch, as the selector emits groups. */
  private groups = new Map<string, PendingGroup>();
  /** Rows in the open batch (the window counts them as they arrive). */
  rows = 0;
  /** Rows of the batch last emitted, whose aggregates the selector's groups hold until the next flush. */
  emitted = 0;
  private readonly aggregates: AggregateStore;
  private readonly config: SelectorConfig;
  /** The last row of a group as the projections read it. */
  private readonly last = new StreamEvent(0, [], CURRENT);

  constructor(
    private readonly selector: { readonly config: SelectorConfig; readonly next: Processor },
    private readonly width: number,
  ) {
    this.config = selector.config;
    this.aggregates = this.config.aggregates!;
  }

  /** True when the window holds nothing: no open batch, nothing emitted to expire. */
  get idle(): boolean {
    return this.rows === 0 && this.emitted === 0;
  }

  /** The group of `key` in the open batch (generated steps add to its states, then call added()). */
  group(key: string): PendingGroup {
    let g = this.groups.get(key);
    if (g === undefined) {
      g = { key, n: 0, s: this.aggregates.slots.map((x) => x.kind.init()), logged: -1, ts: 0, row: new Array<unknown>(this.width) };
      this.groups.set(key, g);
    }
    return g;
  }

  /** Counts the row `d` at `ts` in `g` once its states were added to, and keeps it as the group's last. */
  added(g: PendingGroup, ts: number, d: readonly unknown[]): void {
    g.n++;
    g.ts = ts;
    const row = g.row;
    for (let i = 0; i < row.length; i++) row[i] = d[i];
  }

  /** One arriving row on the operators' path: its group's states, count and last row. */
  arrive(row: StreamEvent): void {
    const c = this.config;
    const g = this.group(c.groupKey !== undefined ? c.groupKey(row) : '');
    const slots = this.aggregates.slots;
    const s = g.s;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      s[i] = slot.kind.add(s[i], slot.arg ? slot.arg(row) : null);
    }
    this.added(g, row.timestamp, row.data);
  }

  /**
   * The flush: the emitted batch expires (emptying every group, as its rows'
   * removal would) and the open batch's groups take its place; returns what
   * to emit once the window has moved on: each group's last row, in order of
   * first appearance.
   */
  flush(): () => void {
    const held = this.aggregates.cell.groups;
    if (held.size > 0) held.clear();
    const groups = this.groups;
    this.groups = new Map();
    this.emitted = this.rows;
    this.rows = 0;
    if (groups.size === 0) return NOTHING;
    const c = this.config;
    const row = this.last;
    const events: StreamEvent[] = [];
    const keys: string[] = [];
    for (const g of groups.values()) {
      held.set(g.key, g);
      row.timestamp = g.ts;
      (row as { data: unknown[] }).data = g.row;
      this.aggregates.loadFrom(g);
      const p = c.projections;
      const data = new Array<unknown>(p.length);
      for (let i = 0; i < p.length; i++) data[i] = p[i]!(row);
      c.frame.out = data;
      events.push(new StreamEvent(g.ts, data, CURRENT));
      keys.push(g.key);
    }
    const grouped = c.groupKey !== undefined;
    return () => this.selector.next.process(events, grouped ? keys : undefined);
  }

  capture(): BatchGroupsCapture {
    const slots = this.aggregates.slots;
    const groups = [...this.groups.values()].map((g) => [g.key, g.n, g.s.map((st, i) => saveState(slots[i]!.kind, st)), g.ts, g.row.slice()] as const);
    return { rows: this.rows, emitted: this.emitted, groups };
  }

  /** The captured groups have this query's aggregator count and row width. */
  fits(state: BatchGroupsCapture): boolean {
    const slots = this.aggregates.slots.length;
    return state.groups.every(([, , s, , row]) => s.length === slots && row.length === this.width);
  }

  restore(state: BatchGroupsCapture): void {
    const slots = this.aggregates.slots;
    this.groups = new Map();
    for (const [key, n, s, ts, row] of state.groups) {
      // Checked before any cell is restored (fits); kept as a guard.
      if (s.length !== slots.length || row.length !== this.width) throw new SiddhiStateError(`timeBatch group '${key}' does not fit this query's aggregates or schema`);
      this.groups.set(key, { key, n, s: s.map((st, i) => loadState(slots[i]!.kind, st)), logged: -1, ts, row: [...row] });
    }
    this.rows = state.rows;
    this.emitted = state.emitted;
  }

  /** Takes over a batch kept as rows (a checkpoint of the window storing every row): the open batch's rows are aggregated, the emitted ones counted. */
  fold(current: EventQueue, expired: EventQueue): void {
    this.groups = new Map();
    for (const e of current) this.arrive(e);
    this.rows = current.length;
    this.emitted = expired.length;
    current.clear();
    expired.clear();
  }
}

const NOTHING = (): void => {};
