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

/** One value's rows: `seqs[start…]`, oldest first. */
export interface KeyRows {
  readonly seqs: number[];
  start: number;
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
    const list = this.rows.get(key);
    if (list === undefined) {
      this.rows.set(key, { seqs: [this.tail++], start: 0 });
      return;
    }
    if (list.start === list.seqs.length) this.empties--;
    list.seqs.push(this.tail++);
  }

  /** The head row, whose attribute value is `key`, leaves the queue. */
  leaving(key: unknown): void {
    const list = this.rows.get(key);
    // The head must be the oldest row of its value: anything else means the queue changed unseen.
    if (list === undefined || list.start === list.seqs.length || list.seqs[list.start] !== this.seqHead) {
      this.stale = true;
      return;
    }
    this.seqHead++;
    const seqs = list.seqs;
    if (++list.start === seqs.length) {
      seqs.length = 0;
      list.start = 0;
      if (++this.empties > EMPTIES_KEPT && this.empties * 2 > this.rows.size) this.sweep();
    } else if (list.start >= COMPACT_AT && list.start * 2 >= seqs.length) {
      seqs.copyWithin(0, list.start);
      seqs.length -= list.start;
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
      else if (e.type === EXPIRED) this.leaving(e.data[at]);
      else if (e.type === RESET) this.clear(this.tail);
    }
  }

  /** Each stored row whose attribute equals `value`, oldest first, as a new event. */
  each(value: unknown, visit: (stored: StreamEvent) => void): void {
    this.sync();
    const list = this.rows.get(value);
    if (list === undefined) return;
    const { seqs } = list;
    // A visitor only reads (finders never write their store): the list stays as it is.
    for (let j = list.start; j < seqs.length; j++) visit(this.q.at(seqs[j]! - this.seqHead));
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
    for (const [key, list] of this.rows) if (list.seqs.length === 0) this.rows.delete(key);
    this.empties = 0;
  }
}
