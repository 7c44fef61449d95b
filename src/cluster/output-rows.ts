// A partition's output between two commits, kept as rows (stream, time, data
// as JSON) and written as one JSON text per commit: under half the bytes of
// 'siddhi run' lines (the stream names once, no keys) and less to serialise.
// Rows are serialised a group at a time (one JSON.stringify per 256 rows) into
// a UTF-8 buffer: what waits for the commit is bytes outside the JS heap, not
// strings the garbage collector would move and scan, and the commit hands the
// broker those bytes as they are. `decodeRows` turns an entry back into
// exactly the lines 'siddhi run' prints (partition-runner.ts adds rows with
// floats already as 'siddhi run' writes them, values.ts jsonRow). Filled by
// partition-runner.ts, sent by redis-broker.ts.

import { jsonValue } from '../runtime/values.js';

/**
 * An entry's text: `{"s":[stream names],"r":[i,time,data, i,time,data, …]}`,
 * where `i` indexes `s`, or is `-1 - index` for an expired event.
 */
interface EncodedRows {
  readonly s: readonly string[];
  readonly r: readonly unknown[];
}

/** Rows taken for a commit; handed back with `restore` when the commit did not happen. */
export interface TakenRows {
  /** The entry text so far: the head, then the rows, comma-separated, as UTF-8 (with room for the tail). */
  readonly buffer: Buffer;
  readonly length: number;
  readonly count: number;
}

/** Rows serialised together: one JSON.stringify per this many rows, whose text then goes to the buffer. */
const GROUP_ROWS = 256;
const TAIL = Buffer.from(']}');
const EMPTY = Buffer.alloc(0);

export class OutputRows {
  /** Rows serialised into `buffer`. */
  private written = 0;
  private buffer: Buffer;
  /** Bytes of `buffer` in use: the head, then the rows serialised. */
  private length: number;
  /** Rows not yet serialised, flat: stream index (or -1 - index when expired), time, data. */
  private group: unknown[] = [];
  /** The buffer of a commit the broker has answered, for the next take(): no new buffer outside the heap per commit. */
  private spare: Buffer | undefined;
  private readonly head: Buffer;

  constructor(
    readonly streams: readonly string[],
    /** Hears a row that cannot be written as JSON (it is left out, as 'siddhi run' leaves its line out). */
    private readonly onUnwritable: (stream: string, time: number, message: string) => void,
  ) {
    this.head = Buffer.from(`{"s":${JSON.stringify(streams)},"r":[`);
    this.buffer = this.fresh(64 * 1024);
    this.length = this.head.length;
  }

  /** Keeps `data` until the group is serialised: pass a row nobody changes meanwhile (callbacks get copies). */
  add(stream: number, time: number, data: readonly unknown[], expired: boolean): void {
    this.group.push(expired ? -1 - stream : stream, time, data);
    if (this.group.length >= 3 * GROUP_ROWS) this.flush();
  }

  /** Rows held. */
  get count(): number {
    return this.written + this.group.length / 3;
  }

  take(): TakenRows {
    this.flush();
    const taken = { buffer: this.buffer, length: this.length, count: this.written };
    // The taken bytes travel to the broker while new rows arrive: the spare buffer, or a new one sized for a commit like this one.
    const spare = this.spare;
    this.spare = undefined;
    this.buffer = spare !== undefined && spare.length >= this.length ? spare : this.fresh(this.length + (this.length >> 2));
    this.length = this.head.length;
    this.written = 0;
    return taken;
  }

  /** Puts rows taken for a commit that failed back in front of the rows added since. */
  restore(taken: TakenRows): void {
    if (taken.count === 0) return;
    this.flush();
    const later = Buffer.from(this.buffer.subarray(this.head.length, this.length));
    this.length = this.head.length;
    this.append(taken.buffer.subarray(this.head.length, taken.length));
    if (this.written > 0) this.append(COMMA);
    this.append(later);
    this.written += taken.count;
  }

  /** Hands back the buffer of rows the broker has answered for (committed, or restored after a failure). */
  recycle(taken: TakenRows): void {
    if (taken.buffer !== this.buffer) this.spare = taken.buffer;
  }

  /** The entry text of `taken` as UTF-8 (empty for no rows); a view of its buffer, valid until it is recycled. */
  encode(taken: TakenRows): Buffer {
    if (taken.count === 0) return EMPTY;
    TAIL.copy(taken.buffer, taken.length);
    return taken.buffer.subarray(0, taken.length + TAIL.length);
  }

  private flush(): void {
    const group = this.group;
    if (group.length === 0) return;
    this.group = [];
    let text: string;
    let rows = group.length / 3;
    try {
      text = JSON.stringify(group);
    } catch {
      ({ text, rows } = this.serialiseEach(group));
      if (rows === 0) return;
    }
    // The group's text without its brackets, after a comma when rows precede it.
    this.reserve(1 + text.length * 3);
    if (this.written > 0) this.buffer[this.length++] = 0x2c;
    this.length += this.buffer.write(text.slice(1, -1), this.length, 'utf8');
    this.written += rows;
  }

  /** A group holding a value JSON.stringify refuses: row by row, as before grouping (bigints as 'siddhi run' writes them), unwritable rows reported. */
  private serialiseEach(group: unknown[]): { text: string; rows: number } {
    const parts: string[] = [];
    for (let i = 0; i < group.length; i += 3) {
      const row = [group[i], group[i + 1], group[i + 2]];
      try {
        parts.push(JSON.stringify(row).slice(1, -1));
      } catch {
        try {
          parts.push(JSON.stringify(row, jsonValue).slice(1, -1));
        } catch (err) {
          const at = row[0] as number;
          this.onUnwritable(this.streams[at < 0 ? -1 - at : at]!, row[1] as number, (err as Error).message);
        }
      }
    }
    return { text: `[${parts.join(',')}]`, rows: parts.length };
  }

  private append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Room for `bytes` more, and for the tail after them. */
  private reserve(bytes: number): void {
    if (this.length + bytes + TAIL.length <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes + TAIL.length));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  /** A buffer beginning with the head. */
  private fresh(size: number): Buffer {
    const b = Buffer.allocUnsafe(Math.max(64 * 1024, size));
    this.head.copy(b, 0);
    return b;
  }
}

const COMMA = Buffer.from(',');

/** The 'siddhi run' output lines of an entry's text, in order. */
export function decodeRows(text: string | Uint8Array): string[] {
  const { s, r } = JSON.parse(typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8')) as EncodedRows;
  const lines: string[] = [];
  for (let i = 0; i < r.length; i += 3) {
    const at = r[i] as number;
    lines.push(JSON.stringify({ stream: s[at < 0 ? -1 - at : at], time: r[i + 1], data: r[i + 2], expired: at < 0 }));
  }
  return lines;
}
