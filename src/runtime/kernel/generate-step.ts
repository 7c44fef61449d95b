// One query's per-row step generated as JavaScript: filters, the window's
// arrival (length or time, or none), group-by aggregates and the projection
// over (timestamp, data), as one function per query so its call sites see
// that query only. Built from the lowered form (step-shape.ts) by the fused
// kernels; shapes it does not cover keep the kernels' interpreted steps.
// SIDDHI_KERNELS=source prints each generated function.

import { assertNever } from '../../dispatch.js';
import { CURRENT } from '../event.js';
import type { KernelOutput } from './kernel-output.js';
import type { AggregatorKind } from '../aggregators/index.js';
import { AVG, COUNT, SUM } from '../aggregators/numeric.js';
import { columnVar, type StepShape, type ValueSource } from './step-shape.js';
import { compileOnce } from './compile-once.js';
import { headReadLines, rowAppendLines } from '../event-queue.js';
import type { StepSource } from './row-reader.js';

/** A generated step: one CURRENT event given as its parts; `data` is lent (not kept). */
export type Step = (timestamp: number, data: unknown[]) => void;

/** What the generated source refers to by name (its only free variables). */
export interface StepEnv {
  readonly shape: StepShape;
  /** The reused row object closures read (`row.data` is the lent array). */
  readonly row: { timestamp: number; data: unknown[] };
  readonly output: Pick<KernelOutput, 'row' | 'junction' | 'tap' | 'event'>;
  /** The reused row an expiry reads back into when it needs the whole row (expiredReads 'row'). */
  readonly expired?: { timestamp: number; data: unknown[] };
}

/**
 * A kernel's step as generated source and what the source refers to: the
 * kernel compiles it on its first row; a generated send() (generate-send.ts)
 * inlines the same source into its own function. The join kernel writes its
 * own StepSource (join/join-step.ts).
 */
export class GeneratedStep implements StepSource {
  private text: string | undefined;

  constructor(readonly env: StepEnv) {}

  /** The body of `function (env) { … return step; }`, written when first asked for. */
  get source(): string {
    return (this.text ??= stepSource(this.env.shape));
  }
}

export function generateStep(g: StepSource): Step {
  const source = g.source;
  if (printSources()) console.error(source);
  return compileOnce<unknown, Step>(source)(g.env);
}

/** SIDDHI_KERNELS=source: print each generated source when it is made. */
export function printSources(): boolean {
  return typeof process !== 'undefined' && process.env.SIDDHI_KERNELS === 'source';
}

/**
 * A stand-in that generates the step on the first row and hands it to
 * `install` (which puts it where callers look it up, so later rows go
 * straight to it): an app planned and never fed (`siddhi check`, a 1 MB app
 * of 6,000 queries) compiles no code; compiling every query's step took most
 * of its planning.
 */
export function generateStepOnFirstRow(g: StepSource, install: (step: Step) => void): Step {
  // Printing the sources is for reading them as the app is planned.
  if (printSources()) return generateStep(g);
  return (timestamp, data) => {
    const step = generateStep(g);
    install(step);
    step(timestamp, data);
  };
}

/**
 * The body of `function (env) { … return step; }`. What the step reads from
 * `env` is bound with `var`: the step reads those bindings from its context on
 * every row, and a `const` there costs a check that it is initialised on each read.
 */
export function stepSource(shape: StepShape): string {
  const lines: string[] = [
    "'use strict';",
    'var { shape, row, output } = env;',
    'var conditions = shape.conditions, outputs = shape.outputs;',
    'var sink = output.junction, tap = output.tap, event = output.event;',
  ];
  shape.conditions.forEach((c, i) => { if (c.js === undefined) lines.push(`var c${i} = conditions[${i}].evaluate;`); });
  shape.outputs.forEach((o, i) => { if (o.kind === 'closure') lines.push(`var p${i} = outputs[${i}].evaluate;`); });
  const agg = shape.aggregate;
  if (agg !== undefined) {
    lines.push('var agg = shape.aggregate, groups = agg.groups, values = agg.frame.values;');
    agg.slots.forEach((s, j) => {
      lines.push(`var k${j} = agg.slots[${j}].kind;`);
      if (s.argSource === undefined && s.arg !== undefined) lines.push(`var a${j} = agg.slots[${j}].arg;`);
    });
    if (agg.key.kind === 'closure') lines.push('var keyOf = agg.key.evaluate;');
    if (agg.window !== undefined) {
      lines.push('var win = agg.window, queue = win.queue, clock = win.clock;');
      if (agg.window.queue.columns !== undefined) lines.push('var cols = queue.columns.cols;');
    }
    if (agg.expiredReads === 'row') lines.push('var xrow = env.expired;');
    if (agg.batch !== undefined) lines.push('var batch = agg.batch.window, open = agg.batch.groups;');
  }
  if (shape.having !== undefined) lines.push('var having = shape.having.evaluate, frame = shape.having.frame;');
  const needRow = shape.having !== undefined || shape.conditions.some((c) => c.js === undefined) || shape.outputs.some((o) => o.kind === 'closure')
    || (agg !== undefined && (agg.key.kind === 'closure' || agg.slots.some((s) => s.argSource === undefined && s.arg !== undefined)));
  lines.push('return function step(ts, d) {');
  if (needRow) lines.push('  row.timestamp = ts;', '  row.data = d;');
  shape.conditions.forEach((c, i) => lines.push(`  if (${c.js ?? `c${i}(row)`} !== true) return;`));
  if (agg?.batch !== undefined) {
    // A flush inside arrive() may run callbacks that send again (and refill the shared row).
    lines.push('  batch.arrive(ts, d);', ...(needRow ? ['  row.timestamp = ts;', '  row.data = d;'] : []), ...batchLines(agg), '};');
    return lines.join('\n');
  }
  if (agg !== undefined) lines.push(...aggregateLines(agg));
  // Closures and `having` (which may call aggregators of its own) read the values through the frame.
  const framed = agg !== undefined && (shape.having !== undefined || shape.outputs.some((o) => o.kind === 'closure'));
  if (framed) agg.slots.forEach((s, j) => lines.push(`  values[${j}] = ${valueSource(s.kind, j)};`));
  const out = shape.outputs.map((o, i) => outputSource(o, i, framed));
  if (shape.having !== undefined) {
    // As the selector: project, then `having` reads the projected row through the frame.
    lines.push(`  const out = [${out.join(', ')}];`, '  frame.out = out;', '  if (having(row) !== true) return;', SOLE_CALLBACK, ...emitLines('  '), '};');
    return lines.join('\n');
  }
  lines.push(`  const out = [${out.join(', ')}];`, SOLE_CALLBACK, ...emitLines('  '), '};');
  return lines.join('\n');
}

/** Reads the output stream's sole callback into `cb` (two spaces in), before emitLines. */
export const SOLE_CALLBACK = '  const cb = sink === undefined ? undefined : sink.soleCallback;';

/**
 * The output row `out` to the target stream's sole callback `cb`, called here
 * so the call site is this query shape's own (see StreamJunction.soleCallback);
 * otherwise through output.row. As junction.processRow does it. Each line
 * starts with `indent`; the join step (join/join-step.ts) uses it too.
 */
export function emitLines(indent: string): string[] {
  return [
    `if (cb === undefined || tap.listening) return output.row(ts, out, ${CURRENT});`,
    'sink.eventsIn++;',
    'sink.eventsOut++;',
    // Made before the try: allocations inside it cost more (~5 ns a row for Q1), and making them cannot throw.
    `const events = [event(ts, out, ${CURRENT})];`,
    'try {',
    '  cb(events);',
    '} catch (e) {',
    '  sink.callbackFailed(e);',
    '}',
  ].map((l) => indent + l);
}

function outputSource(o: ValueSource, i: number, framed: boolean): string {
  switch (o.kind) {
    case 'data': return o.js;
    case 'slot': return framed ? `values[${o.slot}]` : valueSource(o.aggregator, o.slot);
    case 'closure': return `p${i}(row)`;
    default: return assertNever(o, 'output');
  }
}

type AggregateShape = NonNullable<StepShape['aggregate']>;

/** Expiry of what the window lets go, then the arrival: each is a group update as AggregateStore.update does it. */
function aggregateLines(agg: AggregateShape): string[] {
  const lines: string[] = [];
  const w = agg.window;
  if (w !== undefined) {
    const columns = w.queue.columns;
    // With a schema the rows are appended and the expired values read in the chunks here (event-queue.ts writes the source).
    const push = columns === undefined ? [`queue.pushRow(ts, d, ${CURRENT});`]
      : ['{', ...rowAppendLines(columns.kinds, { c: 'cols', ts: 'ts', d: 'd', type: String(CURRENT) }).map((l) => `  ${l}`), '}'];
    const readValues = (r: readonly (readonly [string, number])[]): string[] =>
      columns === undefined ? r.map(([name, index]) => `const ${name} = queue.valueAt(0, ${index});`) : headReadLines(columns.kinds, 'cols', r);
    const reads = agg.expiredReads;
    if (w.kind === 'length') {
      // As LengthWindow: the window steps (out, in) before the selector sees either row, so a failing removal leaves the same window.
      const read = reads === 'row'
        ? ['queue.readInto(0, xrow.data);', 'xrow.timestamp = clock.now();']
        : readValues(reads);
      // The whole row read back shadows the arrival's `d`, so keys and arguments read it as their own source does.
      const update = reads === 'row'
        ? ['    {', '      const d = xrow.data;', ...groupUpdate(agg, 'expired', '      '), '    }']
        : groupUpdate(agg, 'columns', '    ');
      lines.push(
        `  if (queue.length >= ${w.size}) {`,
        ...indent(read, '    '),
        '    queue.dropHead();',
        ...indent(push, '    '),
        ...update,
        // Filling up happens once: the general append keeps the step short.
        `  } else queue.pushRow(ts, d, ${CURRENT});`,
      );
    } else {
      // Attributes only (fuse.ts): the removal cannot fail, so the rows due may go one by one.
      if (reads === 'row') throw new Error('a time window step reads expired attributes only');
      lines.push(
        '  const now = clock.now();',
        `  while (queue.length > 0 && queue.peekTimestamp() + ${w.span} <= now) {`,
        ...indent(readValues(reads), '    '),
        '    queue.dropHead();',
        ...groupUpdate(agg, 'columns', '    '),
        '  }',
        ...indent(push, '  '),
      );
    }
  }
  lines.push(...groupUpdate(agg, 'arrival', '  '));
  lines.push('  const s = g.s;');
  return lines;
}

/** `lines`, each after `by`. */
export function indent(lines: readonly string[], by: string): string[] {
  return lines.map((l) => by + l);
}

/** The arrival's adds to its group of the batch being collected (operators/batch-groups.ts); its flush emits. */
function batchLines(agg: AggregateShape): string[] {
  const lines = [`  const g = open.group(${keyFromRow(agg)});`];
  agg.slots.forEach((s, j) => {
    const closure = s.argSource === undefined && s.arg !== undefined;
    const arg = closure ? `a${j}(row)` : s.argSource ?? 'null';
    lines.push(...slotUpdate({ kind: s.kind, j, s: 'g.s', arg, add: true, closure }).map((l) => `  ${l}`));
  });
  lines.push('  open.added(g, ts, d);');
  return lines;
}

function keyFromRow(agg: AggregateShape, row = 'row'): string {
  const key = agg.key;
  switch (key.kind) {
    case 'none': return "''";
    case 'closure': return `keyOf(${row})`;
    case 'data': return joinKey(key.parts);
    default: return assertNever(key, 'group key');
  }
}

/** The expired row's key from the values read back from the window's columns (`x<i>` for data index i). */
function keyFromColumns(agg: AggregateShape): string {
  const key = agg.key;
  if (key.kind !== 'data') return "''";
  return joinKey(key.parts.map(columnVar));
}

/** groupKeyOf's key: strings as they are, null as \u0000, others through String; several joined by \u001f. */
function joinKey(parts: readonly string[]): string {
  const one = (p: string) => `(typeof ${p} === 'string' ? ${p} : ${p} == null ? '\\u0000' : String(${p}))`;
  return parts.map(one).join(" + '\\u001f' + ");
}

/**
 * A group update from `d` and `row` (the arrival, added), from `d` and `xrow`
 * (an expired row read back whole, removed), or from the `x<i>` values read
 * back from the columns (removed).
 */
function groupUpdate(agg: AggregateShape, from: 'arrival' | 'expired' | 'columns', indent: string): string[] {
  const add = from === 'arrival';
  const row = from === 'expired' ? 'xrow' : 'row';
  const key = from === 'columns' ? keyFromColumns(agg) : keyFromRow(agg, row);
  const g = add ? 'g' : 'x';
  const lines = [
    `${indent}const ${g}k = ${key};`,
    `${indent}let ${g} = groups.get(${g}k);`,
    `${indent}if (${g} === undefined) {`,
    `${indent}  ${g} = { n: 0, s: [${agg.slots.map((_, j) => `k${j}.init()`).join(', ')}], logged: -1 };`,
    `${indent}  groups.set(${g}k, ${g});`,
    `${indent}} else groups.touchStamped(${g}k, ${g});`,
  ];
  agg.slots.forEach((s, j) => {
    const closure = s.argSource === undefined && s.arg !== undefined;
    const arg = closure ? `a${j}(${row})` : s.argSource === undefined ? 'null' : from === 'columns' ? columnVar(s.argSource) : s.argSource;
    lines.push(...slotUpdate({ kind: s.kind, j, s: `${g}.s`, arg, add, closure }).map((l) => indent + l));
  });
  // An emptied group equals a fresh one, so it goes; forever aggregators (minForever, maxForever) never empty.
  const removal = agg.forever ? `${indent}${g}.n--;` : `${indent}if (--${g}.n <= 0) groups.delete(${g}k);`;
  lines.push(add ? `${indent}${g}.n++;` : removal);
  return lines;
}

/** One aggregator's add or remove, inlined for sum/avg/count (numeric.ts), else through the kind. */
function slotUpdate(o: { kind: AggregatorKind; j: number; s: string; arg: string; add: boolean; closure: boolean }): string[] {
  const { kind, j, s, arg, add } = o;
  if (kind === SUM || kind === AVG) {
    const body = add
      ? [`t.s += v${j};`, 't.c++;']
      : [`t.s -= v${j};`, 't.c--;', 'if (t.c === 0) t.s = 0;'];
    return [`{ const v${j} = ${arg};`, `  if (v${j} !== null && v${j} !== undefined) { const t = ${s}[${j}]; ${body.join(' ')} } }`];
  }
  // count(x) ignores x's value, but a closure argument still runs (it may fail, as the interpreted step would).
  if (kind === COUNT) return [...(o.closure ? [`${arg};`] : []), `${s}[${j}] ${add ? '+' : '-'}= 1;`];
  return [`${s}[${j}] = k${j}.${add ? 'add' : 'remove'}(${s}[${j}], ${arg});`];
}

/** The aggregator's value from the group's state `s` (the arriving row's group). */
function valueSource(kind: AggregatorKind, j: number): string {
  if (kind === SUM) return `(s[${j}].c === 0 ? null : s[${j}].s)`;
  if (kind === AVG) return `(s[${j}].c === 0 ? null : s[${j}].s / s[${j}].c)`;
  if (kind === COUNT) return `s[${j}]`;
  return `k${j}.value(s[${j}])`;
}

