// A pattern state whose pending matches wait in buckets by a key read from an
// earlier state (`e2=S[symbol == e1.symbol]`), so an arriving event meets only
// its own key's: what KeyedStreamNode (matches) and KeyedRowNode (rows) share.

import type { StateEvent } from '../../event.js';
import { type PatternShared, StreamNode } from './stream-node.js';

export abstract class KeyedNode<Entry> extends StreamNode {
  /** Each key's waiting entries, in arrival order. */
  protected readonly buckets = new Map<unknown, Entry[]>();

  constructor(
    slot: number,
    shared: PatternShared,
    filter: ((m: StateEvent) => boolean) | undefined,
    /** The attribute of an arriving event that is its key. */
    readonly eventIndex: number,
  ) {
    super(slot, shared, filter);
  }

  /** Also false when no match waits under the event's key (processAndReturn would find none). */
  override mayTake(data: unknown[]): boolean {
    return super.mayTake(data) && this.waitsFor(data[this.eventIndex]);
  }

  /** Whether a match waits under an arriving event's key `key`. */
  waitsFor(key: unknown): boolean {
    if (key === null || key === undefined) return false;
    const b = this.buckets.get(key);
    return b !== undefined && b.length > 0;
  }
}
