// `siddhi run <app> --input <events.jsonl> …`: replays JSON-lines events
// through the app and writes the output streams' events as JSON lines.
// Called by cli.ts; talks to the engine only through src/index.ts.

import { closeSync, openSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CliUsageError, EXIT, loadEngine, type CliIo } from './io.js';
import { formatAppError, isAppError } from './format-error.js';
import { mergeByTime, parseInputLines, readText, type InputLine } from './input-lines.js';
import { insertTargets } from './output-streams.js';

const HELP = `usage: siddhi run <app.siddhi> --input <events.jsonl> [--input <more.jsonl> …]
                  [--output <out.jsonl>] [--playback] [--stream <name> …]

Sends every input line to the app and prints the events of its output streams.

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
  -s, --stream <name>   print only these streams (repeatable; input streams allowed)
  -h, --help            this text

Clock: with --playback, or when every event line has a "time", the run uses
playback mode — the clock is the time of the latest line, timers (time windows,
batches, rate limits) fire as it advances, and the output is deterministic.
Otherwise the engine's wall clock is used, {"time":…} lines are refused, and
timers still pending when the input ends do not fire.

A rejected event (wrong arity or type) is reported with its file and line; the
run goes on and exits with code 1. Errors the engine reports while running are
printed to standard error.

exit codes: 0 ok, 1 app error or rejected event, 2 usage error`;

export async function runRun(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv);
  if (values.help) {
    io.stdout.write(`${HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) throw new CliUsageError(positionals.length === 0 ? 'missing the app file' : `expected one app file, got ${positionals.length}`);
  if (values.input.length === 0) throw new CliUsageError('missing --input <events.jsonl> (use --input - for standard input)');
  const appFile = positionals[0]!;
  const appText = readText(appFile);
  const files = values.input.map((f) => parseInputLines(f, readText(f)));
  const events = files.flat().filter((l) => l.kind === 'event');
  const playback = values.playback || events.every((l) => l.time !== undefined);
  const lines = playback ? mergeByTime(files) : files.flat();
  checkClockLines(lines, playback);

  const engine = await loadEngine();
  let runtime;
  let streams: string[];
  try {
    runtime = new engine.SiddhiManager().createSiddhiAppRuntime(appText, { playback });
    streams = values.stream.length > 0 ? values.stream : insertTargets(engine.parseApp(appText));
  } catch (err) {
    if (!isAppError(err)) throw err;
    io.stderr.write(`${formatAppError(appFile, appText, err)}\n`);
    return EXIT.app;
  }
  let sink: Sink;
  try {
    sink = openSink(values.output, io);
  } catch (err) {
    runtime.shutdown();
    throw err;
  }
  let code: number = EXIT.ok;
  try {
    runtime.onError((err) => io.stderr.write(`siddhi run: runtime error: ${err.message}\n`));
    for (const stream of streams) {
      runtime.addCallback(stream, (out) => {
        for (const e of out) sink.write(`${JSON.stringify({ stream, time: e.timestamp, data: e.data, expired: e.isExpired }, jsonValue)}\n`);
      });
    }
    runtime.start();
    for (const line of lines) {
      if (line.kind === 'time') {
        runtime.advanceTime(line.time);
        continue;
      }
      try {
        runtime.getInputHandler(line.stream).send(line.data, line.time);
      } catch (err) {
        if (!isAppError(err)) throw err;
        io.stderr.write(`${line.origin}: rejected event: ${err.message}\n`);
        code = EXIT.app;
      }
    }
  } finally {
    runtime.shutdown();
    sink.close();
  }
  return code;
}

function parseCommandArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        input: { type: 'string', short: 'i', multiple: true, default: [] },
        output: { type: 'string', short: 'o' },
        playback: { type: 'boolean', short: 'p', default: false },
        stream: { type: 'string', short: 's', multiple: true, default: [] },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
}

function checkClockLines(lines: readonly InputLine[], playback: boolean): void {
  for (const line of lines) {
    if (playback && line.kind === 'event' && line.time === undefined) {
      throw new CliUsageError(`${line.origin}: in playback mode every event needs a "time"`);
    }
    if (!playback && line.kind === 'time') {
      throw new CliUsageError(`${line.origin}: a {"time":…} line needs playback mode (--playback, or a "time" on every event)`);
    }
  }
}

/** bigint values (long attributes, if the engine uses them) become numbers when exact, strings otherwise. */
function jsonValue(_key: string, v: unknown): unknown {
  if (typeof v !== 'bigint') return v;
  return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
}

interface Sink {
  write(text: string): void;
  close(): void;
}

/** Buffers output lines; writes to the file (synchronously, so the order is kept) or to io.stdout. */
function openSink(file: string | undefined, io: CliIo): Sink {
  let fd: number;
  try {
    fd = file === undefined ? -1 : openSync(file, 'w');
  } catch (err) {
    throw new CliUsageError(`cannot write '${file}': ${(err as Error).message}`);
  }
  let buffer: string[] = [];
  const flush = (): void => {
    if (buffer.length === 0) return;
    const text = buffer.join('');
    buffer = [];
    if (fd >= 0) writeSync(fd, text);
    else io.stdout.write(text);
  };
  return {
    write(text) {
      buffer.push(text);
      if (buffer.length >= 1024) flush();
    },
    close() {
      flush();
      if (fd >= 0) closeSync(fd);
    },
  };
}
