// A hash index of a FIFO window's queue (length, time, timeLength,
// externalTime) on one attribute, for joins whose `on` has an equality on it.
// It maps each value to the sequence numbers of the queue rows holding it,
// oldest first; a row's position in the queue is its number minus the head's,
// so the index holds no events and a lookup reads the rows from the columns.
// Kept up to date either by following the window's output (current in,
// expired out, reset empties; Join) or by the fused join kernel, which writes
// the queue itself (entered/leaving). Derived data: nothing of it is
// checkpointed; after a restore (or anything it cannot follow) it is rebuilt
// from the queue on its next use.

import { CURRENT, EXPIRED, RESET, type StreamEvent } from '../../event.js';
import type { EventQueue } from '../../event-queue.js';
import { sameKey } from '../../../state/logged-map.js';

/** One value's rows: `seqs[start…end)`, oldest first (the array keeps its room when emptied). */
export interface KeyRows {
  readonly key: unknown;
  readonly seqs: number[];
  start: number;
  end: number;
}

/** Emptied values kept for reuse before they are swept out of the map. */
const EMPTIES_KEPT = 64;
/** A list's consumed prefix is cut off once it is this long and half the list. */
const COMPACT_AT = 64;

export class KeyIndex {
  private readonly rows = new Map<unknown, KeyRows>();
  /** Sequence number of the queue's head row; `tail` is the next arrival's. */
  private seqHead = 0;
  private tail = 0;
  /** Values whose list is empty (kept, so a value that comes back allocates nothing). */
  private empties = 0;
  private stale = true;
  private q: EventQueue;
  /** The list of each row in the queue, by seq & mask (a ring): an expiry finds its list without a lookup. */
  private owners: KeyRows[] = new Array<KeyRows>(8);
  private mask = 7;

  constructor(
    /** The indexed attribute's position. */
    readonly position: number,
    private readonly source: () => EventQueue,
  ) {
    this.q = source();
  }

  /** The window's state was replaced (a restore): rebuild before the next use. */
  invalidate(): void {
    this.stale = true;
  }

  /** Rebuilds if stale; call before reading `queue`, `head` or a list. */
  sync(): void {
    if (this.stale) this.rebuild();
  }

  /** The indexed queue (after sync). */
  get queue(): EventQueue {
    return this.q;
  }

  /** The rows of `value` (after sync); a row's queue position is its seq minus `head`. May be empty. */
  find(value: unknown): KeyRows | undefined {
    return this.rows.get(value);
  }

  get head(): number {
    return this.seqHead;
  }

  /** A row with attribute value `key` was appended to the queue. */
  entered(key: unknown): void {
    if (this.tail - this.seqHead > this.mask) this.grow();
    const seq = this.tail++;
    let list = this.rows.get(key);
    if (list === undefined) {
      list = { key, seqs: [seq], start: 0, end: 1 };
      this.rows.set(key, list);
    } else {
      if (list.start === list.end) this.empties--;
      list.seqs[list.end++] = seq;
    }
    this.owners[seq & this.mask] = list;
  }

  /** The head row leaves the queue. */
  leaving(): void {
    const head = this.seqHead;
    if (head === this.tail) {
      this.stale = true;
      return;
    }
    const list = this.owners[head & this.mask]!;
    this.seqHead++;
    if (++list.start === list.end) {
      list.start = 0;
      list.end = 0;
      if (++this.empties > EMPTIES_KEPT && this.empties * 2 > this.rows.size) this.sweep();
    } else if (list.start >= COMPACT_AT && list.start * 2 >= list.end) {
      list.seqs.copyWithin(0, list.start, list.end);
      list.end -= list.start;
      list.start = 0;
    }
  }

  /** Follows one chunk of the window's output, after the window has applied it to its queue. */
  follow(chunk: readonly StreamEvent[]): void {
    if (this.stale) return;
    const at = this.position;
    for (let i = 0; i < chunk.length; i++) {
      const e = chunk[i]!;
      if (e.type === CURRENT) this.entered(e.data[at]);
      else if (e.type === EXPIRED) {
        // The expired row is a copy of the head: another value means the queue changed unseen.
        if (this.seqHead === this.tail || !sameKey(this.owners[this.seqHead & this.mask]!.key, e.data[at])) this.stale = true;
        else this.leaving();
      } else if (e.type === RESET) this.clear(this.tail);
    }
  }

  /** Each stored row whose attribute equals `value`, oldest first, as a new event. */
  each(value: unknown, visit: (stored: StreamEvent) => void): void {
    this.sync();
    const list = this.rows.get(value);
    if (list === undefined) return;
    const { seqs, end } = list;
    // A visitor only reads (finders never write their store): the list stays as it is.
    for (let j = list.start; j < end; j++) visit(this.q.at(seqs[j]! - this.seqHead));
  }

  private clear(head: number): void {
    this.rows.clear();
    this.empties = 0;
    this.seqHead = head;
    this.tail = head;
  }

  private rebuild(): void {
    this.q = this.source();
    this.clear(0);
    this.stale = false;
    const q = this.q;
    for (let i = 0; i < q.length; i++) this.entered(q.valueAt(i, this.position));
  }

  private sweep(): void {
    for (const [key, list] of this.rows) if (list.start === list.end) this.rows.delete(key);
    this.empties = 0;
  }

  private grow(): void {
    const mask = this.mask * 2 + 1;
    const owners = new Array<KeyRows>(mask + 1);
    for (let seq = this.seqHead; seq < this.tail; seq++) owners[seq & mask] = this.owners[seq & this.mask]!;
    this.owners = owners;
    this.mask = mask;
  }
}
