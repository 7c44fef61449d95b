// The error types of siddhi-ts: one base class with a code and an optional
// source location, and one subclass per layer (parse, plan, runtime, event, state).

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export interface SiddhiErrorOptions {
  line?: number;
  column?: number;
  hint?: string;
  cause?: unknown;
}

/**
 * The base of every siddhi-ts error: `code` names the layer ('PARSE', 'PLAN',
 * 'RUNTIME', 'EVENT', 'STATE'); `line`, `column` and `hint` say where and what to do.
 *
 * @example
 * try { manager.createSiddhiAppRuntime(text); } catch (e) { if (e instanceof SiddhiError) console.log(e.code, e.line, e.hint); }
 */
export class SiddhiError extends Error {
  readonly code: string;
  readonly line?: number;
  readonly column?: number;
  readonly hint?: string;

  constructor(message: string, options: SiddhiErrorOptions & { code?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? 'SIDDHI';
    if (options.line !== undefined) this.line = options.line;
    if (options.column !== undefined) this.column = options.column;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/** One syntax problem: where it is, what was found there, and what would have fitted. */
export interface ParseProblem {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly offendingText: string;
  readonly expected?: string;
  readonly hint?: string;
}

/** Every syntax problem of one app; the message shows each with its source line and a caret. */
export class SiddhiParseError extends SiddhiError {
  readonly problems: readonly ParseProblem[];

  constructor(message: string, options: SiddhiErrorOptions & { problems?: readonly ParseProblem[] } = {}) {
    const first = options.problems?.[0];
    super(message, {
      ...options,
      code: 'PARSE',
      line: options.line ?? first?.line,
      column: options.column ?? first?.column,
      hint: options.hint ?? first?.hint,
    });
    this.problems = options.problems ?? [];
  }

  /** Builds the error with a message listing every problem against the app text. */
  static fromProblems(text: string, problems: readonly ParseProblem[]): SiddhiParseError {
    const count = problems.length === 1 ? '1 syntax error' : `${problems.length} syntax errors`;
    const parts = problems.map((p) => {
      const lines = [`line ${p.line}:${p.column} ${p.message}`, formatSourceExcerpt(text, p.line, p.column)];
      if (p.hint !== undefined) lines.push(`hint: ${p.hint}`);
      return lines.join('\n');
    });
    return new SiddhiParseError(`${count} in SiddhiQL app:\n${parts.join('\n\n')}`, { problems });
  }
}

/** A semantic problem found while planning; `element` names where, e.g. "query 'q1'". */
export class SiddhiPlanError extends SiddhiError {
  readonly element?: string;

  constructor(message: string, options: SiddhiErrorOptions & { element?: string } = {}) {
    super(message, { ...options, code: 'PLAN' });
    if (options.element !== undefined) this.element = options.element;
  }
}

/** A failure while the app runs (unknown stream or query names, failing timers), as passed to `onError` handlers. */
export class SiddhiRuntimeError extends SiddhiError {
  constructor(message: string, options: SiddhiErrorOptions = {}) {
    super(message, { ...options, code: 'RUNTIME' });
  }
}

/** An event that does not fit its stream (wrong arity or attribute type). */
export class SiddhiEventError extends SiddhiError {
  readonly stream: string;
  readonly attribute?: string;

  constructor(message: string, options: SiddhiErrorOptions & { stream: string; attribute?: string }) {
    super(message, { ...options, code: 'EVENT' });
    this.stream = options.stream;
    if (options.attribute !== undefined) this.attribute = options.attribute;
  }
}

/** A checkpoint that cannot be taken, decoded or restored; `cell` names the state cell when known. */
export class SiddhiStateError extends SiddhiError {
  readonly cell?: string;

  constructor(message: string, options: SiddhiErrorOptions & { cell?: string } = {}) {
    super(message, { ...options, code: 'STATE' });
    if (options.cell !== undefined) this.cell = options.cell;
  }
}

/**
 * The source line `line` (1-based) of `text` with a gutter, and a caret under
 * `column` (1-based):
 *
 *     3 | from S#window.lenght(5) select *
 *       |               ^
 */
export function formatSourceExcerpt(text: string, line: number, column: number): string {
  const full = sourceLine(text, line);
  // A long line (a 1 MB app on one line) is shown as a window around the column.
  const from = full.length > EXCERPT_WIDTH ? Math.max(0, Math.min(column - 1 - EXCERPT_WIDTH / 2, full.length - EXCERPT_WIDTH)) : 0;
  const to = from + EXCERPT_WIDTH;
  const source = `${from > 0 ? '…' : ''}${full.slice(from, to)}${to < full.length ? '…' : ''}`;
  const gutter = String(line);
  const pad = ' '.repeat(gutter.length);
  const before = `${from > 0 ? ' ' : ''}${full.slice(from, Math.max(from, column - 1))}`.replace(/[^\t]/g, ' ');
  return `  ${gutter} | ${source}\n  ${pad} | ${before}^`;
}

const EXCERPT_WIDTH = 120;

/** Line `line` (1-based) of `text`, found without splitting the whole text. */
function sourceLine(text: string, line: number): string {
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let i = 1; i < line; i++) {
    const m = breaks.exec(text);
    if (!m) return '';
    start = breaks.lastIndex;
  }
  breaks.lastIndex = start;
  const end = breaks.exec(text);
  return text.slice(start, end ? end.index : text.length);
}

/** What a thrown value says: an Error's message, anything else as a string. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The `default` of an exhaustive switch: unreachable when the types hold. The one copy (dispatch.ts re-exports it). */
export function assertNever(x: never, what = 'kind'): never {
  throw new Error(`unhandled ${what} ${JSON.stringify(x)}`);
}
