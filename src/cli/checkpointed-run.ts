// `siddhi run --checkpoint-dir`: the exactly-once loop (resume, process,
// checkpoint between lines, final checkpoint) and its argument checks.
// Called by run-command.ts; the input position is the EventFileSource's state
// cell, the output length and timings are in run-checkpoints.ts.

import type { SiddhiAppRuntime } from '../index.js';
import { CliUsageError, EXIT, type CliIo, type Engine } from './io.js';
import { isAppError } from './format-error.js';
import { openFileSink, type FileSink } from './output-sink.js';
import type { RunCheckpoints, Resumed } from './run-checkpoints.js';
import type { RunOptions, RunValues } from './run-command.js';
import { connect, sendLine, type OutputStatus } from './run-lines.js';

/** Newest checkpoints kept (plus the bases their deltas need). */
export const RETAIN = 3;

/** The --input files' position (the EventFileSource's state): cell '@source:input-files'. */
export const INPUT_CELL = 'input-files';

export function checkCheckpointArgs(values: RunValues): void {
  if (values['checkpoint-dir'] === undefined) {
    if (values['checkpoint-interval'] !== undefined) throw new CliUsageError('--checkpoint-interval needs --checkpoint-dir');
    return;
  }
  if (values.output === undefined) throw new CliUsageError('--checkpoint-dir needs --output <file> (a resumed run cuts the output back to its last checkpoint)');
  if (values.input.includes('-')) throw new CliUsageError('--checkpoint-dir cannot read standard input (a resumed run rereads its input files)');
}

export function checkpointInterval(engine: Engine, text: string | undefined): number {
  if (text === undefined) return DEFAULT_INTERVAL;
  const ms = engine.parseDuration(text);
  if (ms === undefined || ms < 0) throw new CliUsageError(`--checkpoint-interval '${text}' is not a duration (e.g. 250ms, 1s, 1 min)`);
  return ms;
}

const DEFAULT_INTERVAL = 1000;

/**
 * Exactly-once run: resumes from the newest checkpoint in the directory (the
 * output cut back to the length it records; the input source, whose position
 * is a cell of the checkpoint, goes on after the last line it covered), then
 * checkpoints whenever the interval has passed and once more at the end.
 */
export async function runCheckpointed(runtime: SiddhiAppRuntime, checkpoints: RunCheckpoints, options: RunOptions, io: CliIo): Promise<number> {
  const input = options.input;
  let sink: FileSink | undefined;
  // Output of start() (an 'at start' trigger) waits until we know whether this run resumes.
  const held: string[] = [];
  let status: OutputStatus = { unwritable: 0 };
  try {
    status = connect(runtime, options.streams, (text) => (sink ? sink.write(text) : held.push(text)), io);
    runtime.start();
    const resumed = await resumeOrExplain(runtime, checkpoints, io);
    if (resumed === null) return EXIT.app;
    if (resumed !== undefined && input.resumed() === undefined) throw new CliUsageError(`checkpoint ${resumed.revision} holds no input position; use another --checkpoint-dir`);
    let line = input.next();
    sink = openFileSink(options.output!, resumed?.outputBytes);
    if (resumed === undefined) for (const text of held) sink.write(text);
    const complete = resumed?.done === true && line === undefined;
    if (!options.quiet && resumed) io.stderr.write(describeResume(resumed, input.lines - (line === undefined ? 0 : 1), complete));
    if (complete) return input.rejected > 0 ? EXIT.app : EXIT.ok;
    for (; line !== undefined; line = input.next()) {
      if (!sendLine(runtime, line, io)) input.rejected++;
      if (checkpoints.due()) await checkpoints.take(runtime, sink, false);
    }
    await checkpoints.take(runtime, sink, true);
    if (!options.quiet) io.stderr.write(checkpoints.summary());
  } catch (err) {
    if (!isAppError(err)) throw err;
    io.stderr.write(`siddhi run: stopped: ${err.message}\n`);
    return EXIT.app;
  } finally {
    runtime.shutdown();
    sink?.close();
  }
  return input.rejected > 0 || status.unwritable > 0 ? EXIT.app : EXIT.ok;
}

/** The restored position; undefined for a fresh start; null when the checkpoint was refused (reported). */
async function resumeOrExplain(runtime: SiddhiAppRuntime, checkpoints: RunCheckpoints, io: CliIo): Promise<Resumed | undefined | null> {
  try {
    return await checkpoints.resume(runtime);
  } catch (err) {
    if (!isAppError(err)) throw err;
    io.stderr.write(`siddhi run: cannot resume from --checkpoint-dir: ${err.message}\n${err.hint ? `  hint: ${err.hint}\n` : ''}`);
    return null;
  }
}

function describeResume(r: Resumed, lines: number, complete: boolean): string {
  return complete
    ? `siddhi run: already complete (checkpoint ${r.revision}); nothing to do\n`
    : `siddhi run: resumed from checkpoint ${r.revision}: ${lines} input lines done, output kept up to byte ${r.outputBytes}\n`;
}
