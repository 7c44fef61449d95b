// What the plain and the checkpointed `siddhi run` share: output callbacks
// that write JSON lines, and sending one input line. Used by run-command.ts
// and checkpointed-run.ts.

import type { EventLine, SiddhiAppRuntime } from '../index.js';
import type { CliIo } from './io.js';
import { isAppError } from './format-error.js';
import { floatPositionsOf, jsonRow, jsonValue } from '../runtime/values.js';

/** What connect() saw go wrong: output events that could not be written as JSON. */
export interface OutputStatus {
  unwritable: number;
}

/**
 * Writes every output event of `streams` as a JSON line; reports engine
 * errors. An event that cannot be serialised (a circular object, a throwing
 * toJSON) is reported with its stream and time and counted, so the run exits non-zero.
 */
export function connect(runtime: SiddhiAppRuntime, streams: readonly string[], write: (text: string) => void, io: CliIo): OutputStatus {
  const status: OutputStatus = { unwritable: 0 };
  runtime.onError((err) => io.stderr.write(`siddhi run: runtime error: ${err.message}\n`));
  for (const stream of streams) {
    const floats = floatPositions(runtime, stream);
    runtime.addCallback(stream, (out) => {
      for (const e of out) {
        let line: string;
        try {
          line = toJsonLine(stream, e.timestamp, jsonRow(e.data, floats), e.isExpired);
        } catch (err) {
          status.unwritable++;
          io.stderr.write(`siddhi run: cannot write an output event of stream '${stream}' at time ${e.timestamp} as JSON: ${(err as Error).message}\n`);
          continue;
        }
        write(`${line}\n`);
      }
    });
  }
  return status;
}

/** Sends one input line; false when the event was rejected (reported with its origin). */
export function sendLine(runtime: SiddhiAppRuntime, line: EventLine, io: CliIo): boolean {
  if (line.kind === 'time') {
    runtime.advanceTime(line.time);
    return true;
  }
  try {
    runtime.getInputHandler(line.stream).send(line.data, line.time);
    return true;
  } catch (err) {
    if (!isAppError(err)) throw err;
    io.stderr.write(`${line.origin}: rejected event: ${err.message}\n`);
    return false;
  }
}

/** Where the stream has float attributes (none for a stream the runtime does not describe). */
function floatPositions(runtime: SiddhiAppRuntime, stream: string): number[] {
  let attributes;
  try {
    attributes = runtime.getStreamAttributes(stream);
  } catch {
    return [];
  }
  return floatPositionsOf(attributes);
}

/**
 * V8 serialises without a replacer on its fast path, several times quicker than
 * with one; only a row holding a bigint (which plain JSON.stringify refuses) or
 * an object (a Map would print as {}) needs jsonValue.
 */
function toJsonLine(stream: string, time: number, data: readonly unknown[], expired: boolean): string {
  const value = { stream, time, data, expired };
  if (data.some((v) => typeof v === 'object' && v !== null)) return JSON.stringify(value, jsonValue);
  try {
    return JSON.stringify(value);
  } catch {
    return JSON.stringify(value, jsonValue);
  }
}
