// What a generated pattern step (pattern-step.ts) does with a KeyedRowNode,
// as source over the node's variable: expiry by `within`, the offer of an
// arriving row to the entries of its key, and a start state's hand-over of a
// new entry. Each step's script gets its own copy, so each pattern's hot code
// has type feedback of its own: as methods of the class it took that of every
// pattern in the process (a partitioned pattern's node sees one key, an
// unpartitioned one's a hundred, and whichever ran first shaped the other's
// optimised code). KeyedRowNode's expireEvents and push are this source
// compiled once, for the interpreted callers.

import { CURRENT } from '../../event.js';

/**
 * KeyedRowNode.expireEvents over node `n` at time `ts`, as lines: live
 * entries leave from the front up to the first unexpired one, every expired
 * new entry goes, the rest become pending.
 */
export function expireRowsLines(n: string): string[] {
  return [
    `if (${n}.live === 0) {`,
    // What the loops below do when every entry is dead, without reading the times: a partition key whose matches all ended reads none.
    `  ${n}.head = ${n}.newFrom = ${n}.tail;`,
    `} else {`,
    `  const within = ${n}.shared.within;`,
    `  while (${n}.head !== ${n}.tail) {`,
    `    const i = ${n}.head & ${n}.mask;`,
    `    if (${n}.rows[i] !== undefined) {`,
    `      if (!(Math.abs(${n}.starts[i] - ts) > within)) break;`,
    `      ${n}.unlink(i, ${n}.head);`,
    '    }',
    `    ${n}.head++;`,
    '  }',
    // The new entries (usually none or one).
    `  for (let q = Math.max(${n}.head, ${n}.newFrom); q < ${n}.tail; q++) {`,
    `    const i = q & ${n}.mask;`,
    `    if (${n}.rows[i] !== undefined && Math.abs(${n}.starts[i] - ts) > within) ${n}.unlink(i, q);`,
    '  }',
    `  ${n}.newFrom = ${n}.tail;`,
    `  while (${n}.head !== ${n}.tail && ${n}.rows[${n}.head & ${n}.mask] === undefined) ${n}.head++;`,
    '}',
    `if (${n}.fresh.length !== 0) ${n}.expireFresh(ts);`,
  ];
}

/**
 * KeyedRowNode.push over node `n`: appends an entry (its start time, its row,
 * its match object or undefined; each a name, read more than once) and files it under its key.
 */
export function pushRowLines(n: string, start: string, row: string, obj: string): string[] {
  return [
    `if (${n}.tail - ${n}.head > ${n}.mask) ${n}.grow();`,
    `const q = ${n}.tail++;`,
    `const i = q & ${n}.mask;`,
    `const key = ${row}[${n}.keyIndex] ?? null;`,
    `${n}.starts[i] = ${start};`,
    `${n}.rows[i] = ${row};`,
    ...(obj === 'undefined' ? [] : [`if (${obj} !== undefined) {`, `  ${n}.objs[i] = ${obj};`, `  ${n}.objCount++;`, '}']),
    `${n}.live++;`,
    `let b = key === ${n}.lastKey ? ${n}.lastBucket : ${n}.buckets.get(key);`,
    'if (b !== undefined) b.push(q);',
    `else ${n}.buckets.set(key, (b = [q]));`,
    `${n}.lastKey = key;`,
    `${n}.lastBucket = b;`,
  ];
}

/**
 * KeyedRowNode.addStarted over node `n`: a start state's new match, holding
 * the row `d` in slot `slot`, as an entry (a copy of the row), or through the
 * node's new list while that holds matches.
 */
export function addStartedLines(n: string, armed: string, slot: number): string[] {
  return [
    `if (${n}.fresh.length !== 0) ${n}.addStarted(${armed}, ${slot}, ts, d);`,
    'else {',
    `  const row = ${n}.rowFor(d);`,
    ...pushRowLines(n, 'ts', 'row', 'undefined').map((l) => `  ${l}`),
    '}',
  ];
}

/** What the offer reads besides the node: the lent match and events (KeyedRowNode's), and the filter's name in the script, if any. */
export interface TakeNames {
  /** The lent objects of keyed-row-node.ts (KEYED_LENT). */
  readonly lent: string;
  /** The node's filter over a match, a function of the script (or the node's own closure); undefined passes everything. */
  readonly filter: string | undefined;
  /**
   * The script projects a completed match and hands its row on itself, with
   * its functions `project(match)` and `emitOut(ts, row)` (pattern-step.ts
   * directLines), as KeyedRowNode.emitRow does through the runtime's emitLent;
   * else, and for an entry with a match object, emitRow.
   */
  readonly direct: boolean;
}

/**
 * The offer of the row (ts, lent `d`) to the entries of `n` under its key,
 * whose bucket `b` is not empty (KeyedRowNode.waitsFor): completed entries
 * leave and are emitted in order once the bucket is settled. Entries whose
 * filter fails stay, in order.
 */
export function takeRowLines(n: string, slot: number, names: TakeNames): string[] {
  const { lent, filter } = names;
  const test = filter === undefined ? [] : [`  if (!${filter}(m)) {`, '    b[w++] = q;', '    continue;', '  }'];
  return [
    `const m = ${lent}.match, events = m.events, first = ${lent}.first, own = ${lent}.own;`,
    'own.timestamp = ts;',
    'own.data = d;',
    `events[${slot}] = own;`,
    'let n = 0, start = 0, row, obj, more, w = 0;',
    'for (let r = 0; r < b.length; r++) {',
    '  const q = b[r];',
    `  const i = q & ${n}.mask;`,
    `  const o = ${n}.objCount === 0 ? undefined : ${n}.objs[i];`,
    `  const s = ${n}.starts[i];`,
    '  if (o !== undefined) events[0] = o.events[0];',
    `  else { first.timestamp = s; first.data = ${n}.rows[i]; events[0] = first; }`,
    '  m.timestamp = s;',
    `  m.type = o !== undefined ? o.type : ${CURRENT};`,
    ...test,
    '  if (n++ === 0) {',
    '    start = s;',
    `    row = ${n}.rows[i];`,
    '    obj = o;',
    `  } else (more ??= []).push(s, ${n}.rows[i], o);`,
    `  ${n}.kill(i);`,
    '}',
    'events[0] = null;',
    `events[${slot}] = null;`,
    `${n}.settle(b, w);`,
    'if (n !== 0) {',
    ...(names.direct
      ? [
        ...emitLentLines(n, slot, 'start', 'row', 'obj').map((l) => `  ${l}`),
        '  if (more !== undefined) {',
        '    for (let k = 0; k < more.length; k += 3) {',
        '      const s = more[k], r = more[k + 1], o = more[k + 2];',
        ...emitLentLines(n, slot, 's', 'r', 'o').map((l) => `      ${l}`),
        '    }',
        '  }',
      ]
      : [
        `  ${n}.emitRow(start, row, obj, ts, d);`,
        `  if (more !== undefined) for (let k = 0; k < more.length; k += 3) ${n}.emitRow(more[k], more[k + 1], more[k + 2], ts, d);`,
      ]),
    '}',
  ];
}

/**
 * KeyedRowNode.emitRow of the entry (start `s`, row `r`, match object `o`)
 * completed by the row (ts, `d`), with the script's own projection and
 * output: the lent match (e1 lent from the entry, this slot from `d`) is
 * projected, then the row handed on. Each lent object is filled again, as
 * emitRow does: a callback may have fed the stream (and lent them) in between.
 */
function emitLentLines(n: string, slot: number, s: string, r: string, o: string): string[] {
  return [
    `if (${o} === undefined) {`,
    `  first.timestamp = ${s};`,
    `  first.data = ${r};`,
    '  own.timestamp = ts;',
    '  own.data = d;',
    '  events[0] = first;',
    `  events[${slot}] = own;`,
    '  m.timestamp = ts;',
    `  m.type = ${CURRENT};`,
    '  const p = project(m);',
    '  events[0] = null;',
    `  events[${slot}] = null;`,
    // The projection copied what it reads: the row is no one's (the lent event is filled again before each use).
    `  ${n}.recycle(${r});`,
    '  emitOut(ts, p);',
    `} else ${n}.emitRow(${s}, ${r}, ${o}, ts, d);`,
  ];
}

/**
 * `b`: the bucket of the arriving row's key (attribute `index` of `d`), as
 * KeyedRowNode.bucketAt finds it, or undefined for a null key (`==` with null
 * is false: such a row completes nothing).
 */
export function bucketLines(n: string, index: number): string[] {
  return [
    `const v = d[${index}];`,
    `const b = v === null || v === undefined ? undefined : v === ${n}.lastKey ? ${n}.lastBucket : ${n}.buckets.get(v);`,
  ];
}
