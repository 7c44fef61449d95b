// One side of `A and B` / `A or B`. Both sides share each partial match: a
// match handed to the logical state waits in both sides' lists, `and` moves on
// when the second side fills its slot, `or` when either does.

import type { StateEvent, StreamEvent } from '../../event.js';
import { type PatternShared, StreamNode, truncate } from './stream-node.js';

export class LogicalNode extends StreamNode {
  partner!: LogicalNode;

  constructor(
    slot: number,
    shared: PatternShared,
    filter: ((m: StateEvent) => boolean) | undefined,
    readonly op: 'and' | 'or',
  ) {
    super(slot, shared, filter);
  }

  override addState(m: StateEvent): void {
    if (this.start || this.sequence) {
      if (this.fresh.length === 0) this.fresh.push(m);
      if (this.partner.fresh.length === 0) this.partner.fresh.push(m);
    } else {
      this.fresh.push(m);
      this.partner.fresh.push(m);
    }
  }

  override addEveryState(m: StateEvent): void {
    const c = this.restartOf(m);
    c.events[this.partner.slot] = null;
    this.fresh.push(c);
    this.partner.fresh.push(c);
  }

  override resetState(): void {
    if (this.op === 'or' || this.pending.length === this.partner.pending.length) {
      truncate(this.pending, 0);
      truncate(this.partner.pending, 0);
      if (this.start && this.fresh.length === 0) {
        if (this.sequence && this.every === undefined && this.next !== undefined && this.next.pending.length > 0) return;
        this.init();
      }
    }
  }

  override idleWithoutFresh(): boolean {
    return false;
  }

  override updateState(): void {
    super.updateState();
    this.partner.moveFresh();
  }

  moveFresh(): void {
    super.updateState();
  }

  override processAndReturn(e: StreamEvent, out: StateEvent[]): void {
    const p = this.pending;
    const partnerSlot = this.partner.slot;
    let w = 0;
    for (let r = 0; r < p.length; r++) {
      const m = p[r]!;
      if (this.op === 'or' && m.events[partnerSlot] !== null) continue;
      m.events[this.slot] = e;
      this.changed = false;
      this.offer(m);
      this.collect(m, out);
      if (this.changed) continue;
      m.events[this.slot] = null;
      if (this.sequence) continue;
      p[w++] = m;
    }
    truncate(p, w);
  }

  override complete(m: StateEvent): void {
    if (this.op === 'and' && !this.partner.satisfied(m)) {
      this.changed = true;
      return;
    }
    super.complete(m);
  }

  /** Whether this side is done for `m` (an absent side answers differently). */
  satisfied(m: StateEvent): boolean {
    return m.events[this.slot] !== null;
  }
}
