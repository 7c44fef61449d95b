// Streams `siddhi run` input files line by line (1 MB reads), so memory does
// not grow with the input: the lines of all files in the order the run reads
// them — merged by time in playback mode, file after file on the wall clock —
// with the clock rules checked as each line arrives. Called by run-command.ts.

import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { CliUsageError } from './io.js';
import { toInputLine, type InputLine } from './input-lines.js';

const CHUNK = 1 << 20;

/** The raw lines of a file ('-': standard input), without a leading BOM; LF, CRLF and CR end a line. */
export function* readLines(file: string): Generator<string> {
  let fd: number;
  try {
    fd = file === '-' ? 0 : openSync(file, 'r');
  } catch (err) {
    throw new CliUsageError(`cannot read '${file}': ${(err as Error).message}`);
  }
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.allocUnsafe(CHUNK);
  let rest = '';
  let first = true;
  try {
    for (;;) {
      const n = readChunk(fd, buffer, file);
      let text = rest + (n > 0 ? decoder.write(buffer.subarray(0, n)) : decoder.end());
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      // A CR at the end of a chunk may be the first half of a CRLF: keep it for the next read.
      const keep = n > 0 && text.endsWith('\r') ? 1 : 0;
      const parts = text.slice(0, text.length - keep).split(/\r\n|\r|\n/);
      rest = parts.pop()! + text.slice(text.length - keep);
      yield* parts;
      if (n === 0) break;
    }
    if (rest !== '') yield rest.replace(/\r$/, '');
  } finally {
    if (file !== '-') closeSync(fd);
  }
}

function readChunk(fd: number, buffer: Buffer, file: string): number {
  for (;;) {
    try {
      return readSync(fd, buffer, 0, buffer.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') continue; // a non-blocking stdin with nothing yet
      if (code === 'EOF') return 0;
      throw new CliUsageError(`cannot read '${file}': ${(err as Error).message}`);
    }
  }
}

/** One input file's parsed lines with one line of lookahead. */
class InputFile {
  private readonly raw: Generator<string>;
  private lineNo = 0;
  private ahead: InputLine | undefined | null = null;

  constructor(readonly file: string, readonly source: number) {
    this.raw = readLines(file);
  }

  peek(): InputLine | undefined {
    if (this.ahead === null) this.ahead = this.read();
    return this.ahead;
  }

  next(): InputLine | undefined {
    const line = this.peek();
    this.ahead = null;
    return line;
  }

  private read(): InputLine | undefined {
    for (;;) {
      const r = this.raw.next();
      if (r.done) return undefined;
      this.lineNo++;
      if (r.value.trim() === '') continue;
      const origin = `${this.file}:${this.lineNo}`;
      let value: unknown;
      try {
        value = JSON.parse(r.value);
      } catch (err) {
        throw new CliUsageError(`${origin}: not JSON: ${(err as Error).message}`);
      }
      return toInputLine(value, origin, this.source);
    }
  }
}

/**
 * The input of a run. The clock is decided before the first event is sent:
 * playback when asked or when the first event line has a "time". A later
 * event that breaks the rule (or a clock line on the wall clock) is a usage
 * error naming its line.
 */
export class InputStream implements Iterable<InputLine> {
  readonly playback: boolean;
  private readonly files: InputFile[];
  private readonly firstEvent: InputLine | undefined;

  constructor(files: readonly string[], playback: boolean) {
    this.files = files.map((f, i) => new InputFile(f, i));
    this.firstEvent = this.findFirstEvent();
    this.playback = playback || this.firstEvent === undefined || this.firstEvent.time !== undefined;
  }

  /** The time of the first line read (for --start-time first). */
  firstTime(): number | undefined {
    return this.playback ? this.peekMerged()?.time : undefined;
  }

  *[Symbol.iterator](): Iterator<InputLine> {
    for (;;) {
      const line = this.playback ? this.nextMerged() : this.nextInOrder();
      if (line === undefined) return;
      this.check(line);
      yield line;
    }
  }

  /** Looks ahead for the first event line (clock lines before it stay buffered, one per file). */
  private findFirstEvent(): InputLine | undefined {
    for (const f of this.files) {
      const line = f.peek();
      if (line?.kind === 'event') return line;
      if (line !== undefined) return undefined; // a clock line first: playback
    }
    return undefined;
  }

  private check(line: InputLine): void {
    if (line.kind === 'time') {
      if (!this.playback) throw new CliUsageError(`${line.origin}: a {"time":…} line needs playback mode (--playback, or a "time" on every event)`);
      return;
    }
    if (this.playback && line.time === undefined) {
      const timed = this.firstEvent?.time !== undefined ? `, while ${this.firstEvent.origin} has one` : '';
      throw new CliUsageError(`${line.origin}: an event without a "time"${timed}; in playback mode every event needs a "time"`);
    }
    if (!this.playback && line.time !== undefined) {
      throw new CliUsageError(`${this.firstEvent!.origin}: an event without a "time", while ${line.origin} has one; give every event a "time" (playback) or none (wall clock)`);
    }
  }

  private nextInOrder(): InputLine | undefined {
    for (const f of this.files) {
      const line = f.next();
      if (line !== undefined) return line;
    }
    return undefined;
  }

  /** k-way merge by time; on equal times the earlier file goes first. */
  private pickMerged(): InputFile | undefined {
    let best: InputFile | undefined;
    for (const f of this.files) {
      const line = f.peek();
      if (line === undefined) continue;
      const time = line.time ?? -Infinity;
      if (best === undefined || time < (best.peek()!.time ?? -Infinity)) best = f;
    }
    return best;
  }

  private peekMerged(): InputLine | undefined {
    return this.pickMerged()?.peek();
  }

  private nextMerged(): InputLine | undefined {
    return this.pickMerged()?.next();
  }
}
