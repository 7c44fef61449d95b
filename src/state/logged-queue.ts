// A FIFO queue that remembers what changed since the last capture: how many
// items left the head and which items were appended. Windows keep their
// contents here so incremental checkpoints ship only the change.

import { logsKept, type CaptureMode, type ItemCodec } from './cell.js';

/** Captured form: whole contents, or a delta against the previous capture. */
export type QueueCapture =
  | { readonly f: unknown[] }
  | { readonly drop: number; readonly add: unknown[] };

export class LoggedQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  /** Items removed from the head since the last capture. */
  private dropped = 0;
  /** Items appended since the last capture (some may have been dropped since). */
  private appended = 0;
  /** A change a delta cannot express (removal from the middle, reorder). */
  private dirty = false;

  constructor(private readonly codec: ItemCodec<T>) {}

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
    this.appended++;
  }

  /** Removes and returns the head, or undefined when empty. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    this.dropped++;
    this.compact();
    return item;
  }

  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  last(): T | undefined {
    return this.head < this.items.length ? this.items[this.items.length - 1] : undefined;
  }

  at(i: number): T {
    return this.items[this.head + i] as T;
  }

  /** Removes every item and returns them in order. */
  drain(): T[] {
    const out = this.toArray();
    this.dropped += out.length;
    this.items = [];
    this.head = 0;
    return out;
  }

  /** Removes the item at position i (O(n)); the next capture is a full one. */
  removeAt(i: number): T {
    const [item] = this.items.splice(this.head + i, 1);
    this.dirty = true;
    return item as T;
  }

  /** Inserts at position i (O(n)); the next capture is a full one. */
  insertAt(i: number, item: T): void {
    this.items.splice(this.head + i, 0, item);
    this.dirty = true;
  }

  toArray(): T[] {
    return this.items.slice(this.head) as T[];
  }

  [Symbol.iterator](): Iterator<T> {
    let i = this.head;
    const items = this.items;
    return {
      next: () => (i < items.length ? { value: items[i++] as T, done: false } : { value: undefined, done: true }),
    };
  }

  capture(mode: CaptureMode): QueueCapture {
    const len = this.length;
    const kept = Math.min(this.appended, len);
    let out: QueueCapture;
    // A delta is only worth it when it is smaller than the contents.
    if (mode === 'full' || this.dirty || kept >= len) {
      out = { f: this.encodeRange(this.head, this.items.length) };
    } else {
      out = { drop: this.dropped, add: this.encodeRange(this.items.length - kept, this.items.length) };
    }
    if (logsKept()) return out;
    this.dropped = 0;
    this.appended = 0;
    this.dirty = false;
    return out;
  }

  restore(state: QueueCapture): void {
    if ('f' in state) {
      this.items = state.f.map((raw) => this.codec.decode(raw));
      this.head = 0;
    } else {
      // Drop by advancing the head: a chain of deltas costs what the deltas hold, not the queue length each.
      const drop = Math.min(state.drop, this.length);
      for (let i = 0; i < drop; i++) this.items[this.head + i] = undefined;
      this.head += drop;
      this.compact();
      for (const raw of state.add) this.items.push(this.codec.decode(raw));
    }
    this.dropped = 0;
    this.appended = 0;
    this.dirty = false;
  }

  /** Drops the dead prefix once it dominates, keeping shift amortised O(1). */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  private encodeRange(from: number, to: number): unknown[] {
    const out = new Array(to - from);
    const codec = this.codec;
    for (let i = from; i < to; i++) out[i - from] = codec.encode(this.items[i] as T);
    return out;
  }
}
