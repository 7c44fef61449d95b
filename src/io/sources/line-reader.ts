// Reads a file's lines from a byte offset and says, after each line, how many
// bytes of complete lines it has consumed: the position the `file` sources keep
// in their state cells (file-source.ts, event-file-source.ts) to resume exactly.

import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 1 << 20;
const LF = 10;
const CR = 13;

/** Where a reader stands: bytes consumed (line ends included) and lines read. */
export interface LinePosition {
  readonly offset: number;
  readonly line: number;
}

/**
 * LF, CRLF and CR end a line; a leading UTF-8 BOM is skipped. `'-'` reads
 * standard input (no seeking: only from offset 0). Errors opening or reading
 * are thrown as `fail(message)`.
 */
export class LineReader {
  private readonly fd: number;
  private readonly chunk = Buffer.allocUnsafe(CHUNK);
  private buffer = Buffer.alloc(0);
  /** Unread bytes are buffer[start..]. */
  private start = 0;
  /** File position of the next read (null for standard input). */
  private readAt: number | null;
  /** Index of the next CR at or after `start`, -1 when the buffer has none, NaN when not yet looked for. */
  private cr = NaN;
  private offsetNow: number;
  private lineNow: number;

  constructor(readonly file: string, at: LinePosition = { offset: 0, line: 0 }, private readonly fail: (message: string) => Error = (m) => new Error(m)) {
    try {
      this.fd = file === '-' ? 0 : openSync(file, 'r');
    } catch (err) {
      throw fail(`cannot read '${file}': ${(err as Error).message}`);
    }
    this.readAt = file === '-' ? null : at.offset;
    this.offsetNow = at.offset;
    this.lineNow = at.line;
  }

  /** Bytes of the lines returned so far, from the start of the file. */
  get offset(): number {
    return this.offsetNow;
  }

  /** Number (1-based) of the last line returned. */
  get line(): number {
    return this.lineNow;
  }

  /**
   * The next line without its end; undefined at the end of the data. With
   * `final` false (tailing a file that is still written) a last line without
   * an end waits for more data instead of being returned.
   */
  next(final = true): string | undefined {
    for (;;) {
      const line = this.take(false);
      if (line !== undefined) return line;
      if (this.fill() === 0) return final ? this.take(true) : undefined;
    }
  }

  close(): void {
    if (this.file !== '-') closeSync(this.fd);
  }

  private take(atEnd: boolean): string | undefined {
    const b = this.buffer;
    const from = this.start;
    if (from >= b.length) return undefined;
    if (Number.isNaN(this.cr) || (this.cr >= 0 && this.cr < from)) this.cr = b.indexOf(CR, from);
    let end = b.indexOf(LF, from);
    let endLength = 1;
    if (this.cr >= 0 && (end < 0 || this.cr < end)) {
      end = this.cr;
      // A CR as the last byte read may be the first half of a CRLF.
      if (end + 1 < b.length) endLength = b[end + 1] === LF ? 2 : 1;
      else if (!atEnd) return undefined;
    }
    if (end < 0) {
      if (!atEnd) return undefined;
      end = b.length;
      endLength = 0;
    }
    const text = b.toString('utf8', from, end);
    this.start = end + endLength;
    this.offsetNow += this.start - from;
    this.lineNow++;
    return text;
  }

  /** Reads the next chunk after the unread bytes; 0 at the end of the data for now. */
  private fill(): number {
    // The unread bytes may lie in `chunk`, which the read reuses: copy them first (at most one line).
    const rest = this.start < this.buffer.length ? Buffer.from(this.buffer.subarray(this.start)) : undefined;
    const n = this.read(this.chunk);
    if (n === 0) return 0;
    let data = rest ? Buffer.concat([rest, this.chunk.subarray(0, n)]) : this.chunk.subarray(0, n);
    // Editors on Windows often save UTF-8 with a BOM; it is not part of the first line.
    if (this.offsetNow === 0 && this.lineNow === 0 && !rest && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
      data = data.subarray(3);
      this.offsetNow = 3;
    }
    this.buffer = data;
    this.start = 0;
    this.cr = NaN;
    if (this.readAt !== null) this.readAt += n;
    return n;
  }

  private read(chunk: Buffer): number {
    for (;;) {
      try {
        return readSync(this.fd, chunk, 0, chunk.length, this.readAt);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue; // a non-blocking stdin with nothing yet
        if (code === 'EOF') return 0;
        throw this.fail(`cannot read '${this.file}': ${(err as Error).message}`);
      }
    }
  }
}
