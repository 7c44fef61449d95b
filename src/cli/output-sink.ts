// Where `siddhi run` writes output lines: standard output or a file. A file
// sink knows its byte position and can make it durable (fsync), which the
// checkpointed run records with each checkpoint. Used by run-command.ts.

import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { CliUsageError, type CliIo } from './io.js';

export interface Sink {
  write(text: string): void;
  /** Writes what is buffered. */
  flush(): void;
  close(): void;
  /** When the destination is full (a slow reader of a pipe): resolves once it drained; the run waits before the next line. */
  backlog?(): Promise<void> | undefined;
}

export interface FileSink extends Sink {
  /** Bytes written so far (buffered ones included once flushed). */
  readonly position: number;
  /** Flushes and fsyncs: everything up to `position` is on disk. */
  sync(): void;
}

const FLUSH_LINES = 1024;

/**
 * Buffers output lines and writes them to io.stdout. A stream that says it is
 * full (write() returns false) makes backlog() hand out its next 'drain', so
 * the output waiting in memory stays bounded however slow the reader.
 */
export function openStdoutSink(io: CliIo): Sink {
  let buffer: string[] = [];
  let drained: Promise<void> | undefined;
  const out = io.stdout as CliIo['stdout'] & { once?(event: 'drain' | 'error' | 'close', listener: () => void): unknown };
  const flush = (): void => {
    if (buffer.length === 0) return;
    const accepted = out.write(buffer.join(''));
    buffer = [];
    if (accepted === false && out.once && drained === undefined) {
      drained = new Promise((resolve) => {
        const done = (): void => {
          drained = undefined;
          resolve();
        };
        // A reader that went away (EPIPE) never drains: the run goes on and the write errors surface as usual.
        for (const event of ['drain', 'error', 'close'] as const) out.once!(event, done);
      });
    }
  };
  return {
    write(text) {
      buffer.push(text);
      if (buffer.length >= FLUSH_LINES) flush();
    },
    flush,
    close: flush,
    backlog: () => drained,
  };
}

/**
 * Opens `file` for output. With `keep` undefined the file is truncated to
 * empty; otherwise it must hold at least `keep` bytes, is cut to exactly that
 * length, and writing continues there (a resumed run).
 */
export function openFileSink(file: string, keep?: number): FileSink {
  let fd: number;
  try {
    fd = openSync(file, keep === undefined ? 'w' : 'r+');
  } catch (err) {
    throw new CliUsageError(`cannot write '${file}': ${(err as Error).message}`);
  }
  let position = 0;
  if (keep !== undefined) {
    const size = fstatSync(fd).size;
    if (size < keep) {
      closeSync(fd);
      throw new CliUsageError(
        `'${file}' has ${size} bytes but the checkpoint records ${keep} written; it was changed or truncated since, so the run cannot resume exactly`,
      );
    }
    ftruncateSync(fd, keep);
    position = keep;
  }
  let buffer: string[] = [];
  const flush = (): void => {
    if (buffer.length === 0) return;
    const bytes = Buffer.from(buffer.join(''), 'utf8');
    buffer = [];
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
    position += bytes.length;
  };
  return {
    get position() {
      return position;
    },
    write(text) {
      buffer.push(text);
      if (buffer.length >= FLUSH_LINES) flush();
    },
    flush,
    sync() {
      flush();
      fsyncSync(fd);
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
}
