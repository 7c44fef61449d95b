// The multi-stream JSON-lines file source: each line names its stream
// (event-line.ts), several files are merged by time in playback mode. Its
// position — per file the bytes and lines consumed — is a state cell
// (`state`), so a runtime restored from a checkpoint resumes reading exactly
// after the last line that checkpoint covered. `siddhi run --input` reads through it.

import { closeSync, openSync, readSync } from 'node:fs';
import { SiddhiError } from '../../errors.js';
import type { SourceState } from '../contract.js';
import { parseEventLine, type EventLine } from './event-line.js';
import { LineReader, type LinePosition } from './line-reader.js';

/** What the state cell holds. */
export interface EventFilesPosition {
  readonly files: readonly ({ readonly file: string } & LinePosition)[];
  /** Lines consumed, counted in the merged order they were read. */
  readonly lines: number;
  /** Of those, events the app refused (see `rejected`). */
  readonly rejected: number;
}

export interface EventFileOptions {
  /** Playback asked for; otherwise playback when the first event line has a "time". */
  readonly playback?: boolean;
  /** Makes the error thrown for unreadable files, malformed lines and clock-rule breaks. */
  readonly fail?: (message: string) => Error;
}

/** One file's parsed lines with one line of lookahead; `consumed` is where a resume starts. */
class EventFile {
  private reader: LineReader;
  private ahead: { line: EventLine; at: LinePosition } | undefined | null = null;
  consumed: LinePosition = { offset: 0, line: 0 };

  constructor(readonly file: string, private readonly index: number, private readonly fail: (m: string) => Error) {
    this.reader = new LineReader(file, this.consumed, fail);
  }

  peek(): EventLine | undefined {
    if (this.ahead === null) this.ahead = this.read();
    return this.ahead?.line;
  }

  next(): EventLine | undefined {
    const ahead = this.peek() === undefined ? undefined : this.ahead;
    if (!ahead) return undefined;
    this.ahead = null;
    this.consumed = ahead.at;
    return ahead.line;
  }

  seek(at: LinePosition): void {
    this.reader.close();
    this.reader = new LineReader(this.file, at, this.fail);
    this.consumed = at;
    this.ahead = null;
  }

  close(): void {
    this.reader.close();
  }

  private read(): { line: EventLine; at: LinePosition } | undefined {
    const r = this.reader;
    for (;;) {
      const text = r.next();
      if (text === undefined) return undefined;
      if (text.trim() === '') continue;
      const line = parseEventLine(text, `${this.file}:${r.line}`, this.index, this.fail);
      return { line, at: { offset: r.offset, line: r.line } };
    }
  }
}

/**
 * The clock is decided before the first event is sent: playback when asked or
 * when the first event line has a "time". A later event that breaks the rule
 * (or a clock line on the wall clock) is thrown as an error naming its line.
 *
 * @example
 * const input = new EventFileSource(['events.jsonl']);
 * const runtime = manager.createSiddhiAppRuntime(appText, { playback: input.playback, sourceState: { files: input.state } });
 * for (let line = input.next(); line; line = input.next()) if (line.kind === 'event') runtime.getInputHandler(line.stream).send(line.data, line.time);
 */
export class EventFileSource implements Iterable<EventLine> {
  readonly playback: boolean;
  /** Events the app refused; counted by the caller, kept in the checkpoint (a resumed run still knows). */
  rejected = 0;
  private consumed = 0;
  private readonly files: EventFile[];
  private readonly firstEvent: EventLine | undefined;
  private readonly fail: (message: string) => Error;
  private restored: EventFilesPosition | undefined;
  private problem: string | undefined;

  constructor(files: readonly string[], options: EventFileOptions = {}) {
    this.fail = options.fail ?? ((m) => new SiddhiError(m, { code: 'SOURCE' }));
    this.files = files.map((f, i) => new EventFile(f, i, this.fail));
    this.firstEvent = this.findFirstEvent();
    this.playback = options.playback === true || this.firstEvent === undefined || this.firstEvent.time !== undefined;
  }

  /** The position as a state cell: `sourceState` of createSiddhiAppRuntime registers it. */
  readonly state: SourceState<EventFilesPosition> = {
    kind: 'source.file.lines',
    capture: () => ({
      files: this.files.map((f) => ({ file: f.file, ...f.consumed })),
      lines: this.consumed,
      rejected: this.rejected,
    }),
    restore: (p) => this.restore(p),
  };

  /** Lines consumed so far (restored ones included). */
  get lines(): number {
    return this.consumed;
  }

  /**
   * The position a restore loaded, undefined when none did; throws when the
   * files are not the ones the checkpoint read (other names, or cut short).
   */
  resumed(): EventFilesPosition | undefined {
    if (this.problem !== undefined) throw this.fail(this.problem);
    return this.restored;
  }

  /** The time of the first line (for a playback start time), before anything was consumed. */
  firstTime(): number | undefined {
    return this.playback ? this.pickMerged()?.peek()?.time : undefined;
  }

  /** The next line in reading order (merged by time in playback, file after file otherwise), consumed. */
  next(): EventLine | undefined {
    const line = this.playback ? this.pickMerged()?.next() : this.nextInOrder();
    if (line === undefined) return undefined;
    this.consumed++;
    this.check(line);
    return line;
  }

  *[Symbol.iterator](): Iterator<EventLine> {
    for (let line = this.next(); line !== undefined; line = this.next()) yield line;
  }

  close(): void {
    for (const f of this.files) f.close();
  }

  private restore(p: EventFilesPosition): void {
    const recorded = p.files.map((f) => f.file);
    if (recorded.join('\0') !== this.files.map((f) => f.file).join('\0')) {
      this.problem = `the checkpoint was taken reading ${recorded.join(', ')}; resume with the same input files in the same order`;
      return;
    }
    p.files.forEach((at, i) => this.files[i]!.seek(at));
    // A file shorter than the position, or not at a line end there, was changed since.
    const changed = p.files.find((at) => at.offset > 0 && !endsLineAt(at.file, at.offset));
    if (changed) this.problem = `input file '${changed.file}' changed since the checkpoint (which had read ${changed.line} lines of it); cannot resume exactly`;
    this.consumed = p.lines;
    this.rejected = p.rejected;
    this.restored = p;
  }

  private check(line: EventLine): void {
    if (line.kind === 'time') {
      if (!this.playback) throw this.fail(`${line.origin}: a {"time":…} line needs playback mode (--playback, or a "time" on every event)`);
      return;
    }
    if (this.playback && line.time === undefined) {
      const timed = this.firstEvent?.time !== undefined ? `, while ${this.firstEvent.origin} has one` : '';
      throw this.fail(`${line.origin}: an event without a "time"${timed}; in playback mode every event needs a "time"`);
    }
    if (!this.playback && line.time !== undefined) {
      throw this.fail(`${this.firstEvent!.origin}: an event without a "time", while ${line.origin} has one; give every event a "time" (playback) or none (wall clock)`);
    }
  }

  /** Looks ahead for the first event line (clock lines before it stay buffered, one per file). */
  private findFirstEvent(): EventLine | undefined {
    for (const f of this.files) {
      const line = f.peek();
      if (line?.kind === 'event') return line;
      if (line !== undefined) return undefined; // a clock line first: playback
    }
    return undefined;
  }

  private nextInOrder(): EventLine | undefined {
    for (const f of this.files) {
      const line = f.next();
      if (line !== undefined) return line;
    }
    return undefined;
  }

  /** k-way merge by time; on equal times the earlier file goes first. */
  private pickMerged(): EventFile | undefined {
    let best: EventFile | undefined;
    let bestTime = Infinity;
    for (const f of this.files) {
      const line = f.peek();
      if (line === undefined) continue;
      const time = line.time ?? -Infinity;
      if (best === undefined || time < bestTime) {
        best = f;
        bestTime = time;
      }
    }
    return best;
  }
}

/** Whether the byte before `offset` of `file` ends a line. */
function endsLineAt(file: string, offset: number): boolean {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(1);
    return readSync(fd, b, 0, 1, offset - 1) === 1 && (b[0] === 10 || b[0] === 13);
  } finally {
    closeSync(fd);
  }
}
