// One bucket of an aggregation: a flat array `[start, groupKey, lastTs,
// ...last values, ...base values]`. The layout, built once per aggregation by
// plan-aggregation.ts, creates, updates, merges and reads buckets.

import type { ItemCodec } from '../../../state/cell.js';
import type { Row } from '../../event.js';
import type { IncrementalAggregator } from './incremental-aggregators.js';

export type Bucket = unknown[];

export const START = 0;
export const KEY = 1;
const LAST_TS = 2;
const HEAD = 3;

/** One aggregate call of the select clause: its aggregator and argument. */
export interface BucketCall {
  readonly kind: IncrementalAggregator;
  /** Absent for `count()`. */
  readonly arg?: (row: Row) => unknown;
}

/** One output of the aggregation: a value of the latest event, or an aggregate call's result. */
export type BucketOutput = { readonly kind: 'last'; readonly index: number } | { readonly kind: 'aggregate'; readonly call: number };

export class BucketLayout implements ItemCodec<Bucket> {
  private readonly at: number[] = [];
  private readonly setSlots: number[] = [];
  private readonly width: number;

  constructor(
    /** Values of the latest event (by event time; ties to the later arrival): group-by attributes and plain expressions. */
    private readonly last: readonly ((row: Row) => unknown)[],
    private readonly calls: readonly BucketCall[],
    private readonly outputs: readonly BucketOutput[],
  ) {
    let at = HEAD + last.length;
    for (const c of calls) {
      this.at.push(at);
      for (const s of c.kind.setSlots ?? []) this.setSlots.push(at + s);
      at += c.kind.width;
    }
    this.width = at;
  }

  create(start: number, key: string, time: number, row: Row): Bucket {
    const b: Bucket = new Array(this.width);
    b[START] = start;
    b[KEY] = key;
    b[LAST_TS] = -Infinity;
    for (let i = 0; i < this.calls.length; i++) this.calls[i]!.kind.init(b, this.at[i]!);
    this.add(b, time, row);
    return b;
  }

  add(b: Bucket, time: number, row: Row): void {
    if (time >= (b[LAST_TS] as number)) {
      b[LAST_TS] = time;
      for (let i = 0; i < this.last.length; i++) b[HEAD + i] = this.last[i]!(row);
    }
    for (let i = 0; i < this.calls.length; i++) {
      const c = this.calls[i]!;
      c.kind.add(b, this.at[i]!, c.arg ? c.arg(row) : undefined);
    }
  }

  /** Adds `from` into `into`; on equal event times `from` is the later arrival. */
  merge(into: Bucket, from: Bucket): void {
    if ((from[LAST_TS] as number) >= (into[LAST_TS] as number)) {
      into[LAST_TS] = from[LAST_TS];
      for (let i = 0; i < this.last.length; i++) into[HEAD + i] = from[HEAD + i];
    }
    for (let i = 0; i < this.calls.length; i++) this.calls[i]!.kind.merge(into, this.at[i]!, from);
  }

  /** A copy of `b` as a bucket starting at `start` (a coarser duration's bucket). */
  rebase(b: Bucket, start: number): Bucket {
    const copy = b.slice();
    copy[START] = start;
    for (const s of this.setSlots) copy[s] = new Set(b[s] as Set<unknown>);
    return copy;
  }

  /** The aggregation's output row: `[AGG_TIMESTAMP, ...select outputs]`. */
  outputOf(b: Bucket): unknown[] {
    const out = new Array(this.outputs.length + 1);
    out[0] = b[START];
    for (let i = 0; i < this.outputs.length; i++) {
      const o = this.outputs[i]!;
      if (o.kind === 'last') out[i + 1] = b[HEAD + o.index];
      else out[i + 1] = this.calls[o.call]!.kind.result(b, this.at[o.call]!);
    }
    return out;
  }

  encode(b: Bucket): unknown {
    if (this.setSlots.length === 0) return b;
    const copy = b.slice();
    for (const s of this.setSlots) copy[s] = [...(b[s] as Set<unknown>)];
    return copy;
  }

  decode(raw: unknown): Bucket {
    const b = (raw as unknown[]).slice();
    for (const s of this.setSlots) b[s] = new Set(b[s] as unknown[]);
    return b;
  }
}
