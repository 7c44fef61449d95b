// One input of a pattern or sequence runtime as a generated step over
// (timestamp, row): the stabilize, each state's own-event test (inlined when
// it was compiled from JavaScript) and the offer to the states, as
// PatternRuntime.acceptRow does them, in one function per pattern shape. A
// generated send() (kernel/generate-send.ts) inlines it, or a partition key
// runs it (partition/key-instance.ts), so an event reaches the states without
// the general send, the junction or a shared call site. What a row-keeping
// state does per row (keyed-row-step.ts), the `every` start's re-arming and
// the filters they call are written into the step too: each script has its
// own copy with its own type feedback, where methods and filters shared by
// every pattern in the process took the feedback of all of them.
// The planner makes one PatternStepText per input, PatternRuntime.side a step
// per instance over it; SIDDHI_KERNELS=off makes none (no row readers).

import { CURRENT, type StateEvent, StreamEvent } from '../../event.js';
import { emitLines, indent, SOLE_CALLBACK } from '../../kernel/generate-step.js';
import type { StepSource } from '../../kernel/row-reader.js';
import { KEYED_LENT, KeyedRowNode } from './keyed-row-node.js';
import { addStartedLines, bucketLines, expireRowsLines, takeRowLines } from './keyed-row-step.js';
import { KeyedNode } from './keyed-node.js';
import { MATCH_HELPERS } from './match-helpers.js';
import type { DirectProjection } from './pattern-runtime.js';
import type { SequenceMatcher } from './sequence-matcher.js';
import { sequenceStepSource } from './sequence-step.js';
import { StreamNode } from './stream-node.js';

/** What the generated source refers to by name (its only free variables). */
export interface PatternStepEnv {
  readonly runtime: {
    flush(): void;
    emit(m: StateEvent): void;
    /** Asked when the source is written (the first row, after the runtime is connected). */
    directProjection(): DirectProjection | undefined;
  };
  /** Sequences: the states reset, then updated, before each event (StateTree). */
  readonly resets: readonly StreamNode[];
  readonly updates: readonly StreamNode[];
  /** The states reading this stream, in the order they are offered an event (last state first). */
  readonly nodes: readonly StreamNode[];
  /** The states whose matches `within` can expire. */
  readonly expiring: readonly StreamNode[];
  readonly out: unknown[];
  readonly StreamEvent: typeof StreamEvent;
  /** The lent match and events a KeyedRowNode's offer reads (keyed-row-step.ts). */
  readonly lent: typeof KEYED_LENT;
  /** A sequence run over a ring of events (sequence-matcher.ts); the states' own step runs when it declines an event. */
  readonly matcher?: SequenceMatcher | undefined;
}

export interface PatternStepOptions {
  readonly sequence: boolean;
  /** Per state of `nodes`: updateState has nothing to do while its new list is empty. */
  readonly idle: readonly boolean[];
}

/**
 * One stream input's step source (the body of `function (env) { … return
 * step; }`), made by the planner once per input and shared by every instance
 * of the pattern: partition keys build their states per key, but what the
 * source depends on (the states' classes, own-event tests and counts) is the
 * plan's. Written when first asked for: an app never fed writes none.
 */
export class PatternStepText {
  private text: string | undefined;

  constructor(
    /** Sequences, per slot: its filter over a SequenceMatcher's ring, when it has a source (plan-pattern.ts). */
    private readonly ringFilters: readonly (string | undefined)[] = [],
  ) {}

  /** The source for `env`; the first instance that asks stands for all (they share the shape). */
  sourceFor(env: PatternStepEnv, o: PatternStepOptions): string {
    return (this.text ??= this.write(env, o));
  }

  /** A method (not a function) so a test can count the writes. */
  write(env: PatternStepEnv, o: PatternStepOptions): string {
    return patternStepSource(env, o, this.ringFilters);
  }
}

/** One instance's step: the input's shared source over this instance's states. */
export function patternStep(text: PatternStepText, env: PatternStepEnv, o: PatternStepOptions): StepSource {
  return {
    get source() {
      return text.sourceFor(env, o);
    },
    env,
  };
}

function patternStepSource(env: PatternStepEnv, o: PatternStepOptions, ringFilters: readonly (string | undefined)[]): string {
  const m = env.matcher;
  const { nodes, expiring } = env;
  const direct = env.runtime.directProjection();
  const lines = [
    "'use strict';",
    // var, not const: the step reads these from its context on every event, and a const read is checked for initialisation.
    'var runtime = env.runtime, out = env.out, StreamEvent = env.StreamEvent, lent = env.lent;',
    ...nodes.map((_, k) => `var n${k} = env.nodes[${k}];`),
    ...nodes.flatMap((n, k) => filterLines(n, k)),
    ...(direct !== undefined ? directLines(direct) : []),
    // One call site per state (each sees one class), not the tree's loops shared by every sequence.
    ...(o.sequence ? env.resets.map((_, k) => `var r${k} = env.resets[${k}];`) : []),
    ...(o.sequence ? env.updates.map((_, k) => `var u${k} = env.updates[${k}];`) : []),
    ...expiring.map((_, j) => `var x${j} = env.expiring[${j}];`),
    ...(m !== undefined ? ['var sequenceStep = (function (M) {', sequenceStepSource(m.shape(ringFilters), direct !== undefined), '})(env.matcher);'] : []),
    'return function step(ts, d) {',
    ...(m !== undefined ? ['  if (sequenceStep(ts, d)) return;'] : []),
    ...expiring.flatMap((x, j) => (x instanceof KeyedRowNode ? ['  {', ...indent(expireRowsLines(`x${j}`), '    '), '  }'] : [`  x${j}.expireEvents(ts);`])),
  ];
  if (o.sequence) lines.push(...env.resets.map((_, k) => `  r${k}.resetState();`), ...env.updates.map((_, k) => `  u${k}.updateState();`));
  else nodes.forEach((_, k) => lines.push(o.idle[k] ? `  if (n${k}.fresh.length !== 0) n${k}.updateState();` : `  n${k}.updateState();`));
  lines.push('  var e;');
  nodes.forEach((n, k) => {
    const test = takeTest(n, `n${k}`);
    lines.push(test === 'true' ? '  {' : `  if (${test}) {`, ...offerLines(n, k, nodes, direct !== undefined), '  }');
  });
  lines.push('};');
  return lines.join('\n');
}

/**
 * With a plain selector (PatternRuntime.directProjection), the script's own
 * projection of a match and output of its row, as PatternRuntime.emitLent →
 * Selector.projectOne → KernelOutput.row do them (and a fused kernel's step,
 * generate-step.ts emitLines): `project(d)` over a match `d`, each output
 * from its source (a closure `p<i>` without one), `emitOut(ts, out)` to the
 * target stream's sole callback called here, or output.row; `flushOut()`
 * for the matches the states complete themselves, as PatternRuntime.flush
 * (a match not current goes through the runtime). Shared, that path took
 * the type feedback of every pattern in the process.
 */
function directLines(direct: DirectProjection): string[] {
  const outputs = direct.projections.map((_, i) => direct.sources[i] ?? `p${i}(d)`);
  return [
    'var P = runtime.directProjection(), output = P.output, sink = output.junction, tap = output.tap, event = output.event;',
    ...direct.projections.flatMap((_, i) => (direct.sources[i] === undefined ? [`var p${i} = P.projections[${i}];`] : [])),
    'var project = (function () {',
    MATCH_HELPERS,
    `return function project(d) { return [${outputs.join(', ')}]; };`,
    '})();',
    'function emitOut(ts, out) {',
    SOLE_CALLBACK,
    ...emitLines('  '),
    '}',
    'function emitMatch(m) {',
    `  if (m.type === ${CURRENT}) emitOut(m.timestamp, project(m));`,
    '  else runtime.emit(m);',
    '}',
    'function flushOut() {',
    // Taken off the list before the output runs: it may feed this pattern again.
    '  if (out.length === 1) {',
    '    emitMatch(out.pop());',
    '    return;',
    '  }',
    '  const matches = out.splice(0, out.length);',
    '  for (let i = 0; i < matches.length; i++) emitMatch(matches[i]);',
    '}',
  ];
}

/**
 * The script's own copy of a state's filter (`f<k>`), where the step calls it
 * itself: a row-keeping state's offer, and an `every` start's re-arming when
 * its own-event test is not the whole filter. The node's closure when the
 * filter has no source.
 */
function filterLines(n: StreamNode, k: number): string[] {
  const called = n instanceof KeyedRowNode || (n.restartsInPlace() && !n.ownWhole);
  if (!called || n.filter === undefined) return [];
  const own = n.restartsInPlace() ? [`var l${k} = new StreamEvent(0, [], ${CURRENT});`] : [];
  if (n.filterSource === undefined) return [...own, `var f${k} = n${k}.filter;`];
  return [...own, `var f${k} = (function () {`, n.filterSource, '})();'];
}

/**
 * The offer of the event to state `nodes[k]`: a state keeping rows takes the
 * lent row (keyed-row-step.ts takeRowLines); an `every` start state hands on
 * a new match and stays armed (restartLines; restartSequence in a sequence,
 * where it is re-armed as the new match), else the event is made and offered
 * as PatternRuntime.acceptRow does.
 */
function offerLines(n: StreamNode, k: number, nodes: readonly StreamNode[], direct: boolean): string[] {
  const name = `n${k}`;
  if (n instanceof KeyedRowNode) {
    const take = takeRowLines(name, n.slot, { lent: 'lent', filter: n.filter === undefined ? undefined : `f${k}`, direct });
    return [...indent(bucketLines(name, n.eventIndex), '    '), '    if (b !== undefined && b.length !== 0) {', ...indent(take, '      '), '    }'];
  }
  const offer = [
    `if (e === undefined) e = new StreamEvent(ts, d.slice(), ${CURRENT});`,
    `${name}.processAndReturn(e, out);`,
    `if (out.length !== 0) ${direct ? 'flushOut()' : 'runtime.flush()'};`,
  ];
  if (n.restartsInSequence()) return [`    ${offer[0]}`, `    if (!${name}.restartSequence(e)) {`, ...offer.slice(1).map((l) => `      ${l}`), '    }'];
  if (!n.restartsInPlace()) return offer.map((l) => `    ${l}`);
  return [...indent(restartLines(n, k, nodes), '    '), '    else {', ...indent(offer, '      '), '    }'];
}

/**
 * An `every` start state that restartsInPlace, while it holds its one armed
 * match (current, nothing from its slot on, none new): the next state gets a
 * new match holding the event (StreamNode.addStarted, or a row-keeping
 * state's entry) and the armed match stays, where complete hands the armed
 * match on and arms a copy of it (restartOf). The same matches, without the
 * copy or, for a next state that keeps rows, any match object. The own-event
 * test has run, so a filter that is all own-event test is not run again.
 * Lines `if (armed alone) { … }`: the caller's `else` offers the event.
 */
function restartLines(n: StreamNode, k: number, nodes: readonly StreamNode[]): string[] {
  const name = `n${k}`;
  const slot = n.slot;
  const empty = Array.from({ length: n.shared.slotCount - slot }, (_, i) => ` && a.events[${slot + i}] === null`).join('');
  const next = nodes.indexOf(n.next!);
  const handOver = n.next instanceof KeyedRowNode && next >= 0
    ? addStartedLines(`n${next}`, 'a', slot)
    : [`${name}.next.addStarted(a, ${slot}, ts, d);`];
  // complete's timestamp, which restartOf copies into the re-armed match.
  const started = ['a.timestamp = ts;', ...handOver];
  const body = n.filter === undefined || n.ownWhole ? started : [
    `l${k}.timestamp = ts;`,
    `l${k}.data = d;`,
    `a.events[${slot}] = l${k};`,
    `const pass = f${k}(a);`,
    `a.events[${slot}] = null;`,
    'if (pass) {',
    ...indent(started, '  '),
    '}',
  ];
  return [
    `const a = ${name}.pending.length === 1 && ${name}.fresh.length === 0 ? ${name}.pending[0] : undefined;`,
    `if (a !== undefined && a.type === ${CURRENT}${empty}) {`,
    ...indent(body, '  '),
    '}',
  ];
}

/** StreamNode.mayTake (and KeyedNode's) for state `n` as an expression over `d`, with the own-event test inlined when it has a source; a row-keeping state's key probe is its offer's. */
function takeTest(n: StreamNode, name: string): string {
  const plain = Object.getPrototypeOf(n) === StreamNode.prototype;
  const keyed = n instanceof KeyedNode;
  if (!plain && !keyed) return n.mayTake === StreamNode.prototype.mayTake && n.ownTest === undefined ? 'true' : `${name}.mayTake(d)`;
  let own: string;
  if (n.ownTest === undefined) own = 'true';
  else if (n.ownSource !== undefined) own = `(${n.ownSource})`;
  else return `${name}.mayTake(d)`;
  if (!keyed || n instanceof KeyedRowNode) return own;
  const key = `${name}.waitsFor(d[${n.eventIndex}])`;
  return own === 'true' ? key : `${own} && ${key}`;
}
