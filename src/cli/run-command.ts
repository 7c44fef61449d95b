// `siddhi run <app> --input <events.jsonl> …`: replays JSON-lines events
// through the app and writes the output streams' events as JSON lines.
// Called by cli.ts; talks to the engine only through src/index.ts.

import type { EventFileSource, SiddhiAppRuntime } from '../index.js';
import { CliUsageError, EXIT, loadEngine, type CliIo, type Engine, parseCommandLine } from './io.js';
import { formatAppError, isAppError } from './format-error.js';
import { closestName } from '../plan/suggest.js';
import { readText } from './read-text.js';
import { insertTargets } from './output-streams.js';
import { openFileSink, openStdoutSink, type Sink } from './output-sink.js';
import { RunCheckpoints } from './run-checkpoints.js';
import { INPUT_CELL, RETAIN, checkCheckpointArgs, checkpointInterval, runCheckpointed } from './checkpointed-run.js';
import { connect, sendLine, type OutputStatus } from './run-lines.js';
import { runSources } from './run-sources.js';
import { saveAppText } from './checkpoint-files.js';

const HELP = `usage: siddhi run <app.siddhi> --input <events.jsonl> [--input <more.jsonl> …]
                  [--output <out.jsonl>] [--playback [--start-time <ms|first>]] [--stream <name> …]
                  [--checkpoint-dir <dir> [--checkpoint-interval <duration>] [--quiet]]
       siddhi run <app.siddhi> [--output <out.jsonl>] [--stream <name> …] [--checkpoint-dir <dir>] [--metrics-port <n>]

Sends every input line to the app and prints the events of its output streams.
Without --input, the app's @source annotations (http, file, redis-stream, …)
feed it: the run goes on until SIGINT/SIGTERM, then takes a final checkpoint
(with --checkpoint-dir; source positions such as file offsets are part of it,
so a restart with the same directory resumes) and exits 0. --metrics-port
serves runtime.metrics() at http://127.0.0.1:<n>/metrics (Prometheus text).

input lines (JSON lines; blank lines are skipped; '-' reads standard input):
  {"stream":"StockStream","data":["IBM",75.5,100],"time":1000}   an event (time in epoch ms)
  {"time":5000}                                                 advance the clock to 5000

output lines, one per event, for every stream a query inserts into
(tables, named windows and partition-inner #streams excluded):
  {"stream":"OutStream","time":1000,"data":["IBM",75.5],"expired":false}

options:
  -i, --input <file>    input file (repeatable); several files are merged by time,
                        each file keeping its own order
  -o, --output <file>   write output lines to a file instead of standard output
  -p, --playback        use event times as the clock (playback mode)
  --start-time <ms|first>
                        playback: the clock before the first event (default 0);
                        periodic triggers and 'output every T' count from it —
                        'first' takes the first line's time (for epoch times)
  -s, --stream <name>   print only these streams (repeatable; input streams allowed)
  --checkpoint-dir <dir>
                        exactly-once: checkpoint the app and the input/output
                        positions to <dir>; run again with the same arguments
                        after a crash to resume (needs --output)
  --checkpoint-interval <duration>
                        wall-clock time between checkpoints, e.g. 250ms, 1s
                        (default 1s; 0 = after every input line)
  -q, --quiet           do not print the checkpoint summary on standard error
  -h, --help            this text

Clock: with --playback, or when every event line has a "time", the run uses
playback mode — the clock is the time of the latest line, timers (time windows,
batches, rate limits) fire as it advances, and the output is deterministic.
Otherwise the engine's wall clock is used, {"time":…} lines are refused, and
timers still pending when the input ends do not fire.

A rejected event (wrong arity or type) is reported with its file and line; the
run goes on and exits with code 1. Errors the engine reports while running are
printed to standard error.

Exactly-once (--checkpoint-dir): between input lines, once the interval has
passed, the output file is fsynced and a checkpoint is saved that records the
app state, the input position (per file the byte offset of the lines read, a
cell of the file source) and the output length. Started again with the same
arguments, the run restores the newest checkpoint, cuts the output back to the
recorded length, reads each input file on from its recorded offset and goes
on, so the output ends byte-identical to an uninterrupted run (in playback
mode). After the last line a final checkpoint marks the run complete: running
it again changes nothing (delete <dir> to start over). The 3 newest
checkpoints (and the bases their deltas need) are kept.

exit codes: 0 ok, 1 app error or rejected event, 2 usage error`;

export async function runRun(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv);
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new CliUsageError(positionals.length === 0 ? 'missing the app file' : `expected one app file, got ${positionals.length}`);
  const appFile = positionals[0]!;
  const appText = readText(appFile);
  // Without --input the app's @source annotations feed it (run-sources.ts).
  if (values.input.length === 0) return runSources(await loadEngine(), appFile, appText, values, io);
  checkCheckpointArgs(values);
  const engine = await loadEngine();
  // The multi-stream file source streams the lines; with --checkpoint-dir its position is a state cell.
  const input = new engine.EventFileSource(values.input, { playback: values.playback, fail: (m) => new CliUsageError(m) });
  try {
    return await runInput(engine, input, appFile, appText, values, io);
  } finally {
    input.close();
  }
}

async function runInput(engine: Engine, input: EventFileSource, appFile: string, appText: string, values: RunValues, io: CliIo): Promise<number> {
  const playback = input.playback;
  const startTime = playbackStart(values['start-time'], input);
  const dir = values['checkpoint-dir'];
  const checkpoints = dir === undefined ? undefined : new RunCheckpoints({
    dir, interval: checkpointInterval(engine, values['checkpoint-interval']),
  });
  let runtime: SiddhiAppRuntime;
  let streams: string[];
  try {
    runtime = new engine.SiddhiManager().createSiddhiAppRuntime(appText, {
      playback,
      ...(startTime !== undefined ? { startTime } : {}),
      // The CLI takes the checkpoints itself, between lines (interval 0 turns the runtime's own timer off).
      ...(checkpoints ? {
        store: new engine.FileStore(dir!, { retain: RETAIN }),
        checkpoint: { interval: 0, meta: checkpoints.meta },
        sourceState: { [INPUT_CELL]: input.state },
      } : {}),
    });
    streams = values.stream.length > 0 ? checkStreams(values.stream, runtime) : insertTargets(engine.parseApp(appText));
    // `siddhi query <dir>` rebuilds the app from this copy.
    if (dir !== undefined) saveAppText(dir, runtime.name, appText);
  } catch (err) {
    if (!isAppError(err)) throw err;
    io.stderr.write(`${formatAppError(appFile, appText, err)}\n`);
    return EXIT.app;
  }
  const options = { streams, output: values.output, quiet: values.quiet, input };
  return checkpoints ? runCheckpointed(runtime, checkpoints, options, io) : runPlain(runtime, options, io);
}

export interface RunOptions {
  readonly input: EventFileSource;
  readonly streams: readonly string[];
  readonly output: string | undefined;
  readonly quiet: boolean;
}

async function runPlain(runtime: SiddhiAppRuntime, options: RunOptions, io: CliIo): Promise<number> {
  let sink: Sink;
  try {
    sink = options.output === undefined ? openStdoutSink(io) : openFileSink(options.output);
  } catch (err) {
    runtime.shutdown();
    throw err;
  }
  let rejected = 0;
  let status: OutputStatus;
  try {
    status = connect(runtime, options.streams, (text) => sink.write(text), io);
    runtime.start();
    for (let line = options.input.next(); line !== undefined; line = options.input.next()) {
      if (!sendLine(runtime, line, io)) rejected++;
      const full = sink.backlog?.();
      if (full) await full;
    }
  } finally {
    runtime.shutdown();
    sink.close();
  }
  return rejected > 0 || status.unwritable > 0 ? EXIT.app : EXIT.ok;
}

function parseCommandArgs(argv: string[]) {
  return parseCommandLine(argv, {
    input: { type: 'string', short: 'i', multiple: true, default: [] },
    output: { type: 'string', short: 'o' },
    playback: { type: 'boolean', short: 'p', default: false },
    stream: { type: 'string', short: 's', multiple: true, default: [] },
    'checkpoint-dir': { type: 'string' },
    'checkpoint-interval': { type: 'string' },
    'start-time': { type: 'string' },
    'metrics-port': { type: 'string' },
    quiet: { type: 'boolean', short: 'q', default: false },
  });
}

export type RunValues = ReturnType<typeof parseCommandArgs>['values'];

function playbackStart(option: string | undefined, input: EventFileSource): number | undefined {
  if (option === undefined) return undefined;
  if (option === 'first') return input.firstTime();
  const ms = Number(option);
  if (!Number.isFinite(ms)) throw new CliUsageError(`--start-time takes milliseconds or 'first', got '${option}'`);
  return ms;
}

/** `--stream` names must be streams of the app: a usage error with the closest name otherwise. */
function checkStreams(names: readonly string[], runtime: SiddhiAppRuntime): string[] {
  const known = runtime.streamNames;
  for (const name of names) {
    if (known.includes(name)) continue;
    runtime.shutdown();
    const close = closestName(name, known);
    throw new CliUsageError(`--stream '${name}': no such stream in the app; ${close ? `did you mean '${close}'? ` : ''}streams: ${known.join(', ')}`);
  }
  return [...names];
}
