// `output snapshot every T`: at each tick re-emits what the query currently
// holds, even without new input. It watches the selector's per-row output
// (current and expired); which picture it keeps depends on the query shape.
// Built by plan/plan-output-rate.ts.

import { LoggedMap, type MapCapture } from '../../state/logged-map.js';
import { LoggedQueue, type QueueCapture } from '../../state/logged-queue.js';
import { CURRENT, EVENT_CODEC, EXPIRED, RESET, StreamEvent } from '../event.js';
import { Pipe } from '../processor.js';
import { type TimerCapture, TimerSlot } from '../timer-slot.js';
import { RateCell, type RateContext } from './rate-cell.js';

export interface SnapshotShape {
  /** The query reads a window (or a join of windows): expired rows leave the picture. */
  readonly windowed: boolean;
  readonly grouped: boolean;
  /** Output positions holding aggregates (they take the latest values of their group). */
  readonly aggregatePositions: readonly number[];
  readonly outputSize: number;
}

/**
 * Pictures: `latest` — no window: the last current row per key;
 * `aggregates` — every output aggregated: per key the latest row while the key
 * still has rows (in the window, if any); `rows` — window: the rows in it, with
 * aggregate positions replaced by their key's latest values (one row per key
 * when grouped and aggregated).
 */
type Picture = 'latest' | 'aggregates' | 'rows';

type Held = [key: string, event: StreamEvent];
const HELD_CODEC = {
  encode: (h: Held): unknown => [h[0], EVENT_CODEC.encode(h[1])],
  decode: (raw: unknown): Held => {
    const [k, e] = raw as [string, unknown];
    return [k, EVENT_CODEC.decode(e)];
  },
};

export class SnapshotRate extends Pipe<StreamEvent> {
  private readonly picture: Picture;
  private readonly timer: TimerSlot;
  /** latest: key → last row; aggregates: key → [count, last row] */
  private readonly perKey = new LoggedMap<string, unknown>({ encode: (v) => encodePerKey(v), decode: (r) => decodePerKey(r) });
  private readonly rows = new LoggedQueue<Held>(HELD_CODEC);
  private readonly aggregates = new LoggedMap<string, unknown[]>({ encode: (v) => v, decode: (r) => r as unknown[] });

  constructor(
    private readonly shape: SnapshotShape,
    private readonly period: number,
    ctx: RateContext,
  ) {
    super();
    // Without expired rows `aggregates` pictures the same as `latest`, so fully
    // aggregated outputs need not know whether the input keeps a window.
    this.picture = shape.aggregatePositions.length === shape.outputSize ? 'aggregates'
      : shape.windowed ? 'rows' : 'latest';
    this.timer = new TimerSlot(ctx.scheduler, (time) => this.onDue(time));
    this.timer.armAt(ctx.scheduler.now() + period);
    ctx.declare(new RateCell('rate.snapshot',
      (m) => ({
        due: this.timer.pending, k: this.perKey.capture(m), r: this.rows.capture(m), a: this.aggregates.capture(m),
        tm: this.timer.capture(),
      }),
      (s: { due: number; k: MapCapture; r: QueueCapture; a: MapCapture; tm?: TimerCapture }) => {
        this.perKey.restore(s.k);
        this.rows.restore(s.r);
        this.aggregates.restore(s.a);
        this.timer.restore(s.tm, () => this.timer.armAt(s.due));
      }));
  }

  process(chunk: StreamEvent[], keys?: readonly string[]): void {
    for (let i = 0; i < chunk.length; i++) this.observe(chunk[i]!, keys?.[i] ?? '');
  }

  private onDue(time: number): void {
    this.timer.armAt(time + this.period);
    const out = this.snapshot();
    if (out.length > 0) this.next.process(out);
  }

  private observe(e: StreamEvent, key: string): void {
    if (e.type === RESET) {
      this.perKey.clear();
      this.rows.drain();
      this.aggregates.clear();
      return;
    }
    const current = e.type === CURRENT;
    if (!current && e.type !== EXPIRED) return;
    switch (this.picture) {
      case 'latest':
        if (current) this.perKey.set(key, e);
        break;
      case 'aggregates': {
        const held = this.perKey.get(key) as [number, StreamEvent] | undefined;
        this.perKey.set(key, [(held?.[0] ?? 0) + (current ? 1 : -1), e]);
        break;
      }
      case 'rows':
        if (current) this.rows.push([key, e]);
        else this.removeRow(key, e);
        if (this.shape.aggregatePositions.length > 0) {
          this.aggregates.set(key, this.shape.aggregatePositions.map((p) => e.data[p]));
        }
        break;
    }
  }

  private removeRow(key: string, e: StreamEvent): void {
    const agg = this.shape.aggregatePositions;
    let i = 0;
    for (const [k, held] of this.rows) {
      if (k === key && sameExcept(held.data, e.data, agg)) {
        this.rows.removeAt(i);
        return;
      }
      i++;
    }
  }

  private snapshot(): StreamEvent[] {
    const out: StreamEvent[] = [];
    if (this.picture === 'latest') {
      for (const e of this.perKey.values()) out.push(copy(e as StreamEvent));
    } else if (this.picture === 'aggregates') {
      for (const [key, v] of [...this.perKey.entries()]) {
        const [n, e] = v as [number, StreamEvent];
        if (n > 0) out.push(copy(e));
        else this.perKey.delete(key);
      }
    } else {
      const agg = this.shape.aggregatePositions;
      const onePerKey = this.shape.grouped && agg.length > 0;
      const done = new Set<string>();
      for (const [key, e] of this.rows) {
        if (onePerKey && done.has(key)) continue;
        done.add(key);
        const values = this.aggregates.get(key);
        if (agg.length === 0 || !values) {
          out.push(copy(e));
          continue;
        }
        const data = e.data.slice();
        agg.forEach((p, j) => (data[p] = values[j]));
        out.push(new StreamEvent(e.timestamp, data, CURRENT));
      }
    }
    return out;
  }
}

function copy(e: StreamEvent): StreamEvent {
  return new StreamEvent(e.timestamp, e.data, CURRENT);
}

function sameExcept(a: unknown[], b: unknown[], skip: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (skip.includes(i)) continue;
    if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  }
  return true;
}

function encodePerKey(v: unknown): unknown {
  return v instanceof StreamEvent ? { e: EVENT_CODEC.encode(v) } : { n: (v as [number, StreamEvent])[0], e: EVENT_CODEC.encode((v as [number, StreamEvent])[1]) };
}

function decodePerKey(raw: unknown): unknown {
  const r = raw as { n?: number; e: unknown };
  const e = EVENT_CODEC.decode(r.e);
  return r.n === undefined ? e : [r.n, e];
}
