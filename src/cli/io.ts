// What the CLI commands share: injected output streams, exit codes, the usage
// error, and the lazy load of the engine (so --help never loads the parser).

import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Output streams; tests pass string collectors instead of process.stdout/stderr. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** `siddhi run` with sources: resolves (with a reason) when the run should stop; default SIGINT/SIGTERM. */
  readonly waitForStop?: () => Promise<string>;
}

export const EXIT = { ok: 0, app: 1, usage: 2 } as const;

/** Bad arguments or unreadable input files: exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export type Engine = typeof import('../index.js');

/** What reading a checkpoint directory needs: the state layer alone, without the parser. */
export type CheckpointReader = Pick<Engine, 'FileStore' | 'decodeCheckpoint' | 'readCheckpointHeader'>;

/**
 * The state layer only (it imports nothing from the parser or planner): `siddhi
 * checkpoints` starts without loading Chevrotain and the engine.
 */
export function loadCheckpointReader(): Promise<CheckpointReader> {
  return import('../state/index.js');
}

/** Imports the engine on first use; chevrotain's import cost is paid only by commands that need it. */
export function loadEngine(): Promise<Engine> {
  return import('../index.js');
}

const HELP_OPTION = { help: { type: 'boolean', short: 'h', default: false } } as const;

/** A command's arguments (plus `-h/--help`); malformed ones are a usage error (exit 2). */
type CommandLine<O> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: O & typeof HELP_OPTION }>>;

export function parseCommandLine<const O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O): CommandLine<O> {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: { ...options, ...HELP_OPTION } });
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
}
