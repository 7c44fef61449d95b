// A Map that remembers which keys were set or deleted since the last capture.
// Group-by state lives here; values mutated in place must be `touch`ed.

import { logsKept, type CaptureMode, type ItemCodec } from './cell.js';

export type MapCapture =
  | { readonly f: [unknown, unknown][] }
  | { readonly set: [unknown, unknown][]; readonly del: unknown[] };

/** A value that keeps the log epoch it was last recorded in (see touchStamped). */
export interface Stamped {
  logged: number;
}

/** Map's key equality (SameValueZero): NaN is NaN. */
export function sameKey(a: unknown, b: unknown): boolean {
  return a === b || (a !== a && b !== b);
}

export class LoggedMap<K, V> {
  /**
   * Made for a second key: until then the one entry is kept in `k0`/`v0`
   * (a Map costs ~300 bytes, and a partition makes one per key for each
   * aggregation without group by).
   */
  private map: Map<K, V> | undefined;
  private one = false;
  private k0: K | undefined;
  private v0: V | undefined;
  /** Made at the first change after a capture: partition keys make many maps that are never captured as deltas. */
  private changed: Set<K> | undefined;
  /** Until the first capture everything is new: no per-change logging needed. */
  private full = true;
  /** Bumped whenever `changed` starts over, so a stamp from before means "not recorded yet". */
  private epoch = 0;

  constructor(private readonly codec: ItemCodec<V>) {}

  get size(): number {
    return this.map !== undefined ? this.map.size : this.one ? 1 : 0;
  }

  get(key: K): V | undefined {
    const m = this.map;
    if (m !== undefined) return m.get(key);
    return this.one && sameKey(key, this.k0) ? this.v0 : undefined;
  }

  has(key: K): boolean {
    const m = this.map;
    if (m !== undefined) return m.has(key);
    return this.one && sameKey(key, this.k0);
  }

  set(key: K, value: V): void {
    this.put(key, value);
    if (!this.full) this.log(key);
  }

  private put(key: K, value: V): void {
    const m = this.map;
    if (m !== undefined) {
      m.set(key, value);
    } else if (!this.one || sameKey(key, this.k0)) {
      this.one = true;
      this.k0 = key;
      this.v0 = value;
    } else {
      this.map = new Map([[this.k0 as K, this.v0 as V], [key, value]]);
      this.empty();
    }
  }

  /** Forgets the inline entry. */
  private empty(): void {
    this.one = false;
    this.k0 = undefined;
    this.v0 = undefined;
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
    const had = this.remove(key);
    if (had && !this.full) this.log(key);
    return had;
  }

  clear(): void {
    this.map = undefined;
    this.empty();
    this.changed = undefined;
    this.epoch++;
    this.full = true;
  }

  keys(): IterableIterator<K> {
    if (this.map !== undefined) return this.map.keys();
    return (this.one ? [this.k0 as K] : []).values();
  }

  values(): IterableIterator<V> {
    if (this.map !== undefined) return this.map.values();
    return (this.one ? [this.v0 as V] : []).values();
  }

  entries(): IterableIterator<[K, V]> {
    if (this.map !== undefined) return this.map.entries();
    return (this.one ? [[this.k0 as K, this.v0 as V] as [K, V]] : []).values();
  }

  capture(mode: CaptureMode): MapCapture {
    let out: MapCapture;
    const changed = this.changed;
    if (mode === 'full' || this.full || (changed?.size ?? 0) >= this.size) {
      const f: [unknown, unknown][] = [];
      for (const [k, v] of this.entries()) f.push([k, this.codec.encode(v)]);
      out = { f };
    } else {
      const set: [unknown, unknown][] = [];
      const del: unknown[] = [];
      for (const k of changed ?? []) {
        if (this.has(k)) set.push([k, this.codec.encode(this.get(k) as V)]);
        else del.push(k);
      }
      out = { set, del };
    }
    if (logsKept()) return out;
    this.changed = undefined;
    this.epoch++;
    // From an empty map a delta cannot beat a full capture, so log nothing until it fills.
    this.full = this.size === 0;
    return out;
  }

  restore(state: MapCapture): void {
    if ('f' in state) {
      this.map = undefined;
      this.empty();
      for (const [k, v] of state.f) this.put(k as K, this.codec.decode(v));
    } else {
      for (const k of state.del) this.remove(k as K);
      for (const [k, v] of state.set) this.put(k as K, this.codec.decode(v));
    }
    this.changed = undefined;
    this.epoch++;
    this.full = false;
  }

  /** delete() without logging: whether the key was there. */
  private remove(key: K): boolean {
    if (this.map !== undefined) return this.map.delete(key);
    if (!this.one || !sameKey(key, this.k0)) return false;
    this.empty();
    return true;
  }
}
