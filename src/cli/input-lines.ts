// Input lines of `siddhi run`: `{"stream":"S","data":[…],"time":T}` sends an
// event, `{"time":T}` advances the playback clock (input-stream.ts reads the
// files); and readText for whole files (apps). Called by the run and check commands.

import { readFileSync } from 'node:fs';
import { CliUsageError } from './io.js';

/** `origin` is "file:line" for messages; `source` is the file's index among the inputs. */
export type InputLine =
  | { readonly kind: 'event'; readonly stream: string; readonly data: unknown[]; readonly time?: number; readonly origin: string; readonly source: number }
  | { readonly kind: 'time'; readonly time: number; readonly origin: string; readonly source: number };

/** A file's text without a leading UTF-8 BOM; `-` reads standard input. Unreadable files are usage errors. */
export function readText(file: string): string {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new CliUsageError(`cannot read '${file}': ${(err as Error).message}`);
  }
  // Editors on Windows often save UTF-8 with a BOM; it is not part of the text.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** One parsed JSON line as an input line; anything malformed is a usage error naming `origin`. */
export function toInputLine(value: unknown, origin: string, source: number): InputLine {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CliUsageError(`${origin}: expected an object like {"stream":"S","data":[…],"time":1000} or {"time":1000}`);
  }
  const v = value as { stream?: unknown; data?: unknown; time?: unknown };
  if (v.time !== undefined && (typeof v.time !== 'number' || !Number.isFinite(v.time))) {
    throw new CliUsageError(`${origin}: "time" must be a number (epoch milliseconds)`);
  }
  if (v.stream === undefined) {
    if (v.time === undefined || v.data !== undefined) throw new CliUsageError(`${origin}: an event needs "stream" and "data"; a clock line has only "time"`);
    return { kind: 'time', time: v.time, origin, source };
  }
  if (typeof v.stream !== 'string') throw new CliUsageError(`${origin}: "stream" must be a string`);
  if (!Array.isArray(v.data)) throw new CliUsageError(`${origin}: "data" must be an array of attribute values`);
  return v.time === undefined
    ? { kind: 'event', stream: v.stream, data: v.data, origin, source }
    : { kind: 'event', stream: v.stream, data: v.data, time: v.time, origin, source };
}
