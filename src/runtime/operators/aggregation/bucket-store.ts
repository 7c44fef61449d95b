// The buckets of one duration, in a logged map (incremental checkpoints carry
// only the buckets that changed) with an index by start time for range reads
// and purging, rebuilt after a restore.

import type { CaptureMode } from '../../../state/cell.js';
import { LoggedMap, type MapCapture } from '../../../state/logged-map.js';
import { lowerBound } from '../../../sorted.js';
import { type Bucket, type BucketLayout, START } from './bucket.js';

export class BucketStore {
  private readonly map: LoggedMap<string, Bucket>;
  /** Distinct bucket starts, ascending. */
  private starts: number[] = [];
  private byStart = new Map<number, Map<string, Bucket>>();

  constructor(private readonly layout: BucketLayout) {
    this.map = new LoggedMap(layout);
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string): Bucket | undefined {
    return this.map.get(key);
  }

  /** Merges `b` (which the store may keep) into the bucket under `key`. */
  mergeIn(key: string, b: Bucket): void {
    const existing = this.map.get(key);
    if (existing) {
      this.layout.merge(existing, b);
      this.map.touch(key);
      return;
    }
    this.map.set(key, b);
    this.index(key, b);
  }

  /** Visits the buckets starting in [from, to), by start, each start's buckets in insertion order. */
  range(from: number, to: number, visit: (b: Bucket) => void): void {
    for (let i = lowerBound(this.starts, from); i < this.starts.length && this.starts[i]! < to; i++) {
      for (const b of this.byStart.get(this.starts[i]!)!.values()) visit(b);
    }
  }

  /** Deletes the buckets starting before `cutoff`; returns how many. */
  deleteBefore(cutoff: number): number {
    const n = lowerBound(this.starts, cutoff);
    let deleted = 0;
    for (let i = 0; i < n; i++) {
      const start = this.starts[i]!;
      for (const key of this.byStart.get(start)!.keys()) {
        this.map.delete(key);
        deleted++;
      }
      this.byStart.delete(start);
    }
    this.starts.splice(0, n);
    return deleted;
  }

  capture(mode: CaptureMode): MapCapture {
    return this.map.capture(mode);
  }

  restore(state: MapCapture): void {
    this.map.restore(state);
    this.starts = [];
    this.byStart = new Map();
    for (const [key, b] of this.map.entries()) this.index(key, b);
  }

  private index(key: string, b: Bucket): void {
    const start = b[START] as number;
    let keys = this.byStart.get(start);
    if (!keys) {
      keys = new Map();
      this.byStart.set(start, keys);
      const last = this.starts[this.starts.length - 1];
      if (last === undefined || start > last) this.starts.push(start);
      else this.starts.splice(lowerBound(this.starts, start), 0, start);
    }
    keys.set(key, b);
  }
}
