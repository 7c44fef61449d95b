// Renders an app error as `file:line:column: message`, the source line and a
// caret, then the hint. Used by the check and run commands.

import { formatSourceExcerpt } from '../errors.js';

interface Problem {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  readonly hint?: string;
}

interface AppErrorShape extends Problem {
  readonly code: string;
  readonly problems?: readonly Problem[];
}

/** True for the engine's errors (they all carry a string `code`). */
export function isAppError(err: unknown): err is Error & AppErrorShape {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string';
}

/** Every problem of the error against the app text, one block each. */
export function formatAppError(file: string, text: string, err: Error & AppErrorShape): string {
  const problems = err.problems !== undefined && err.problems.length > 0 ? err.problems : [err];
  const label = err.code === 'PARSE' ? 'syntax error' : `error [${err.code}]`;
  return problems.map((p) => formatProblem(file, text, label, p, problems.length > 1 || p !== err)).join('\n\n');
}

function formatProblem(file: string, text: string, label: string, p: Problem, ownMessage: boolean): string {
  // A parse error's own message repeats every problem with an excerpt; per problem we print just its line.
  const message = ownMessage ? p.message : p.message.split('\n')[0]!;
  const lines: string[] = [];
  if (p.line !== undefined && p.line > 0) {
    const column = p.column ?? 1;
    lines.push(`${file}:${p.line}:${column}: ${label}: ${message}`, formatSourceExcerpt(text, p.line, column));
  } else lines.push(`${file}: ${label}: ${p.message}`);
  if (p.hint !== undefined) lines.push(`  hint: ${p.hint}`);
  return lines.join('\n');
}
