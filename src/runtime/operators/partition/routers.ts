// What feeds a partition: a value router (key = an expression of the event),
// a range router (key = the label of each matching range, in declaration
// order) and a broadcaster for streams read inside but not partitioned.

import type { ChangeLog } from '../../../state/cell.js';
import { CURRENT, StreamEvent } from '../../event.js';
import type { RowReader, StepSource } from '../../kernel/row-reader.js';
import type { Processor } from '../../processor.js';
import type { Partition } from './partition.js';
import type { SkipTable } from './row-skip.js';

/** The rows a router may keep from its keys' states: `js` over row `d` and the key's states `n` is true when some state may take it (skip-test.ts). */
export interface RouterSkip {
  readonly js: string;
  /** The skipping keys' times (row-skip.ts). */
  readonly table: SkipTable;
}

const NO_DATA: unknown[] = [];

/** What a generated router's step reads besides the partition: the key as source over the row `d`. */
export interface RouterSource {
  readonly keyJs: string;
  /** The rows no key's state may take (skip-test.ts), if any. */
  readonly skip: RouterSkip | undefined;
  /** Where a key lists itself when a row reaches it (KeyInstance.deliverRow's markChanged). */
  readonly changes: ChangeLog;
}

/** Keys are strings: they name cells (`q1/0:window.length@IBM`) and survive checkpoints. */
export function keyString(v: unknown): string {
  if (typeof v === 'string') return v;
  return v === null || v === undefined ? 'null' : String(v);
}

/**
 * Also a row reader: as the sole reader of its stream it takes each sent
 * event without its chunk and validation copy, and with a key written as
 * JavaScript over the row (`keyJs`) its step is generated, so a playback
 * input handler inlines it into its own send() (kernel/generate-send.ts).
 */
export class ValueRouter implements RowReader {
  private step: StepSource | undefined;

  constructor(
    private readonly partition: Partition,
    private readonly stream: string,
    private readonly keyOf: (e: StreamEvent) => unknown,
    /** Without one (a key with no source), the router is not generated. */
    private readonly source?: RouterSource,
  ) {}

  get generated(): StepSource | undefined {
    const source = this.source;
    if (source === undefined) return undefined;
    if (this.step !== undefined) return this.step;
    const skip = source.skip;
    const env = { partition: this.partition, stream: this.stream, keyString, skips: skip?.table, changes: source.changes };
    return (this.step = { source: routerSource(source.keyJs, skip?.js), env });
  }

  /** Lends the row to the key expression, which keeps nothing. */
  private readonly probe = new StreamEvent(0, NO_DATA, CURRENT) as StreamEvent & { data: unknown[] };

  acceptRow(timestamp: number, data: unknown[]): void {
    const probe = this.probe;
    probe.timestamp = timestamp;
    probe.data = data;
    let key: string;
    try {
      key = keyString(this.keyOf(probe));
    } finally {
      probe.data = NO_DATA; // a key expression that throws must not leave the caller's array held
    }
    // Still lent: the instance copies the row if a reader keeps it.
    this.partition.instance(key).deliverRow(this.stream, timestamp, data);
  }

  process(chunk: StreamEvent[]): void {
    // Runs of one key travel together, as one chunk.
    let start = 0;
    let key = '';
    for (let i = 0; i < chunk.length; i++) {
      const k = keyString(this.keyOf(chunk[i]!));
      if (i > start && k !== key) {
        this.partition.instance(key).deliver(this.stream, chunk.slice(start, i));
        start = i;
      }
      key = k;
    }
    if (chunk.length > start) this.partition.instance(key).deliver(this.stream, start === 0 ? chunk : chunk.slice(start));
  }
}

/**
 * acceptRow as the body of `function (env) { … return step; }`: the key read
 * from the row by `keyJs` instead of the key closure over the probe event.
 * With `skipJs`, a row no state of its key could take, and not older than the
 * key's rows before, stays here: the key is still seen (created, kept from
 * the purge), its states are not visited, and its times in the SkipTable are
 * written here, with a call (SkipTable.list) only for a key's first kept row
 * since it last settled: most rows of a selective pattern end here, and a
 * call taking the time would box it on each. A key whose
 * sole reader has a generated step gets the row as KeyInstance.deliverRow
 * gives it (marked changed, noted for skips, a throw reported), with the step
 * called from here: this partition's own call site.
 */
function routerSource(keyJs: string, skipJs: string | undefined): string {
  // n, sv, sb: what the skip test reads and assigns (skip-test.ts).
  const instance = `var i = partition.instance(typeof v === 'string' ? v : keyString(v)), k = i.skipSlot, s${skipJs === undefined ? '' : ', n, sv, sb'};`;
  const deliver = [
    // Noted for skips without a skip test of this router's: deliverRow knows what to do.
    `if ((s = i.stepFor(stream)) === undefined${skipJs === undefined ? ' || k >= 0' : ''}) i.deliverRow(stream, ts, d);`,
    'else {',
    '  if (i.changedIn !== changes.epoch) {',
    '    i.changedIn = changes.epoch;',
    '    changes.groups.push(i);',
    '  }',
    ...(skipJs === undefined ? [] : ['  if (k >= 0) skips.noteRow(k, ts);']),
    '  try {',
    '    s(ts, d);',
    '  } catch (e) {',
    '    i.stepFailed(stream, e);',
    '  }',
    '}',
  ];
  const route = skipJs === undefined
    ? deliver
    : [
      `if (k >= 0 && ts >= skips.latest[k] && !((n = skips.states[k]), ${skipJs})) {`,
      '  skips.latest[k] = ts;',
      '  skips.newest[k] = ts;',
      '  skips.settleAt[k] = ts;',
      '  if (skips.listed[k] === 0) skips.list(k, i);',
      '} else {',
      ...deliver.map((l) => `  ${l}`),
      '}',
    ];
  return [
    "'use strict';",
    'var partition = env.partition, stream = env.stream, keyString = env.keyString, skips = env.skips, changes = env.changes;',
    'return function step(ts, d) {',
    `  var v = ${keyJs};`,
    `  ${instance}`,
    ...route.map((l) => `  ${l}`),
    '};',
  ].join('\n');
}

export interface Range {
  readonly label: string;
  readonly test: (e: StreamEvent) => boolean;
}

export class RangeRouter implements Processor<StreamEvent> {
  constructor(
    private readonly partition: Partition,
    private readonly stream: string,
    private readonly ranges: readonly Range[],
  ) {}

  process(chunk: StreamEvent[]): void {
    for (const e of chunk) {
      // An event matching no range is dropped; one matching several is processed once per range.
      for (const r of this.ranges) if (r.test(e)) this.partition.instance(r.label).deliver(this.stream, [e]);
    }
  }
}

export class Broadcaster implements Processor<StreamEvent> {
  constructor(
    private readonly partition: Partition,
    private readonly name: string,
  ) {}

  process(chunk: StreamEvent[]): void {
    this.partition.broadcast(this.name, chunk);
  }
}
