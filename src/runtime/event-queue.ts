// The FIFO event store of windows (length, time, batch …): stream events of one
// schema kept as columns in a LoggedColumns, so a retained event costs a few
// typed-array slots instead of objects, and checkpoints pack as binary.

import type { AttributeType } from '../ast/index.js';
import type { CaptureMode } from '../state/cell.js';
import { LoggedColumns, type ColumnKind, type ColumnsCapture, type ColumnsSnapshot } from '../state/logged-columns.js';
import { CHUNK_MASK, NULL, NUMBER } from '../state/columns-chunk.js';
import { EVENT_CODEC, StreamEvent, type EventType } from './event.js';

/** Captured form: the columns (shared until encoded, or decoded), or (from a version-1 state, see `migrateQueueV1`) event rows. */
export type EventQueueCapture =
  | ColumnsSnapshot
  | ColumnsCapture
  | { readonly rows: unknown[]; readonly drop?: number };

const TS = 0;
const TYPE = 1;
const DATA = 2;

const NUMERIC: Record<AttributeType, boolean> = {
  int: true, long: true, float: true, double: true, string: false, bool: false, object: false,
};

export class EventQueue implements Iterable<StreamEvent> {
  private readonly cols: LoggedColumns;
  /** 1 where a data position is stored in an f64 column, 0 where it is kept as it is. */
  private readonly numeric: Uint8Array;
  /** Without a schema (unit rigs) the data array is kept whole in one column. */
  private readonly whole: boolean;
  private readonly width: number;
  /** Column kind of each data position. */
  private readonly kinds: ColumnKind[];

  /** pushRow's column writes, generated per layout (see appendRowFor). */
  private readonly appendRow: AppendRow;

  /** `small`: one of many small queues (a partition key's window), see LoggedColumns. */
  constructor(attributes: readonly { readonly type: AttributeType }[], small = false) {
    this.whole = attributes.length === 0;
    this.width = attributes.length;
    const layout = queueLayout(attributes);
    this.kinds = layout.kinds;
    this.numeric = layout.numeric;
    this.appendRow = layout.appendRow;
    this.cols = new LoggedColumns(layout.columns, small);
  }

  get length(): number {
    return this.cols.length;
  }

  /**
   * The columns and the kind of each data position, for a generated step
   * that reads and appends rows in the chunks itself (rowReadLines,
   * rowAppendLines); undefined without a schema (rows kept whole).
   */
  get columns(): { readonly cols: LoggedColumns; readonly kinds: readonly ColumnKind[] } | undefined {
    return this.whole ? undefined : { cols: this.cols, kinds: this.kinds };
  }

  push(e: StreamEvent): void {
    this.pushRow(e.timestamp, e.data, e.type);
  }

  /** Appends an event given as its parts; the values are copied into the columns, `data` is not kept. */
  pushRow(timestamp: number, d: readonly unknown[], type: EventType): void {
    if (this.whole) {
      const c = this.cols;
      const s = c.append();
      c.setF64(TS, s, timestamp);
      c.setU8(TYPE, s, type);
      c.setValue(DATA, s, d.slice());
      return;
    }
    this.appendRow(this.cols, timestamp, d, type);
  }

  /** Timestamp of the head; call only when not empty. */
  peekTimestamp(): number {
    return this.cols.getF64(TS, this.cols.slot(0));
  }

  timestampAt(i: number): number {
    return this.cols.getF64(TS, this.cols.slot(i));
  }

  /** Attribute `index` of the event at position i, without materializing it. */
  valueAt(i: number, index: number): unknown {
    const s = this.cols.slot(i);
    if (this.whole) return (this.cols.getValue(DATA, s) as unknown[])[index];
    return this.kinds[index] === 'f64' ? this.cols.getNumber(DATA + index, s) : this.cols.getValue(DATA + index, s);
  }

  /** Copies the data of the event at position i into `target` (a reused row: no allocation). */
  readInto(i: number, target: unknown[]): void {
    const c = this.cols;
    const s = c.slot(i);
    if (this.whole) {
      const d = c.getValue(DATA, s) as unknown[];
      for (let j = 0; j < d.length; j++) target[j] = d[j];
      return;
    }
    const num = this.numeric;
    for (let j = 0; j < num.length; j++) target[j] = num[j] === 1 ? c.getNumber(DATA + j, s) : c.getValue(DATA + j, s);
  }

  /** A new event for position i, as it was pushed (fresh data array). */
  at(i: number): StreamEvent {
    const s = this.cols.slot(i);
    return new StreamEvent(this.cols.getF64(TS, s), this.dataAt(s), this.cols.getU8(TYPE, s) as EventType);
  }

  /** Removes the head and returns it as a new event; undefined when empty. */
  shift(): StreamEvent | undefined {
    if (this.cols.length === 0) return undefined;
    const e = this.at(0);
    this.cols.shift();
    return e;
  }

  /** Removes the head without reading it (read it first with readInto). */
  dropHead(): void {
    this.cols.shift();
  }

  /** Removes the head and returns its data as a new event of `type` at `timestamp` (an expiry, a release). */
  shiftAs(type: EventType, timestamp: number): StreamEvent {
    const e = new StreamEvent(timestamp, this.dataAt(this.cols.slot(0)), type);
    this.cols.shift();
    return e;
  }

  /** Removes every event and returns them in order. */
  drain(): StreamEvent[] {
    const out = this.toArray();
    this.cols.clear();
    return out;
  }

  /** Removes every event, returning their data as events of `type` at `timestamp` (a batch expiry). */
  drainAs(type: EventType, timestamp: number): StreamEvent[] {
    const n = this.cols.length;
    const out: StreamEvent[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = new StreamEvent(timestamp, this.dataAt(this.cols.slot(i)), type);
    this.cols.clear();
    return out;
  }

  clear(): void {
    this.cols.clear();
  }

  /** Exchanges contents with `other` (same schema) without copying; both next captures are full. */
  swap(other: EventQueue): void {
    this.cols.swap(other.cols);
  }

  toArray(): StreamEvent[] {
    const n = this.cols.length;
    const out: StreamEvent[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.at(i);
    return out;
  }

  [Symbol.iterator](): Iterator<StreamEvent> {
    let i = 0;
    return {
      next: () => (i < this.cols.length ? { value: this.at(i++), done: false } : { value: undefined, done: true }),
    };
  }

  capture(mode: CaptureMode): EventQueueCapture {
    return this.cols.capture(mode);
  }

  restore(state: EventQueueCapture): void {
    if (!('rows' in state)) {
      this.cols.restore(state);
      return;
    }
    if (state.drop === undefined) this.cols.clear();
    else for (let d = Math.min(state.drop, this.length); d > 0; d--) this.cols.shift();
    for (const raw of state.rows) this.push(EVENT_CODEC.decode(raw));
    this.cols.resetLog();
  }

  private dataAt(s: number): unknown[] {
    const c = this.cols;
    if (this.whole) return c.getValue(DATA, s) as unknown[];
    const d = new Array(this.width);
    const num = this.numeric;
    for (let j = 0; j < num.length; j++) d[j] = num[j] === 1 ? c.getNumber(DATA + j, s) : c.getValue(DATA + j, s);
    return d;
  }
}

/**
 * Version 1 of a window cell kept each queue as a LoggedQueue of
 * `[timestamp, data, type]` rows; this renames it to the row form that
 * `EventQueue.restore` loads.
 */
export function migrateQueueV1(q: unknown): EventQueueCapture {
  const s = q as { f: unknown[] } | { drop: number; add: unknown[] };
  return 'f' in s ? { rows: s.f } : { rows: s.add, drop: s.drop };
}


type AppendRow = (c: LoggedColumns, timestamp: number, d: readonly unknown[], type: EventType) => void;

interface QueueLayout {
  readonly kinds: ColumnKind[];
  readonly numeric: Uint8Array;
  readonly columns: readonly ColumnKind[];
  readonly appendRow: AppendRow;
}

const APPEND_ROWS = new Map<string, AppendRow>();

/**
 * One row's column writes as straight-line code for data columns of `kinds`:
 * one copy-on-write check and one chunk look-up per row instead of one per
 * column, no loop over the layout. A value that is not a number in an f64
 * column takes setNumber (nulls and other values kept on the side).
 */
function appendRowFor(kinds: readonly ColumnKind[]): AppendRow {
  const signature = kinds.join(',');
  let append = APPEND_ROWS.get(signature);
  if (append !== undefined) return append;
  const lines = rowAppendLines(kinds, { c: 'c', ts: 'ts', d: 'd', type: 'type' });
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  append = new Function(`return function appendRow(c, ts, d, type) {\n${lines.join('\n')}\n};`)() as AppendRow;
  APPEND_ROWS.set(signature, append);
  return append;
}

/**
 * Source appending one row to the LoggedColumns `c` (timestamp `ts`, data
 * `d`, type `type`, each an expression read once): one copy-on-write check
 * and one chunk look-up, then straight-line column writes. A value that is
 * not a number in an f64 column takes setNumber (nulls and other values kept
 * on the side). Declares `s`, `ch` and `i`: put it in a block of its own.
 */
export function rowAppendLines(kinds: readonly ColumnKind[], v: { c: string; ts: string; d: string; type: string }): string[] {
  const { c, d } = v;
  const lines = [
    `const s = ${c}.appendWritable();`,
    `const ch = ${c}.chunkOf(s), i = s & ${CHUNK_MASK};`,
    `ch.f64[${TS}][i] = ${v.ts};`,
    `ch.u8[${TYPE}][i] = ${v.type};`,
  ];
  kinds.forEach((k, j) => {
    const col = DATA + j;
    if (k === 'f64') {
      lines.push(`{ const v = ${d}[${j}]; if (typeof v === 'number') { ch.f64[${col}][i] = v; const m = ch.masks[${col}]; if (m !== null) m[i] = ${NUMBER}; } else ${c}.setNumber(${col}, s, v); }`);
    } else {
      lines.push(`ch.any[${col}][i] = ${d}[${j}];`);
    }
  });
  return lines;
}

/**
 * Source reading data positions of the head row of the LoggedColumns `c`
 * into consts (`[name, data index]`), as valueAt(0, index) does: one chunk
 * look-up for all of them. The chunk is settled first (a restored one
 * decodes its columns on first use). Declares `hs`, `hc`, `hi` and `m<col>`.
 */
export function headReadLines(kinds: readonly ColumnKind[], c: string, reads: readonly (readonly [string, number])[]): string[] {
  const lines = [`const hs = ${c}.slot(0), hc = ${c}.chunkOf(hs), hi = hs & ${CHUNK_MASK};`, 'hc.settle();'];
  for (const [name, index] of reads) {
    const col = DATA + index;
    if (kinds[index] === 'f64') {
      lines.push(`const m${col} = hc.masks[${col}];`);
      lines.push(`const ${name} = m${col} === null || m${col}[hi] === ${NUMBER} ? hc.f64[${col}][hi] : m${col}[hi] === ${NULL} ? null : hc.others[${col}][hi];`);
    } else {
      lines.push(`const ${name} = hc.any[${col}][hi];`);
    }
  }
  return lines;
}

/** Derived once per schema: every partition instance of a window shares it. */
const QUEUE_LAYOUTS = new WeakMap<readonly { readonly type: AttributeType }[], QueueLayout>();

function queueLayout(attributes: readonly { readonly type: AttributeType }[]): QueueLayout {
  let layout = QUEUE_LAYOUTS.get(attributes);
  if (layout === undefined) {
    const kinds = attributes.map((a): ColumnKind => (NUMERIC[a.type] ? 'f64' : 'any'));
    const head: ColumnKind[] = attributes.length === 0 ? ['f64', 'u8', 'any'] : ['f64', 'u8'];
    layout = { kinds, numeric: Uint8Array.from(kinds, (k) => (k === 'f64' ? 1 : 0)), columns: [...head, ...kinds], appendRow: appendRowFor(kinds) };
    QUEUE_LAYOUTS.set(attributes, layout);
  }
  return layout;
}
