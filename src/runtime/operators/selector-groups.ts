// Aggregator state of a selector: per group key (one '' key without group by)
// the running state of every aggregator slot, in a LoggedMap so incremental
// checkpoints ship only the groups that changed. Used by selector.ts.

import type { CaptureMode, ItemCodec, StateCell } from '../../state/cell.js';
import { LoggedMap, type MapCapture, type Stamped } from '../../state/logged-map.js';
import type { AggregatorKind } from '../aggregators/index.js';
import { CURRENT, type Row } from '../event.js';

/** One aggregator call in a selector: its kind and its (single) argument, if any. */
export interface AggregatorSlot {
  readonly kind: AggregatorKind;
  readonly arg: ((row: Row) => unknown) | undefined;
  /** The argument as source over the row's data `d` (see CompiledExpression.js). */
  readonly argSource?: string;
}

/** Net event count (adds − removes) and one state per slot; `logged` is the map's change stamp (not state). */
export interface GroupState extends Stamped {
  n: number;
  readonly s: unknown[];
}

/**
 * What compiled selector expressions read while one row is processed:
 * aggregator values of the row's group, and the projected output (for `having`).
 */
export interface SelectorFrame {
  readonly values: unknown[];
  out: unknown[];
}

export class AggregateCell implements StateCell {
  readonly version = 1;
  readonly groups: LoggedMap<string, GroupState>;

  constructor(
    readonly kind: 'selector.groupBy' | 'selector.aggregates',
    slots: readonly AggregatorSlot[],
  ) {
    this.groups = new LoggedMap<string, GroupState>(groupCodec(slots));
  }

  capture(mode: CaptureMode): unknown {
    return { g: this.groups.capture(mode) };
  }

  restore(state: unknown): void {
    this.groups.restore((state as { g: MapCapture }).g);
  }
}

/** One codec per planned selector: every partition instance of it shares the slots. */
const GROUP_CODECS = new WeakMap<readonly AggregatorSlot[], ItemCodec<GroupState>>();

function groupCodec(slots: readonly AggregatorSlot[]): ItemCodec<GroupState> {
  let codec = GROUP_CODECS.get(slots);
  if (codec === undefined) {
    codec = {
      encode: (g) => [g.n, g.s.map((st, i) => saveState(slots[i]!.kind, st))],
      decode: (raw) => {
        const [n, s] = raw as [number, unknown[]];
        return { n, s: s.map((st, i) => loadState(slots[i]!.kind, st)), logged: -1 };
      },
    };
    GROUP_CODECS.set(slots, codec);
  }
  return codec;
}

export function saveState(kind: AggregatorKind, st: unknown): unknown {
  return kind.save ? kind.save(st) : st;
}

export function loadState(kind: AggregatorKind, raw: unknown): unknown {
  return kind.load ? kind.load(raw) : raw;
}

/** Runs the aggregator slots of one selector over rows, per group key. */
export class AggregateStore {
  /** Some slot's removal does not undo its addition (minForever, maxForever). */
  readonly forever: boolean;

  constructor(
    readonly slots: readonly AggregatorSlot[],
    private readonly frame: SelectorFrame,
    readonly cell: AggregateCell,
  ) {
    this.forever = slots.some((s) => s.kind.forever);
  }

  /**
   * Adds (CURRENT) or removes (EXPIRED) the row in its group; with `load`
   * also puts the group's values into the frame for this row's projections.
   */
  update(row: Row, key: string, load = true): GroupState {
    const groups = this.cell.groups;
    const slots = this.slots;
    let g = groups.get(key);
    if (g === undefined) {
      g = { n: 0, s: slots.map((x) => x.kind.init()), logged: -1 };
      groups.set(key, g);
    } else {
      groups.touchStamped(key, g);
    }
    const values = this.frame.values;
    const s = g.s;
    if (row.type === CURRENT) {
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        s[i] = slot.kind.add(s[i], slot.arg ? slot.arg(row) : null);
        if (load) values[i] = slot.kind.value(s[i]);
      }
      g.n++;
    } else {
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        s[i] = slot.kind.remove(s[i], slot.arg ? slot.arg(row) : null);
        if (load) values[i] = slot.kind.value(s[i]);
      }
      // An emptied group equals a fresh one, so forget it (forever aggregators never empty).
      if (--g.n <= 0 && !this.forever) groups.delete(key);
    }
    return g;
  }

  /** Puts a group's values into the frame; an emptied group holds fresh states. */
  loadFrom(g: GroupState): void {
    const values = this.frame.values;
    for (let i = 0; i < this.slots.length; i++) values[i] = this.slots[i]!.kind.value(g.s[i]);
  }

  /** A RESET row: every group starts over, except what forever aggregators hold. */
  reset(): void {
    const groups = this.cell.groups;
    if (!this.forever) {
      if (groups.size > 0) groups.clear();
      return;
    }
    for (const [key, g] of groups.entries()) {
      this.slots.forEach((slot, i) => {
        if (!slot.kind.forever) g.s[i] = slot.kind.init();
      });
      g.n = 0;
      groups.touchStamped(key, g);
    }
  }
}
