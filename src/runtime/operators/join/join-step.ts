// One join side's acceptRow generated as JavaScript, for the join kernel's
// plain shape (every output an attribute, the key equality all of `on`): the
// side's filters, the store into its window, the probe of the other side's
// index and the output rows to the target's sole callback, in one function
// per query shape, so no call site on the way is shared with other queries
// (join-kernel.ts's pick() and KernelOutput's emission are). A generated
// send() inlines it (kernel/generate-send.ts). Behaves as JoinSideKernel.acceptRow.

import { CURRENT, type Row } from '../../event.js';
import type { KernelOutput } from '../../kernel/kernel-output.js';
import type { KeyIndex } from './key-index.js';
import { emitLines, SOLE_CALLBACK } from '../../kernel/generate-step.js';
import type { StepSource } from '../../kernel/row-reader.js';
import type { Condition } from '../../kernel/step-shape.js';

export interface JoinStepShape {
  readonly side: 0 | 1;
  /** The side's window length. */
  readonly size: number;
  /** The arriving row's key attribute. */
  readonly key: number;
  readonly conditions: readonly Condition[];
  /** [side, attribute] of each output. */
  readonly picks: Int32Array;
  /** The side's arrivals probe the other side. */
  readonly triggers: boolean;
  readonly outer: boolean;
}

/** What the generated source refers to by name. */
export interface JoinStepEnv {
  /** Its store(side, size, timestamp, data) puts the arrival into its window and index. */
  readonly kernel: { store(side: 0 | 1, size: number, timestamp: number, data: readonly unknown[]): void };
  /** The other side's key index. */
  readonly other: KeyIndex;
  readonly conditions: readonly ((row: Row) => unknown)[];
  /** The reused row closures read (`row.data` is the lent array). */
  readonly row: { timestamp: number; data: unknown[] };
  readonly output: Pick<KernelOutput, 'row' | 'rows' | 'junction' | 'tap' | 'event'>;
}

export class JoinStep implements StepSource {
  private text: string | undefined;

  constructor(private readonly shape: JoinStepShape, readonly env: JoinStepEnv) {}

  get source(): string {
    return (this.text ??= joinStepSource(this.shape));
  }
}

/** The body of `function (env) { … return step; }` (variables bound with `var`, as generate-step.ts explains). */
export function joinStepSource(shape: JoinStepShape): string {
  const { side, picks } = shape;
  const lines = [
    "'use strict';",
    'var kernel = env.kernel, other = env.other, row = env.row, conditions = env.conditions, output = env.output;',
    'var sink = output.junction, tap = output.tap, event = output.event;',
  ];
  shape.conditions.forEach((c, i) => { if (c.js === undefined) lines.push(`var c${i} = conditions[${i}];`); });
  lines.push('return function step(ts, d) {');
  if (shape.conditions.some((c) => c.js === undefined)) lines.push('  row.timestamp = ts;', '  row.data = d;');
  shape.conditions.forEach((c, i) => lines.push(`  if (${c.js ?? `c${i}(row)`} !== true) return;`));
  lines.push(`  kernel.store(${side}, ${shape.size}, ts, d);`);
  if (!shape.triggers) return [...lines, '};'].join('\n');
  const columns = (stored: (index: number) => string): string => {
    const out: string[] = [];
    for (let k = 0; k < picks.length; k += 2) out.push(picks[k] === side ? `d[${picks[k + 1]!}]` : stored(picks[k + 1]!));
    return `[${out.join(', ')}]`;
  };
  const fromStored = columns((i) => `queue.valueAt(at, ${i})`);
  lines.push(
    `  const key = d[${shape.key}];`,
    '  other.sync();',
    // `==` with a null operand, or NaN, is false.
    '  const list = key === null || key !== key ? undefined : other.find(key);',
    '  const n = list === undefined ? 0 : list.end - list.start;',
    SOLE_CALLBACK,
    '  if (n === 0) {',
    ...(shape.outer ? [`    const out = ${columns(() => 'null')};`, ...emitLines('    ')] : []),
    '    return;',
    '  }',
    '  const queue = other.queue, head = other.head, seqs = list.seqs, start = list.start;',
    '  if (n === 1) {',
    '    const at = seqs[start] - head;',
    `    const out = ${fromStored};`,
    ...emitLines('    '),
    '    return;',
    '  }',
    // As KernelOutput.rows and StreamJunction.processRows (change both together): one chunk of the probe's rows.
    '  if (cb === undefined || tap.listening) {',
    '    const rows = [];',
    `    for (let j = 0; j < n; j++) { const at = seqs[start + j] - head; rows.push(${fromStored}); }`,
    `    output.rows(ts, rows, ${CURRENT});`,
    '    return;',
    '  }',
    '  const events = [];',
    `  for (let j = 0; j < n; j++) { const at = seqs[start + j] - head; events.push(event(ts, ${fromStored}, ${CURRENT})); }`,
    '  sink.eventsIn += n;',
    '  sink.eventsOut += n;',
    '  try {',
    '    cb(events);',
    '  } catch (e) {',
    '    sink.callbackFailed(e);',
    '  }',
    '};',
  );
  return lines.join('\n');
}
