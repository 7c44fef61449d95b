// Compares output events of one stream — against a case's expectations or
// against another run — and renders a readable side-by-side diff.
// Called by runner.ts; knows nothing about the engine beyond the Event shape.

/** An event as a run recorded it (a copy of what the callback received). */
export interface RecordedEvent {
  readonly timestamp: number;
  readonly data: readonly unknown[];
  readonly isExpired: boolean;
}

/** An event as a case file lists it. */
export interface ExpectedEvent {
  readonly data: readonly unknown[];
  readonly expired?: boolean;
}

export interface CompareOptions {
  /** Relative tolerance for numbers. */
  readonly tolerance: number;
  readonly unordered: boolean;
  /** Declared attribute types of the stream when known; `int`/`long` columns must hold integers. */
  readonly types?: readonly string[];
  /** Compare timestamps too (run-against-run comparisons). */
  readonly timestamps?: boolean;
}

type Row = { readonly data: readonly unknown[]; readonly expired: boolean; readonly timestamp?: number };

const MAX_ROWS = 30;

export function toRow(e: RecordedEvent): Row {
  return { data: e.data, expired: e.isExpired, timestamp: e.timestamp };
}

export function expectedRow(e: ExpectedEvent): Row {
  return { data: e.data, expired: e.expired ?? false };
}

/** Returns diff lines for one stream; empty when the events match. */
export function compareStream(stream: string, expected: readonly Row[], actual: readonly Row[], opts: CompareOptions): string[] {
  return opts.unordered ? compareUnordered(stream, expected, actual, opts) : compareOrdered(stream, expected, actual, opts);
}

function compareOrdered(stream: string, expected: readonly Row[], actual: readonly Row[], opts: CompareOptions): string[] {
  const n = Math.max(expected.length, actual.length);
  let first = -1;
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (e === undefined || a === undefined || !rowsMatch(e, a, opts)) {
      first = i;
      break;
    }
  }
  if (first < 0) return [];
  const lines = [`stream ${stream}: ${expected.length} expected, ${actual.length} actual; first difference at #${first}`];
  const from = Math.max(0, first - 3);
  const to = Math.min(n, from + MAX_ROWS);
  const width = Math.max(8, ...expected.slice(from, to).map((r) => formatRow(r, opts).length));
  lines.push(`      #   ${'expected'.padEnd(width)}   actual`);
  for (let i = from; i < to; i++) {
    const e = expected[i];
    const a = actual[i];
    const mark = e === undefined ? '+' : a === undefined ? '-' : rowsMatch(e, a, opts) ? ' ' : 'x';
    const left = e === undefined ? '' : formatRow(e, opts);
    const right = a === undefined ? '' : formatRow(a, opts) + integerNote(a, opts);
    lines.push(`   ${mark} ${String(i).padStart(3)}   ${left.padEnd(width)}   ${right}`);
  }
  if (to < n) lines.push(`     … ${n - to} more rows`);
  return lines;
}

function compareUnordered(stream: string, expected: readonly Row[], actual: readonly Row[], opts: CompareOptions): string[] {
  const used = new Array<boolean>(actual.length).fill(false);
  const missing: Row[] = [];
  for (const e of expected) {
    const j = actual.findIndex((a, k) => !used[k] && rowsMatch(e, a, opts));
    if (j < 0) missing.push(e);
    else used[j] = true;
  }
  const extra = actual.filter((_, k) => !used[k]);
  if (missing.length === 0 && extra.length === 0) return [];
  const lines = [`stream ${stream} (unordered): ${expected.length} expected, ${actual.length} actual`];
  for (const r of missing.slice(0, MAX_ROWS)) lines.push(`   - missing     ${formatRow(r, opts)}`);
  for (const r of extra.slice(0, MAX_ROWS)) lines.push(`   + unexpected  ${formatRow(r, opts)}${integerNote(r, opts)}`);
  return lines;
}

function rowsMatch(e: Row, a: Row, opts: CompareOptions): boolean {
  if (e.expired !== a.expired) return false;
  if (opts.timestamps === true && e.timestamp !== a.timestamp) return false;
  if (e.data.length !== a.data.length) return false;
  for (let i = 0; i < e.data.length; i++) {
    if (!valuesMatch(e.data[i], a.data[i], opts.types?.[i], opts.tolerance)) return false;
  }
  return true;
}

/** Numbers within relative tolerance, also inside lists; int/long must be integers; everything else exact. */
export function valuesMatch(expected: unknown, actual: unknown, type: string | undefined, tolerance: number): boolean {
  const a = typeof actual === 'bigint' ? Number(actual) : actual;
  const e = typeof expected === 'bigint' ? Number(expected) : expected;
  if (typeof e === 'number') {
    if (typeof a !== 'number') return false;
    if ((type === 'int' || type === 'long') && !Number.isInteger(a)) return false;
    if (Number.isNaN(e)) return Number.isNaN(a);
    if (a === e) return true;
    return Math.abs(a - e) <= tolerance * Math.max(Math.abs(a), Math.abs(e));
  }
  if (e === null || typeof e !== 'object') return e === a;
  if (a === null || typeof a !== 'object') return false;
  // A list (a count state's values): its numbers within tolerance too (floats read back as doubles).
  if (Array.isArray(e) && Array.isArray(a)) return e.length === a.length && e.every((x, i) => valuesMatch(x, a[i], undefined, tolerance));
  return stringify(e) === stringify(a);
}

function integerNote(r: Row, opts: CompareOptions): string {
  const types = opts.types;
  if (types === undefined) return '';
  const bad = r.data.findIndex((v, i) => (types[i] === 'int' || types[i] === 'long') && typeof v === 'number' && !Number.isInteger(v));
  return bad < 0 ? '' : `  (column ${bad} is ${types[bad]} but holds a non-integer)`;
}

function formatRow(r: Row, opts: CompareOptions): string {
  const ts = opts.timestamps === true && r.timestamp !== undefined ? `@${r.timestamp} ` : '';
  return `${ts}${stringify(r.data)}${r.expired ? ' expired' : ''}`;
}

/**
 * JSON with bigint, undefined, NaN and Infinity spelled out so a diff shows them.
 * Maps (map: values) read as objects, and object keys are sorted: a case file's
 * `{"a":1}` matches a Map of the same entries in any order, as Java's Map.equals.
 */
export function stringify(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === 'bigint') return `${x}n`;
    if (x === undefined) return '<undefined>';
    if (typeof x === 'number' && !Number.isFinite(x)) return String(x);
    if (x instanceof Map) return sortedObject([...x].map(([k, y]) => [String(k), y]));
    if (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) return sortedObject(Object.entries(x));
    return x;
  }) ?? '<undefined>';
}

function sortedObject(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, y] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = y;
  return out;
}
