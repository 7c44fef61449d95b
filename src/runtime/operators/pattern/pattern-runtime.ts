// The operator of a pattern or sequence query: takes the events of every
// stream the pattern reads, stabilizes the states (expire by `within`, move
// new matches into the pending lists, reset unadvanced sequence matches), then
// offers the event to the states on its stream, last state first, and sends
// each completed match to the selector as its own chunk, or, when the selector
// is plain and followed by the query's tap, projects it here and hands the row on.

import { CURRENT, type StateEvent, StreamEvent } from '../../event.js';
import { KernelOutput } from '../../kernel/kernel-output.js';
import { rowsOff, type RowReader } from '../../kernel/row-reader.js';
import { NOWHERE, type Processor } from '../../processor.js';
import { QueryCallbackTap } from '../query-callback.js';
import { Selector } from '../selector.js';
import { KEYED_LENT } from './keyed-row-node.js';
import { patternStep, type PatternStepText } from './pattern-step.js';
import { fitsSequenceMatcher, SequenceMatcher } from './sequence-matcher.js';
import type { StreamNode } from './stream-node.js';

/** How the states nest, for start-up and the sequence reset: the reference's inner state runtimes. */
export interface StateTree {
  /** Arms the start states. */
  init(): void;
  /** Sequences, before each event: the states that drop pending matches which did not advance, in order. */
  readonly resets: readonly StreamNode[];
  /** Then the states that move new matches into their pending lists (a generated step calls each itself). */
  readonly updates: readonly StreamNode[];
}

export interface PatternInput {
  /** The states reading this stream, in the order they are offered an event (last state first). */
  readonly nodes: readonly StreamNode[];
  /** Per state: updateState has nothing to do while its new list is empty. */
  readonly idle: readonly boolean[];
}

/** One input of the pattern as its stream's reader. */
export interface PatternSide extends RowReader {
  /**
   * Only what an event at `timestamp` does before it is offered to the states
   * (expiry by `within`, new matches into the pending lists): a partition key
   * whose router skipped events no state could take catches up with this.
   */
  readonly settle: (timestamp: number) => void;
  /** The latest start time among every state's matches (-Infinity for none): where a restored key's rows are in time order again. */
  readonly latestStart: () => number;
  /** The states reading this stream, in the order they are offered an event: a router's skip test asks keyed ones whether a match waits (skip-test.ts). */
  readonly states: readonly StreamNode[];
}

/** A plain selector's projection and output, for a generated step (PatternRuntime.directProjection). */
export interface DirectProjection {
  readonly projections: readonly ((m: StateEvent) => unknown)[];
  /** Per projection, its JavaScript over the match `d`, when it has one. */
  readonly sources: readonly (string | undefined)[];
  readonly output: KernelOutput;
}

export class PatternRuntime {
  next: Processor = NOWHERE;
  /**
   * A plain selector (projection, maybe `having`) whose rows go straight to
   * the query's tap through `directOutput`: matches are projected here. Two
   * fields, not an object holding both: a partition makes a runtime per key,
   * and each projected match read that object too.
   */
  private directSelector: Selector | undefined;
  private directOutput: KernelOutput | undefined;
  private readonly out: StateEvent[] = [];
  /** The states whose matches `within` can expire (none without `within`). */
  private readonly expiring: readonly StreamNode[];
  /** The sequence run over a ring of events, when the generated step has one (sequence-matcher.ts). */
  private matcher: SequenceMatcher | undefined;

  constructor(
    private readonly sequence: boolean,
    /** Every state. */
    private readonly all: readonly StreamNode[],
    private readonly tree: StateTree,
    expires: boolean,
  ) {
    this.expiring = expires ? all.filter((n) => n.mayExpire()) : [];
  }

  /**
   * Sends completed matches to `next`. When it is a plain selector followed by
   * the query's tap, a match is projected here and its row handed on as a
   * fused kernel hands rows on (kernel-output.ts): no chunk, no selector
   * event, and no copy for a sole stream callback. SIDDHI_KERNELS=off keeps
   * the selector (the interpreted run checks one against the other).
   */
  connect(next: Processor): void {
    this.next = next;
    const plain = next instanceof Selector && next.plain && next.next instanceof QueryCallbackTap && !rowsOff();
    this.directSelector = plain ? next : undefined;
    this.directOutput = plain ? new KernelOutput(next.next as QueryCallbackTap) : undefined;
  }

  /** Hands the matcher's matches to the states (a checkpoint reads or replaces them next). */
  detach(): void {
    this.matcher?.detach();
  }

  start(): void {
    this.tree.init();
    for (const n of this.all) n.started();
  }

  /**
   * The processor a stream junction feeds for the input whose states are
   * `nodes`; it also takes rows (see acceptRow). `text` is the input's step
   * source, shared by every instance of the pattern (none with SIDDHI_KERNELS=off).
   */
  side(nodes: readonly StreamNode[], text: PatternStepText | undefined): PatternSide {
    const input: PatternInput = { nodes, idle: nodes.map((n) => n.idleWithoutFresh()) };
    // The states read one stream: the step of that stream's input may run them as a ring of events.
    const fits = text !== undefined && nodes.length === this.all.length && fitsSequenceMatcher(this.all);
    const m = fits ? new SequenceMatcher(this.all, this) : undefined;
    if (m !== undefined) this.matcher = m;
    const { resets, updates } = this.tree;
    const env = { runtime: this, resets, updates, nodes, expiring: this.expiring, out: this.out, StreamEvent, lent: KEYED_LENT, matcher: m };
    return {
      // The states themselves process what does not come through the step: the matcher hands them its matches first.
      process: (chunk) => {
        m?.detach();
        this.receive(input, chunk);
      },
      acceptRow: (timestamp, data) => {
        m?.detach();
        this.acceptRow(input, timestamp, data);
      },
      settle: (timestamp) => {
        m?.detach();
        this.stabilize(input, timestamp);
      },
      latestStart: () => {
        m?.detach();
        let t = -Infinity;
        for (const n of this.all) t = Math.max(t, n.latestStart());
        return t;
      },
      states: nodes,
      // A send() generated with this step inlined replaces acceptRow while the pattern is its stream's sole reader.
      generated: text && patternStep(text, env, { sequence: this.sequence, idle: input.idle }),
    };
  }

  /**
   * One event as a lent row: states whose own-event test fails are skipped,
   * and the event is built (a copy of the row) only when a state takes it, so
   * most events of a selective pattern allocate nothing.
   */
  private acceptRow(input: PatternInput, timestamp: number, data: unknown[]): void {
    this.stabilize(input, timestamp);
    const nodes = input.nodes;
    const out = this.out;
    let e: StreamEvent | undefined;
    for (let k = 0; k < nodes.length; k++) {
      const n = nodes[k]!;
      if (!n.mayTake(data)) continue;
      e ??= new StreamEvent(timestamp, data.slice(), CURRENT);
      n.processAndReturn(e, out);
      if (out.length > 0) this.flush();
    }
  }

  private receive(input: PatternInput, chunk: StreamEvent[]): void {
    const nodes = input.nodes;
    const out = this.out;
    for (let i = 0; i < chunk.length; i++) {
      const e = chunk[i]!;
      this.stabilize(input, e.timestamp);
      for (let k = 0; k < nodes.length; k++) {
        nodes[k]!.processAndReturn(e, out);
        if (out.length > 0) this.flush();
      }
    }
  }

  /** Hands completed matches to the selector, one chunk each. */
  flush(): void {
    const out = this.out;
    if (out.length === 0) return;
    // Taken off the list before the selector runs: it may feed this pattern again.
    if (out.length === 1) {
      this.emit(out.pop()!);
      return;
    }
    const matches = out.splice(0, out.length);
    for (const m of matches) this.emit(m);
  }

  /** One completed match to the selector (also from an absent state's timer). */
  emit(m: StateEvent): void {
    if (this.directSelector !== undefined) this.project(this.directSelector, m);
    else this.next.process([m]);
  }

  /** `m` projected at once (its events may be lent) when the selector is plain; false, with nothing done, otherwise. */
  emitLent(m: StateEvent): boolean {
    if (this.directSelector === undefined) return false;
    this.project(this.directSelector, m);
    return true;
  }

  /**
   * What a generated step needs to project its matches and hand their rows
   * on itself, as emitLent does (pattern-step.ts): the plain selector's
   * projections (with their sources over the match, when planned) and the
   * output. Undefined when matches go through emit/emitLent only: no direct
   * selector, `having` (it reads the projected row through the selector's
   * frame), or current events not selected. Asked when the step is written
   * (its first row, after connect).
   */
  directProjection(): DirectProjection | undefined {
    const selector = this.directSelector;
    if (selector === undefined) return undefined;
    const c = selector.config;
    if (c.having !== undefined || !c.current) return undefined;
    return { projections: c.projections, sources: c.inputSources ?? [], output: this.directOutput! };
  }

  /** The selector's output row of the match, if any, to its tap. */
  private project(selector: Selector, m: StateEvent): void {
    const data = selector.projectOne(m);
    if (data !== undefined) this.directOutput!.row(m.timestamp, data, m.type);
  }

  private stabilize(input: PatternInput, now: number): void {
    const expiring = this.expiring;
    for (let i = 0; i < expiring.length; i++) expiring[i]!.expireEvents(now);
    if (this.sequence) {
      const { resets, updates } = this.tree;
      for (let i = 0; i < resets.length; i++) resets[i]!.resetState();
      for (let i = 0; i < updates.length; i++) updates[i]!.updateState();
    } else {
      const nodes = input.nodes;
      const idle = input.idle;
      for (let i = 0; i < nodes.length; i++) {
        // Most events bring no new match: no call for an empty list.
        const n = nodes[i]!;
        if (!idle[i] || n.fresh.length !== 0) n.updateState();
      }
    }
  }
}
