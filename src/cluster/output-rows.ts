// A partition's output between two commits, kept as rows (stream, time, data
// as JSON) and written as one JSON text per commit: under half the bytes of
// 'siddhi run' lines (the stream names once, no keys) and less to serialise.
// A row's data is serialised when it arrives, so what waits for the commit is
// one string per row, not its arrays and numbers (cheaper to keep through
// garbage collections). `decodeRows` turns an entry back into exactly the
// lines 'siddhi run' prints. Filled by partition-runner.ts, read by redis-broker.ts.

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
  readonly flat: (number | string)[];
  readonly count: number;
}

export class OutputRows {
  /** Per row: the stream's index, the time, the data as JSON. */
  private flat: (number | string)[] = [];
  /** Rows held. */
  count = 0;
  private readonly head: string;

  constructor(
    readonly streams: readonly string[],
    /** Hears a row that cannot be written as JSON (it is left out, as 'siddhi run' leaves its line out). */
    private readonly onUnwritable: (stream: string, time: number, message: string) => void,
  ) {
    this.head = `{"s":${JSON.stringify(streams)},"r":[`;
  }

  add(stream: number, time: number, data: readonly unknown[], expired: boolean): void {
    let json: string;
    try {
      json = JSON.stringify(data);
    } catch {
      try {
        json = JSON.stringify(data, jsonValue);
      } catch (err) {
        this.onUnwritable(this.streams[stream]!, time, (err as Error).message);
        return;
      }
    }
    this.flat.push(expired ? -1 - stream : stream, Number.isFinite(time) ? time : 'null', json);
    this.count++;
  }

  take(): TakenRows {
    const taken = { flat: this.flat, count: this.count };
    this.flat = [];
    this.count = 0;
    return taken;
  }

  /** Puts rows taken for a commit that failed back in front of the rows added since. */
  restore(taken: TakenRows): void {
    this.flat = taken.flat.concat(this.flat);
    this.count += taken.count;
  }

  /** The entry text of `taken` ('' for no rows). */
  encode(taken: TakenRows): string {
    return taken.count === 0 ? '' : `${this.head}${taken.flat.join(',')}]}`;
  }
}

/** The 'siddhi run' output lines of an entry's text, in order. */
export function decodeRows(text: string): string[] {
  const { s, r } = JSON.parse(text) as EncodedRows;
  const lines: string[] = [];
  for (let i = 0; i < r.length; i += 3) {
    const at = r[i] as number;
    lines.push(JSON.stringify({ stream: s[at < 0 ? -1 - at : at], time: r[i + 1], data: r[i + 2], expired: at < 0 }));
  }
  return lines;
}
