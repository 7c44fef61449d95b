// Events held by the reorder stream processors (reorder-kslack.ts,
// reorder-akslack.ts), grouped by their timestamp attribute in ascending
// order, as the reference's TreeMap<Long, List<StreamEvent>>.

import { StreamEvent } from '../event.js';

/** `[key, [[event timestamp, data, type], …]]` per key, ascending. */
export type ReorderBufferCapture = [number, [number, unknown[], number][]][];

export class ReorderBuffer {
  private keys: number[] = [];
  private readonly groups = new Map<number, StreamEvent[]>();

  get size(): number {
    return this.keys.length;
  }

  /** The smallest key; the buffer must not be empty. */
  get firstKey(): number {
    return this.keys[0]!;
  }

  add(key: number, events: readonly StreamEvent[]): void {
    const group = this.groups.get(key);
    if (group) {
      group.push(...events);
      return;
    }
    this.groups.set(key, [...events]);
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    this.keys.splice(lo, 0, key);
  }

  /** Moves every group of `other` into this buffer, leaving `other` empty. */
  takeAll(other: ReorderBuffer): void {
    for (const key of other.keys) this.add(key, other.groups.get(key)!);
    other.clear();
  }

  /** Removes groups from the smallest key while `keep(key)` is false; returns their events in order. */
  shiftWhile(take: (key: number) => boolean, onKey?: (key: number) => void): StreamEvent[] {
    const out: StreamEvent[] = [];
    let n = 0;
    while (n < this.keys.length && take(this.keys[n]!)) {
      const key = this.keys[n]!;
      out.push(...this.groups.get(key)!);
      this.groups.delete(key);
      onKey?.(key);
      n++;
    }
    if (n > 0) this.keys.splice(0, n);
    return out;
  }

  /** Removes every group whose key passes `take`, wherever it is; returns their events in key order. */
  removeWhere(take: (key: number) => boolean): StreamEvent[] {
    const out: StreamEvent[] = [];
    this.keys = this.keys.filter((key) => {
      if (!take(key)) return true;
      out.push(...this.groups.get(key)!);
      this.groups.delete(key);
      return false;
    });
    return out;
  }

  clear(): void {
    this.keys = [];
    this.groups.clear();
  }

  capture(): ReorderBufferCapture {
    return this.keys.map((k) => [k, this.groups.get(k)!.map((e) => [e.timestamp, e.data, e.type] as [number, unknown[], number])]);
  }

  restore(state: ReorderBufferCapture): void {
    this.clear();
    for (const [key, events] of state) {
      this.add(key, events.map(([ts, data, type]) => new StreamEvent(ts, data, type as StreamEvent['type'])));
    }
  }
}
