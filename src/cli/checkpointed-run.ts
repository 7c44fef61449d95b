// `siddhi run --checkpoint-dir`: the exactly-once loop (resume, process,
// checkpoint between lines, final checkpoint) and its argument checks.
// Called by run-command.ts; the bookkeeping is in run-checkpoints.ts.

import type { SiddhiAppRuntime } from '../index.js';
import { CliUsageError, EXIT, type CliIo, type Engine } from './io.js';
import { isAppError } from './format-error.js';
import { openFileSink, type FileSink } from './output-sink.js';
import type { RunCheckpoints, Resumed } from './run-checkpoints.js';
import type { RunOptions, RunValues } from './run-command.js';
import { connect, sendLine, type OutputStatus } from './run-lines.js';
import type { InputLine } from './input-lines.js';

/** Newest checkpoints kept (plus the bases their deltas need). */
export const RETAIN = 3;

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
 * Exactly-once run: resumes from the newest checkpoint in the directory (output
 * cut back to the length it records, input lines it covered skipped), then
 * checkpoints whenever the interval has passed and once more at the end.
 */
export async function runCheckpointed(runtime: SiddhiAppRuntime, checkpoints: RunCheckpoints, options: RunOptions, io: CliIo): Promise<number> {
  let sink: FileSink | undefined;
  // Output of start() (an 'at start' trigger) waits until we know whether this run resumes.
  const held: string[] = [];
  let rejected = 0;
  let status: OutputStatus = { unwritable: 0 };
  try {
    status = connect(runtime, options.streams, (text) => (sink ? sink.write(text) : held.push(text)), io);
    runtime.start();
    const resumed = await resumeOrExplain(runtime, checkpoints, io);
    if (resumed === null) return EXIT.app;
    // The input is streamed: skip (and count) what the checkpoint consumed before the output is cut back.
    const input = options.lines[Symbol.iterator]();
    const next = (): InputLine | undefined => {
      const r = input.next();
      if (r.done) return undefined;
      checkpoints.consumed(r.value);
      return r.value;
    };
    let n = 0;
    while (n < (resumed?.lines ?? 0) && next() !== undefined) n++;
    if (resumed) checkpoints.checkSkipped(resumed, n);
    let line = next();
    sink = openFileSink(options.output!, resumed?.outputBytes);
    if (resumed === undefined) for (const text of held) sink.write(text);
    rejected = resumed?.rejected ?? 0;
    const complete = resumed?.done === true && line === undefined;
    if (!options.quiet && resumed) io.stderr.write(describeResume(resumed, complete));
    if (complete) return rejected > 0 ? EXIT.app : EXIT.ok;
    for (; line !== undefined; line = next()) {
      if (!sendLine(runtime, line, io)) rejected++;
      n++;
      if (checkpoints.due()) await checkpoints.take(runtime, sink, { lines: n, rejected, done: false });
    }
    await checkpoints.take(runtime, sink, { lines: n, rejected, done: true });
    if (!options.quiet) io.stderr.write(checkpoints.summary());
  } catch (err) {
    if (!isAppError(err)) throw err;
    io.stderr.write(`siddhi run: stopped: ${err.message}\n`);
    return EXIT.app;
  } finally {
    runtime.shutdown();
    sink?.close();
  }
  return rejected > 0 || status.unwritable > 0 ? EXIT.app : EXIT.ok;
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

function describeResume(r: Resumed, complete: boolean): string {
  return complete
    ? `siddhi run: already complete (checkpoint ${r.revision}); nothing to do\n`
    : `siddhi run: resumed from checkpoint ${r.revision}: ${r.lines} input lines done, output kept up to byte ${r.outputBytes}\n`;
}
