// One input of a pattern or sequence runtime as a generated step over
// (timestamp, row): the stabilize, each state's own-event test (inlined when
// it was compiled from JavaScript) and the offer to the states, as
// PatternRuntime.acceptRow does them, in one function per pattern shape. A
// generated send() (kernel/generate-send.ts) inlines it, or a partition key
// runs it (partition/key-instance.ts), so an event reaches the states without
// the general send, the junction or a shared call site.
// The planner makes one PatternStepText per input, PatternRuntime.side a step
// per instance over it; SIDDHI_KERNELS=off makes none (no row readers).

import { CURRENT, StreamEvent } from '../../event.js';
import type { StepSource } from '../../kernel/row-reader.js';
import { KeyedRowNode } from './keyed-row-node.js';
import { KeyedNode } from './keyed-node.js';
import type { SequenceMatcher } from './sequence-matcher.js';
import { sequenceStepSource } from './sequence-step.js';
import { StreamNode } from './stream-node.js';

/** What the generated source refers to by name (its only free variables). */
export interface PatternStepEnv {
  readonly runtime: { flush(): void };
  /** Sequences: the states reset, then updated, before each event (StateTree). */
  readonly resets: readonly StreamNode[];
  readonly updates: readonly StreamNode[];
  /** The states reading this stream, in the order they are offered an event (last state first). */
  readonly nodes: readonly StreamNode[];
  /** The states whose matches `within` can expire. */
  readonly expiring: readonly StreamNode[];
  readonly out: unknown[];
  readonly StreamEvent: typeof StreamEvent;
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
  const lines = [
    "'use strict';",
    // var, not const: the step reads these from its context on every event, and a const read is checked for initialisation.
    'var runtime = env.runtime, out = env.out, StreamEvent = env.StreamEvent;',
    ...nodes.map((_, k) => `var n${k} = env.nodes[${k}];`),
    // One call site per state (each sees one class), not the tree's loops shared by every sequence.
    ...(o.sequence ? env.resets.map((_, k) => `var r${k} = env.resets[${k}];`) : []),
    ...(o.sequence ? env.updates.map((_, k) => `var u${k} = env.updates[${k}];`) : []),
    ...expiring.map((_, j) => `var x${j} = env.expiring[${j}];`),
    ...(m !== undefined ? ['var sequenceStep = (function (M) {', sequenceStepSource(m.shape(ringFilters)), '})(env.matcher);'] : []),
    'return function step(ts, d) {',
    ...(m !== undefined ? ['  if (sequenceStep(ts, d)) return;'] : []),
    ...expiring.map((_, j) => `  x${j}.expireEvents(ts);`),
  ];
  if (o.sequence) lines.push(...env.resets.map((_, k) => `  r${k}.resetState();`), ...env.updates.map((_, k) => `  u${k}.updateState();`));
  else nodes.forEach((_, k) => lines.push(o.idle[k] ? `  if (n${k}.fresh.length !== 0) n${k}.updateState();` : `  n${k}.updateState();`));
  lines.push('  var e;');
  nodes.forEach((n, k) => {
    const test = takeTest(n, `n${k}`);
    lines.push(test === 'true' ? '  {' : `  if (${test}) {`, ...offerLines(n, `n${k}`), '  }');
  });
  lines.push('};');
  return lines.join('\n');
}

/**
 * The offer of the event to state `n`: a state keeping rows takes the lent
 * row and emits itself (KeyedRowNode.takeRow); an `every` start state hands
 * on a new match and stays armed (StreamNode.restartRow; restartSequence in
 * a sequence, where it is re-armed as the new match), else the event is
 * made and offered as PatternRuntime.acceptRow does.
 */
function offerLines(n: StreamNode, name: string): string[] {
  if (n instanceof KeyedRowNode) return [`    ${name}.takeRow(ts, d);`];
  const offer = [
    `if (e === undefined) e = new StreamEvent(ts, d.slice(), ${CURRENT});`,
    `${name}.processAndReturn(e, out);`,
    'if (out.length !== 0) runtime.flush();',
  ];
  if (n.restartsInSequence()) return [`    ${offer[0]}`, `    if (!${name}.restartSequence(e)) {`, ...offer.slice(1).map((l) => `      ${l}`), '    }'];
  if (!n.restartsInPlace()) return offer.map((l) => `    ${l}`);
  return [`    if (!${name}.restartRow(ts, d)) {`, ...offer.map((l) => `      ${l}`), '    }'];
}

/** StreamNode.mayTake (and KeyedNode's) for state `n` as an expression over `d`, with the own-event test inlined when it has a source. */
function takeTest(n: StreamNode, name: string): string {
  const plain = Object.getPrototypeOf(n) === StreamNode.prototype;
  const keyed = n instanceof KeyedNode;
  if (!plain && !keyed) return n.mayTake === StreamNode.prototype.mayTake && n.ownTest === undefined ? 'true' : `${name}.mayTake(d)`;
  let own: string;
  if (n.ownTest === undefined) own = 'true';
  else if (n.ownSource !== undefined) own = `(${n.ownSource})`;
  else return `${name}.mayTake(d)`;
  if (!keyed) return own;
  const key = `${name}.waitsFor(d[${n.eventIndex}])`;
  return own === 'true' ? key : `${own} && ${key}`;
}
