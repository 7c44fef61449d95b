// What the CLI commands share: injected output streams, exit codes, the usage
// error, and the lazy load of the engine (so --help never loads the parser).

/** Output streams; tests pass string collectors instead of process.stdout/stderr. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

export const EXIT = { ok: 0, app: 1, usage: 2 } as const;

/** Bad arguments or unreadable input files: exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export type Engine = typeof import('../index.js');

/** Imports the engine on first use; chevrotain's import cost is paid only by commands that need it. */
export function loadEngine(): Promise<Engine> {
  return import('../index.js');
}
