// A counting state `e1=S<min:max>` (patterns) or `e1=S+ / * / ?` (sequences):
// the events it collects sit in one list per partial match, and the match is
// handed on at the minimum while the list keeps growing until the next state
// takes the match (or the maximum is reached).

import type { StateEvent, StreamEvent } from '../../event.js';
import { type PatternShared, StreamNode, truncate } from './stream-node.js';

export class CountNode extends StreamNode {
  /** The collected event passed the filter (the reference's success condition). */
  private success = false;
  /** Re-arm this start state at the next stabilize. */
  resetPending = false;

  constructor(
    slot: number,
    shared: PatternShared,
    filter: ((m: StateEvent) => boolean) | undefined,
    readonly min: number,
    /** Infinity when unbounded. */
    readonly max: number,
  ) {
    super(slot, shared, filter);
  }

  override addState(m: StateEvent): void {
    super.addState(m);
    if (this.min === 0 && m.events[this.slot] === null) this.minCountReached(m);
  }

  /** A `min` of 0 is reached on the hand-over (addState). */
  override actsOnHandOver(): boolean {
    return this.min === 0;
  }

  /** As StreamNode's, but a `min` of 0 acts on a match handed over even when it is not kept. */
  override takesStarted(): boolean {
    return this.min === 0 || !this.sequence || this.fresh.length === 0;
  }

  override startStateReset(): void {
    this.resetPending = true;
  }

  override captureFlags(): unknown {
    return [this.initialized ? 1 : 0, this.resetPending ? 1 : 0];
  }

  override restoreFlags(raw: unknown): void {
    const [i, r] = (raw as [number, number] | undefined) ?? [0, 0];
    this.initialized = i === 1;
    this.resetPending = r === 1;
  }

  override idleWithoutFresh(): boolean {
    return false;
  }

  override updateState(): void {
    if (this.resetPending) {
      this.resetPending = false;
      this.init();
    }
    super.updateState();
  }

  override processAndReturn(e: StreamEvent, out: StateEvent[]): void {
    const p = this.pending;
    const slot = this.slot;
    let w = 0;
    for (let r = 0; r < p.length; r++) {
      const m = p[r]!;
      // The next state took this match: stop collecting into it.
      if ((m.events[slot + 1] ?? null) !== null || (m.events[slot + 2] ?? null) !== null) continue;
      const s = m.events[slot];
      if (Array.isArray(s)) s.push(e);
      else m.events[slot] = [e];
      this.success = false;
      this.changed = false;
      this.offer(m);
      this.collect(m, out);
      let keep = !this.changed;
      if (!this.success) {
        removeLast(m, slot);
        if (this.sequence) keep = false;
      }
      if (keep) p[w++] = m;
    }
    truncate(p, w);
  }

  override complete(m: StateEvent): void {
    const list = m.events[this.slot] as StreamEvent[];
    const n = list.length;
    this.success = true;
    m.timestamp = list[n - 1]!.timestamp;
    if (n < this.min) return;
    if (this.sequence) {
      if (this.next !== undefined) this.next.addState(m);
      if (n !== this.max) this.addState(m);
    } else if (n === this.min) {
      this.minCountReached(m);
    }
    if (n === this.max) this.changed = true;
  }

  private minCountReached(m: StateEvent): void {
    if (this.terminal) {
      this.changed = true;
      this.shared.emitted = true;
    }
    if (this.next !== undefined) this.next.addState(m);
    if (this.every !== undefined) this.every.addEveryState(m);
  }
}

function removeLast(m: StateEvent, slot: number): void {
  const s = m.events[slot] as StreamEvent[];
  if (s.length <= 1) m.events[slot] = null;
  else s.pop();
}
