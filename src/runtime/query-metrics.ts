// Per-query figures of runtime.metrics(), off unless runtime.enableMetrics()
// is called: the planner notes which query each stream reader belongs to
// (ReaderOwners); enabling puts a MeasuredReader in front of each, counting
// events and timing a sample of chunks. Nothing is added to the event path
// while metrics are off.

import type { StreamEvent } from './event.js';
import { observeSubscriptions, type StreamJunction } from './junction.js';
import type { RowReader } from './kernel/row-reader.js';
import type { Processor } from './processor.js';

/** Upper bounds (ms) of the latency histogram's buckets; the last bucket is +Inf. */
export const LATENCY_BUCKETS_MS: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000];

/** A query's figures: events and chunks it read, and a histogram of the time it spent on sampled chunks. */
export interface QueryMetrics {
  readonly events: number;
  readonly chunks: number;
  readonly latency: {
    /** Bucket upper bounds in ms (LATENCY_BUCKETS_MS). */
    readonly bucketsMs: readonly number[];
    /** Timed chunks per bucket (not cumulative), one more than bucketsMs for +Inf. */
    readonly counts: readonly number[];
    readonly count: number;
    readonly sumMs: number;
  };
}

/** Which query each reader of each junction belongs to, by reader position (kernel fusion replaces readers in place). */
export class ReaderOwners {
  private readonly owners = new Map<StreamJunction, string[]>();

  /**
   * Plans one element (`plan` returns the query owning what it subscribed, if
   * any): only the junctions it subscribed to are looked at, so planning stays
   * linear in the app's size.
   */
  track(plan: () => string | undefined): void {
    const before = new Map<StreamJunction, number>();
    observeSubscriptions((j) => {
      if (!before.has(j)) before.set(j, j.subscribers.length);
    });
    let owner: string | undefined;
    try {
      owner = plan();
    } finally {
      observeSubscriptions(undefined);
    }
    if (owner !== undefined) this.claim(before, owner);
  }

  /** The readers added since `before` belong to `owner`. */
  private claim(before: ReadonlyMap<StreamJunction, number>, owner: string): void {
    for (const [j, from] of before) {
      if (j.subscribers.length <= from) continue;
      let list = this.owners.get(j);
      if (!list) this.owners.set(j, (list = []));
      for (let i = from; i < j.subscribers.length; i++) list[i] = owner;
    }
  }

  entries(): Iterable<[StreamJunction, readonly string[]]> {
    return this.owners;
  }
}

class QueryStats {
  events = 0;
  chunks = 0;
  readonly counts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  timed = 0;
  sumMs = 0;

  record(ms: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS_MS.length && ms > LATENCY_BUCKETS_MS[i]!) i++;
    this.counts[i]!++;
    this.timed++;
    this.sumMs += ms;
  }

  view(): QueryMetrics {
    return {
      events: this.events,
      chunks: this.chunks,
      latency: { bucketsMs: LATENCY_BUCKETS_MS, counts: [...this.counts], count: this.timed, sumMs: this.sumMs },
    };
  }
}

/** Time spent in measured readers nested inside the one running (their queries' own time, not the caller's). */
let nestedMs = 0;

/** Stands in front of one query's reader of a stream. */
class MeasuredReader implements Processor<StreamEvent> {
  private untilSample = 0;

  constructor(
    readonly inner: Processor<StreamEvent>,
    protected readonly stats: QueryStats,
    private readonly sampleEvery: number,
  ) {}

  process(chunk: StreamEvent[]): void {
    const stats = this.stats;
    stats.events += chunk.length;
    stats.chunks++;
    if (--this.untilSample > 0) this.inner.process(chunk);
    else this.timed(() => this.inner.process(chunk));
  }

  protected timed(run: () => void): void {
    this.untilSample = this.sampleEvery;
    const outer = nestedMs;
    nestedMs = 0;
    const t0 = performance.now();
    try {
      run();
    } finally {
      const total = performance.now() - t0;
      // What downstream queries (reached synchronously through inserted streams) took is theirs.
      this.stats.record(Math.max(0, total - nestedMs));
      nestedMs = outer + total;
    }
  }

  /** Counts one row-path event; true when this one is to be timed. */
  protected sampleRow(): boolean {
    this.stats.events++;
    this.stats.chunks++;
    return --this.untilSample <= 0;
  }
}

/** For a fused kernel: keeps the row path (input handlers lend rows to it), which the event path would cost ~3×. */
class MeasuredRowReader extends MeasuredReader implements RowReader {
  constructor(
    private readonly rows: RowReader,
    stats: QueryStats,
    sampleEvery: number,
  ) {
    super(rows, stats, sampleEvery);
  }

  acceptRow(timestamp: number, data: unknown[]): void {
    if (this.sampleRow()) this.timed(() => this.rows.acceptRow(timestamp, data));
    else this.rows.acceptRow(timestamp, data);
  }
}

function measure(reader: Processor<StreamEvent>, stats: QueryStats, sampleEvery: number): MeasuredReader {
  const rows = reader as Partial<RowReader>;
  return rows.acceptRow !== undefined ? new MeasuredRowReader(reader as RowReader, stats, sampleEvery) : new MeasuredReader(reader, stats, sampleEvery);
}

/** Per-query measurement, installed by runtime.enableMetrics() and removed by disable(). */
export class QueryMeter {
  private readonly stats = new Map<string, QueryStats>();
  private installed: [StreamJunction, number, MeasuredReader][] = [];

  constructor(private readonly owners: ReaderOwners) {}

  /** Measures every owned reader; `sampleEvery` n times one chunk in n (counts stay exact). */
  enable(sampleEvery: number): void {
    this.disable();
    for (const [junction, owners] of this.owners.entries()) {
      owners.forEach((owner, i) => {
        if (owner === undefined) return;
        let stats = this.stats.get(owner);
        if (!stats) this.stats.set(owner, (stats = new QueryStats()));
        const measured = measure(junction.subscribers[i]!, stats, sampleEvery);
        junction.replaceReader(i, measured);
        this.installed.push([junction, i, measured]);
      });
    }
  }

  disable(): void {
    for (const [junction, i, measured] of this.installed) junction.replaceReader(i, measured.inner);
    this.installed = [];
  }

  view(): Record<string, QueryMetrics> {
    const out: Record<string, QueryMetrics> = {};
    for (const [name, s] of this.stats) out[name] = s.view();
    return out;
  }
}
