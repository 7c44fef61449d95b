// A Map that remembers which keys were set or deleted since the last capture.
// Group-by state lives here; values mutated in place must be `touch`ed.

import type { CaptureMode, ItemCodec } from './cell.js';

export type MapCapture =
  | { readonly f: [unknown, unknown][] }
  | { readonly set: [unknown, unknown][]; readonly del: unknown[] };

/** A value that keeps the log epoch it was last recorded in (see touchStamped). */
export interface Stamped {
  logged: number;
}

export class LoggedMap<K, V> {
  private map = new Map<K, V>();
  /** Made at the first change after a capture: partition keys make many maps that are never captured as deltas. */
  private changed: Set<K> | undefined;
  /** Until the first capture everything is new: no per-change logging needed. */
  private full = true;
  /** Bumped whenever `changed` starts over, so a stamp from before means "not recorded yet". */
  private epoch = 0;

  constructor(private readonly codec: ItemCodec<V>) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): void {
    this.map.set(key, value);
    if (!this.full) this.log(key);
  }

  /** Records that the value under `key` was mutated in place. */
  touch(key: K): void {
    if (!this.full) this.log(key);
  }

  private log(key: K): void {
    (this.changed ??= new Set()).add(key);
  }

  /**
   * touch() for a value mutated over and over between captures: records the
   * key once per epoch (a number compare) instead of a Set insertion per change.
   */
  touchStamped(key: K, value: Stamped): void {
    if (this.full || value.logged === this.epoch) return;
    value.logged = this.epoch;
    this.log(key);
  }

  delete(key: K): boolean {
    const had = this.map.delete(key);
    if (had && !this.full) this.log(key);
    return had;
  }

  clear(): void {
    this.map.clear();
    this.changed = undefined;
    this.epoch++;
    this.full = true;
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  capture(mode: CaptureMode): MapCapture {
    let out: MapCapture;
    const changed = this.changed;
    if (mode === 'full' || this.full || (changed?.size ?? 0) >= this.map.size) {
      const f: [unknown, unknown][] = [];
      for (const [k, v] of this.map) f.push([k, this.codec.encode(v)]);
      out = { f };
    } else {
      const set: [unknown, unknown][] = [];
      const del: unknown[] = [];
      for (const k of changed ?? []) {
        if (this.map.has(k)) set.push([k, this.codec.encode(this.map.get(k) as V)]);
        else del.push(k);
      }
      out = { set, del };
    }
    this.changed = undefined;
    this.epoch++;
    // From an empty map a delta cannot beat a full capture, so log nothing until it fills.
    this.full = this.map.size === 0;
    return out;
  }

  restore(state: MapCapture): void {
    if ('f' in state) {
      this.map = new Map();
      for (const [k, v] of state.f) this.map.set(k as K, this.codec.decode(v));
    } else {
      for (const k of state.del) this.map.delete(k as K);
      for (const [k, v] of state.set) this.map.set(k as K, this.codec.decode(v));
    }
    this.changed = undefined;
    this.epoch++;
    this.full = false;
  }
}
