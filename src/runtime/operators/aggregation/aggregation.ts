// `define aggregation`: the running roll-up. Events update buckets of the
// finest duration (older events their older bucket); when event time crosses
// a bucket boundary a duration's pending buckets move into its completed
// store and into the next coarser duration's pending buckets. A read of
// duration D merges D's completed and pending buckets with the pending
// buckets of every finer duration. Each duration is one state cell `A/sec` ….

import type { AggregationDuration } from '../../../ast/index.js';
import type { CaptureMode, StateCell } from '../../../state/cell.js';
import { LoggedMap, type MapCapture } from '../../../state/logged-map.js';
import { CURRENT, type Row, StreamEvent } from '../../event.js';
import type { DeclareCell } from '../../instance.js';
import type { Processor } from '../../processor.js';
import { type Bucket, type BucketLayout, KEY, START } from './bucket.js';
import { BucketStore } from './bucket-store.js';
import { bucketStart, nextBucketStart } from './bucket-time.js';
import { javaHashCode, javaHashOrder, javaTableSize } from '../java-hash-order.js';

interface Level {
  readonly duration: AggregationDuration;
  /** Buckets (or parts of buckets) rolled up already: the reference's aggregation table. */
  readonly done: BucketStore;
  /** Updates since the last roll-up, by `start|groupKey`. */
  readonly pending: LoggedMap<string, Bucket>;
  /** Event time at which this duration rolls up next; -1 before the first event. */
  next: number;
}

export interface AggregationOptions {
  readonly name: string;
  readonly durations: readonly AggregationDuration[];
  readonly layout: BucketLayout;
  /** The event time of an input event; undefined drops the event (reported by the caller). */
  readonly timeOf: (e: StreamEvent) => number | undefined;
  readonly groupKeyOf: (row: Row) => string;
  /**
   * Set for an aggregation on event time (`aggregate by`): the reference's
   * group-by key string of a bucket (`start:-:value:-:`…). Its reads then come
   * out in the order of the java.util.HashMap that merges them by that key.
   */
  readonly javaKeyOf?: (start: number, key: string) => string;
  /** Declares each duration's cell as part `sec`, `min` … of the aggregation's id. */
  readonly declare: DeclareCell;
}

export class Aggregation implements Processor<StreamEvent> {
  readonly name: string;
  readonly durations: readonly AggregationDuration[];
  private readonly levels: Level[];
  private readonly root: Level;
  private readonly layout: BucketLayout;

  constructor(private readonly o: AggregationOptions) {
    this.name = o.name;
    this.durations = o.durations;
    this.layout = o.layout;
    this.levels = o.durations.map((duration) => ({
      duration, done: new BucketStore(o.layout), pending: new LoggedMap<string, Bucket>(o.layout), next: -1,
    }));
    this.root = this.levels[0]!;
    for (const level of this.levels) o.declare(new LevelCell(level), level.duration);
  }

  process(chunk: StreamEvent[]): void {
    for (let i = 0; i < chunk.length; i++) {
      const e = chunk[i]!;
      if (e.type !== CURRENT) continue;
      const time = this.o.timeOf(e);
      if (time !== undefined) this.add(time, e);
    }
  }

  private add(time: number, row: StreamEvent): void {
    if (time >= this.root.next) this.rollUp(time);
    const start = bucketStart(time, this.root.duration);
    const group = this.o.groupKeyOf(row);
    const key = `${start}|${group}`;
    const pending = this.root.pending;
    const b = pending.get(key);
    if (b === undefined) pending.set(key, this.layout.create(start, group, time, row));
    else {
      this.layout.add(b, time, row);
      pending.touch(key);
    }
  }

  /** Event time reached `time`: every duration whose bucket ended rolls its pending buckets up. */
  private rollUp(time: number): void {
    for (let i = 0; i < this.levels.length; i++) {
      const level = this.levels[i]!;
      if (level.next !== -1 && time < level.next) return;
      if (level.next !== -1) this.flush(i);
      level.next = nextBucketStart(time, level.duration);
    }
  }

  /** Rolls duration i's pending buckets (those starting before `before`, default all) up. */
  private flush(i: number, before = Infinity): void {
    const level = this.levels[i]!;
    const parent = this.levels[i + 1];
    const all = before === Infinity;
    for (const [key, b] of level.pending.entries()) {
      if (!all && (b[START] as number) >= before) continue;
      if (parent) mergeInto(parent.pending, this.layout, this.layout.rebase(b, bucketStart(b[START] as number, parent.duration)));
      level.done.mergeIn(key, b);
      if (!all) level.pending.delete(key);
    }
    if (all) level.pending.clear();
  }

  /** The output rows of duration `per` whose buckets start in [from, to), by start. */
  read(from: number, to: number, per: AggregationDuration): StreamEvent[] {
    const p = this.durations.indexOf(per);
    const done = this.levels[p]!.done;
    const rows: Bucket[] = [];
    done.range(from, to, (b) => rows.push(b));
    // Pending parts merge into copies: completed buckets stay as they are.
    const merged = new Map<Bucket, Bucket>();
    const added = new Map<string, Bucket>();
    for (let i = p; i >= 0; i--) {
      for (const b of this.levels[i]!.pending.values()) {
        const start = i === p ? (b[START] as number) : bucketStart(b[START] as number, per);
        if (start < from || start >= to) continue;
        const key = `${start}|${b[KEY] as string}`;
        const fresh = added.get(key);
        if (fresh) {
          this.layout.merge(fresh, b);
          continue;
        }
        const completed = done.get(key);
        if (completed === undefined) added.set(key, this.layout.rebase(b, start));
        else {
          let copy = merged.get(completed);
          if (!copy) merged.set(completed, (copy = this.layout.rebase(completed, start)));
          this.layout.merge(copy, b);
        }
      }
    }
    if (merged.size > 0) for (let i = 0; i < rows.length; i++) rows[i] = merged.get(rows[i]!) ?? rows[i]!;
    if (added.size > 0) {
      for (const b of added.values()) rows.push(b);
      rows.sort((a, b) => (a[START] as number) - (b[START] as number));
    }
    const ordered = this.o.javaKeyOf ? this.javaOrder(rows) : rows;
    const out = new Array<StreamEvent>(ordered.length);
    for (let i = 0; i < ordered.length; i++) out[i] = new StreamEvent(ordered[i]![START] as number, this.layout.outputOf(ordered[i]!), CURRENT);
    return out;
  }

  /**
   * The reference merges the buckets an event-time aggregation reads in a
   * fresh HashMap keyed by its group-by key string (OutOfOrderEventsDataAggregator)
   * and emits them in that map's iteration order; the rows go in by start.
   */
  private javaOrder(rows: Bucket[]): Bucket[] {
    const keyOf = this.o.javaKeyOf!;
    const hashes = rows.map((b) => javaHashCode(keyOf(b[START] as number, b[KEY] as string), 'string'));
    return javaHashOrder(rows, hashes, javaTableSize(rows.length));
  }

  /**
   * Drops the buckets of `duration` that start before `cutoff` (purging). Those
   * still pending roll up first, as the reference's timers would have rolled
   * them, so coarser durations keep their share.
   */
  purge(duration: AggregationDuration, cutoff: number): number {
    const i = this.durations.indexOf(duration);
    this.flush(i, cutoff);
    return this.levels[i]!.done.deleteBefore(cutoff);
  }
}

function mergeInto(map: LoggedMap<string, Bucket>, layout: BucketLayout, b: Bucket): void {
  const key = `${b[START] as number}|${b[KEY] as string}`;
  const existing = map.get(key);
  if (existing === undefined) map.set(key, b);
  else {
    layout.merge(existing, b);
    map.touch(key);
  }
}

interface LevelCapture {
  readonly next: number;
  readonly done: MapCapture;
  readonly pending: MapCapture;
}

class LevelCell implements StateCell {
  readonly kind = 'aggregation.duration';
  readonly version = 1;

  constructor(private readonly level: Level) {}

  capture(mode: CaptureMode): LevelCapture {
    return { next: this.level.next, done: this.level.done.capture(mode), pending: this.level.pending.capture(mode) };
  }

  restore(state: unknown): void {
    const s = state as LevelCapture;
    this.level.next = s.next;
    this.level.done.restore(s.done);
    this.level.pending.restore(s.pending);
  }
}
