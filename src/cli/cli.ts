// Command dispatch for the `siddhi` CLI: `run`, `check`, `checkpoints`, `query`, help and version.
// Called by main.ts and by tests with injected output streams.

import { readFileSync } from 'node:fs';
import { isAppError } from './format-error.js';
import { CliUsageError, EXIT, type CliIo } from './io.js';

const USAGE = `siddhi — run SiddhiQL apps over JSON-lines event files

usage:
  siddhi run <app.siddhi> --input <events.jsonl> [--input …] [--output <out.jsonl>] [--playback] [--stream <name> …]
             [--checkpoint-dir <dir> [--checkpoint-interval <duration>]] [--quiet]
  siddhi run <app.siddhi>            (no --input: the app's @source annotations feed it until SIGINT/SIGTERM)
  siddhi check <app.siddhi> [more.siddhi …]
  siddhi checkpoints list <dir> [--app <name>] [--json]
  siddhi checkpoints inspect <dir> [revision] [--app <name>] [--json]
  siddhi query <app.siddhi> --checkpoint-dir <dir> '<on-demand query>'
  siddhi query <dir> [--app <name>] '<on-demand query>'
  siddhi route <app.siddhi> --redis <url> --partitions <P> --input <events.jsonl>
  siddhi worker <app.siddhi> --redis <url> --partitions <P> [--id <name>]
  siddhi checkpoints list --redis <url> --app <name>
  siddhi <command> --help
  siddhi --version

exit codes: 0 ok, 1 app error (the app does not compile, or an event was rejected), 2 usage error`;

type Command = (args: string[], io: CliIo) => Promise<number>;

// Each command's module is imported when it runs: `--version` and `--help` load none of them.
const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./run-command.js')).runRun,
  check: async () => (await import('./check-command.js')).runCheck,
  checkpoints: async () => (await import('./checkpoints-command.js')).runCheckpoints,
  query: async () => (await import('./query-command.js')).runQuery,
  route: async () => (await import('./route-command.js')).runRoute,
  worker: async () => (await import('./worker-command.js')).runWorker,
};

/** Runs one CLI invocation; returns the exit code. Never calls process.exit. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic !== undefined && Object.hasOwn(COMMANDS, topic)) return (await COMMANDS[topic]!())(['--help'], io);
    (first === undefined ? io.stderr : io.stdout).write(`${USAGE}\n`);
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === '--version' || first === '-V') {
    io.stdout.write(`${readVersion()}\n`);
    return EXIT.ok;
  }
  const load = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (load === undefined) {
    io.stderr.write(`siddhi: unknown command '${first}'; available: ${Object.keys(COMMANDS).join(', ')}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  try {
    return await (await load())(rest, io);
  } catch (err) {
    if (err instanceof CliUsageError) {
      io.stderr.write(`siddhi ${first}: ${err.message}\nrun 'siddhi ${first} --help' for usage\n`);
      return EXIT.usage;
    }
    if (isAppError(err) && err.name.startsWith('Siddhi')) {
      // The engine's own errors (e.g. an unreadable checkpoint file) are for the user, not a stack trace.
      io.stderr.write(`siddhi ${first}: ${err.message}\n${err.hint !== undefined ? `  hint: ${err.hint}\n` : ''}`);
      return EXIT.app;
    }
    io.stderr.write(`siddhi ${first}: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return EXIT.app;
  }
}

function readVersion(): string {
  // Same relative path from src/cli (tsx) and dist/cli (built).
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}
