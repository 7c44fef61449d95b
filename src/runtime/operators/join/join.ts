// The join operator: each event leaving a side's window (or a window-less
// side) probes the other side through a compiled Finder and emits one
// StateEvent per match, [left, right], typed like the probing event (so an
// expiry emits expired pairs). Outer sides emit a null-filled row when nothing
// matches. Each probing event's rows are one chunk for the selector, as in the
// reference. The join holds no state of its own: its sides' windows and tables do.
// Planned by plan/plan-join.ts.

import { CURRENT, EXPIRED, RESET, StateEvent, type StreamEvent, TIMER } from '../../event.js';
import type { Finder } from '../find/findable.js';
import type { KeyIndex } from './key-index.js';
import type { JoinFusible } from './join-kernel.js';
import { NOWHERE, type Processor } from '../../processor.js';

export interface JoinConfig {
  /** How side i's events find matches on the other side; undefined: side i does not trigger. */
  readonly finders: readonly [Finder | undefined, Finder | undefined];
  /** Side i is outer: its unmatched events emit with the other slot null. */
  readonly outer: readonly [boolean, boolean];
}

export class Join {
  next: Processor = NOWHERE;
  /** False when `next` drops expired rows unseen: an expiring event then updates the index and probes nothing. */
  probesExpired = true;
  /** The entry of each side, for the side's chain to push into. */
  readonly sides: readonly [JoinEntry, JoinEntry];
  /** Hash indexes of each side's window, following what the window emits. */
  readonly indexes: [KeyIndex | undefined, KeyIndex | undefined] = [undefined, undefined];
  /** What a fused kernel needs of this join's plan, when its shape allows one (join-kernel.ts). */
  fusible: JoinFusible | undefined = undefined;

  /** The probe being matched, read by `collect`: one collector for every probe instead of a closure per event. */
  private probeSide: 0 | 1 = 0;
  private probe: StreamEvent | undefined;
  private probeType: StreamEvent['type'] = CURRENT;
  private found: StateEvent[] = [];
  private readonly collect = (stored: StreamEvent): void => {
    this.found.push(pair(this.probeSide, this.probe!, stored, this.probeType));
  };

  constructor(private readonly c: JoinConfig) {
    this.sides = [new JoinEntry(this, 0), new JoinEntry(this, 1)];
  }

  process(side: 0 | 1, chunk: StreamEvent[]): void {
    this.indexes[side]?.follow(chunk);
    const find = this.c.finders[side];
    if (!find) return;
    const outer = this.c.outer[side];
    for (let i = 0; i < chunk.length; i++) {
      const e = chunk[i]!;
      const type = e.type;
      if (type === TIMER || (type === EXPIRED && !this.probesExpired)) continue;
      if (type === RESET) {
        this.next.process([pair(side, e, null, RESET)]);
        continue;
      }
      // A finder only reads its store, so nothing re-enters the join before `found` is taken.
      this.probeSide = side;
      this.probe = e;
      this.probeType = type;
      // Left over by a finder that threw: never emitted.
      if (this.found.length !== 0) this.found = [];
      find(e, this.collect);
      this.probe = undefined;
      const out = this.found;
      if (out.length === 0 && outer) out.push(pair(side, e, null, type));
      if (out.length === 0) continue;
      this.found = [];
      this.next.process(out);
    }
  }
}

/** Where side `side`'s chain pushes into the join; kernel fusion finds the join through it. */
export class JoinEntry implements Processor<StreamEvent> {
  constructor(readonly join: Join, readonly side: 0 | 1) {}

  process(chunk: StreamEvent[]): void {
    this.join.process(this.side, chunk);
  }
}

function pair(side: 0 | 1, e: StreamEvent, other: StreamEvent | null, type: StreamEvent['type']): StateEvent {
  return new StateEvent(e.timestamp, side === 0 ? [e, other] : [other, e], type);
}
