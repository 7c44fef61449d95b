// Plans a pattern (`->`) or sequence (`,`) input: numbers the event slots,
// compiles each state's filter against the partial match, and wires the
// states as the reference does (next, every restart, within, logical
// partners, count callbacks). Called by plan-query.ts.

import type {
  CountStateElement, Expression, LogicalStateElement, StateElement, StateInput, StreamStateElement, AbsentStateElement,
} from '../ast/index.js';
import { AbsentLogicalNode } from '../runtime/operators/pattern/absent-logical-node.js';
import { AbsentNode } from '../runtime/operators/pattern/absent-node.js';
import { CountNode } from '../runtime/operators/pattern/count-node.js';
import { LogicalNode } from '../runtime/operators/pattern/logical-node.js';
import { PatternMatchesCell, PatternStateCell } from '../runtime/operators/pattern/pattern-cell.js';
import { PatternLog } from '../runtime/operators/pattern/pattern-log.js';
import { PatternRuntime } from '../runtime/operators/pattern/pattern-runtime.js';
import { KeyedRowNode } from '../runtime/operators/pattern/keyed-row-node.js';
import { KeyedStreamNode } from '../runtime/operators/pattern/keyed-stream-node.js';
import { PatternShared, StreamNode } from '../runtime/operators/pattern/stream-node.js';
import { PatternStepText } from '../runtime/operators/pattern/pattern-step.js';
import { findPatternKey } from './pattern-key.js';
import { ownEventTest, type OwnTest } from './pattern-prefilter.js';
import type { Processor } from '../runtime/processor.js';
import type { AttributeSchema } from '../runtime/schema.js';
import type { StateEvent } from '../runtime/event.js';
import { compileCondition } from './compile-expression.js';
import type { InstanceScope } from '../runtime/instance.js';
import type { PlanContext } from './plan-context.js';
import { planErrorAt, readableNames } from './plan-context.js';
import { createPatternScope, MATCH_HELPERS, type PatternScopeOptions, type PatternSlot } from './pattern-scope.js';
import { compileOnce } from '../runtime/kernel/compile-once.js';
import { printSources } from '../runtime/kernel/generate-step.js';
import { rowsOff } from '../runtime/kernel/row-reader.js';
import { evaluatorIn, UNLINKED, type CompiledExpression, type Evaluate, type ExpressionEnv } from '../runtime/expression.js';
import type { Scope } from './scope.js';
import { describeAlternatives } from './suggest.js';
import { checkPattern } from './check-pattern.js';
import { assertNever } from '../dispatch.js';

export interface PlannedPattern {
  readonly scope: Scope;
  /** What `having` reads: a counting state's unindexed attribute is its first event, not a list. */
  readonly havingScope: Scope;
  /** `scope` with sources over the match (pattern-scope.ts `sources`), for the step's own projection (pattern-step.ts); none with SIDDHI_KERNELS=off. */
  readonly sourceScope?: Scope;
  /** Every slot's attributes in order, for `select *`. */
  readonly schema: readonly AttributeSchema[];
  /** Builds the pattern's states in `inst`, registers their cells there and subscribes them; compiles nothing. */
  build(inst: InstanceScope): { connect(next: Processor): void };
}

interface Options {
  readonly element: string;
  readonly id: string;
}

/** What planning a pattern compiles once: each state's filter and correlation key, shared by its instances (partition keys). */
interface PatternCompiled {
  readonly filters: Map<Leaf, MatchFilter | undefined>;
  readonly keys: Map<Leaf, ReturnType<typeof findPatternKey>>;
  /** Per plain state: the test of its filter's own-event part (pattern-prefilter.ts). */
  readonly ownTests: Map<Leaf, OwnTest | undefined>;
  /** Sequences, per slot: its filter as JavaScript over the ring of events (pattern-scope.ts `ring`), when it has one. */
  readonly ringFilters: (string | undefined)[];
  /** The state kept as rows (keyed-row-node.ts), if the pattern has that shape. */
  readonly rows?: StreamStateElement;
}

type Leaf = StreamStateElement | AbsentStateElement;

/** The reference's inner state runtime: first and last states and how the group is driven. */
interface Built {
  /** Arms the start states. */
  init(): void;
  readonly first: StreamNode;
  /** States in the order they subscribe to their stream. */
  readonly order: readonly StreamNode[];
  setNext(n: StreamNode): void;
  setEvery(n: StreamNode): void;
  markTerminal(): void;
  /** Every state inside (for `within` restarts of an enclosing every). */
  readonly nodes: readonly StreamNode[];
  /** The states a sequence reset and update drive, in order (the reference nests them per group; flat here, one loop per event). */
  readonly resets: readonly StreamNode[];
  readonly updates: readonly StreamNode[];
}

export function planPatternInput(input: StateInput, ctx: PlanContext, o: Options): PlannedPattern {
  checkPattern(input, o.element);
  const element = absentFirst(input.element);
  const sequence = input.type === 'sequence';
  const leaves = new Map<Leaf, number>();
  const slots: PatternSlot[] = [];
  collectSlots(element, false, leaves, slots, ctx, o.element);
  const keyed = new PatternCompiler(sequence, slots, leaves, o.element).compile(element);
  const compiled: PatternCompiled = { ...keyed, rows: rowKeyedState(element, sequence, keyed, leaves) };
  const within = withinOf(element);
  // The named windows read (a state reads an outer stream, an inner one, or what a named window emits).
  const windows = new Set(slots.filter((s) => !s.inner && !ctx.catalog.streams.has(s.stream)).map((s) => s.stream));
  // One step source per stream input for every instance (partition key): its shape is fixed here.
  // None with SIDDHI_KERNELS=off: nothing takes rows, so no step would run.
  const texts = new Map<string, PatternStepText>();
  if (!rowsOff()) for (const slot of slots) texts.set(inputName(slot), new PatternStepText(keyed.ringFilters));
  return {
    scope: createPatternScope({ element: o.element, slots, multiValue: true }),
    havingScope: createPatternScope({ element: o.element, slots, firstOfCount: true }),
    ...(rowsOff() ? {} : { sourceScope: createPatternScope({ element: o.element, slots, multiValue: true, sources: true }) }),
    schema: slots.flatMap((s) => s.schema.attributes),
    build(inst) {
      const shared = new PatternShared(input.type, slots.length, inst.scheduler);
      const planner = new NodePlanner(sequence, shared, slots, leaves, compiled, inst.scheduler);
      const root = planner.build(element, true);
      root.markTerminal();
      root.first.first = true;
      if (within !== undefined) {
        shared.within = within;
        shared.startSlots = planner.all.filter((n) => n.start).map((n) => n.slot);
      }
      const runtime = new PatternRuntime(sequence, planner.all, root, within !== undefined);
      shared.output = runtime;
      // The matches first: a restore resolves the states' match numbers against them.
      const log = new PatternLog(planner.all, () => runtime.detach());
      inst.cells.register(`${o.id}/pattern`, new PatternMatchesCell(log));
      for (const n of planner.all) inst.cells.register(`${o.id}/pattern:${n.slot + 1}`, new PatternStateCell(n, log));
      inst.onStart.push(() => runtime.start());
      return { connect: (next) => connectPattern(runtime, next, root.order, slots, texts, windows, inst) };
    },
  };
}

/** Subscribes each stream's states (latest first) to the stream, through the instance. */
function connectPattern(
  runtime: PatternRuntime, next: Processor, order: readonly StreamNode[], slots: readonly PatternSlot[],
  texts: ReadonlyMap<string, PatternStepText>, windows: ReadonlySet<string>, inst: InstanceScope,
): void {
  runtime.connect(next);
  const byStream = new Map<string, StreamNode[]>();
  for (const n of order) {
    const s = inputName(slots[n.slot]!);
    byStream.set(s, [...(byStream.get(s) ?? []), n]);
  }
  for (const [stream, nodes] of byStream) {
    const side = runtime.side(nodes.slice().reverse(), texts.get(stream));
    if (stream.startsWith('#')) inst.inner!.get(stream.slice(1)).subscribe(side);
    else if (windows.has(stream)) inst.readWindow(stream, side);
    else inst.read(stream, side);
  }
}

/** The stream a slot reads: an inner stream (`#name`) or an outer one. */
function inputName(slot: PatternSlot): string {
  return slot.inner ? `#${slot.stream}` : slot.stream;
}

/**
 * The e2 of `every e1=S[…] -> e2=S[k == e1.k …]` (two plain states, the first
 * under an every of its own, e2 keyed by e1), whose matches a KeyedRowNode
 * keeps as rows; none for other shapes and with SIDDHI_KERNELS=off (the
 * interpreted run keeps KeyedStreamNode, so the conformance runs compare the two).
 */
function rowKeyedState(e: StateElement, sequence: boolean, compiled: PatternCompiled, leaves: ReadonlyMap<Leaf, number>): StreamStateElement | undefined {
  if (sequence || rowsOff() || e.kind !== 'next' || e.first.kind !== 'every' || e.first.element.kind !== 'stream' || e.next.kind !== 'stream') {
    return undefined;
  }
  const key = compiled.keys.get(e.next);
  const plain = leaves.get(e.first.element) === 0 && leaves.get(e.next) === 1 && leaves.size === 2;
  return key !== undefined && key.matchSlot === 0 && plain ? e.next : undefined;
}

/** As the reference compiler does: the absent side of a mixed `and`/`or` becomes its first side. */
function absentFirst(e: StateElement): StateElement {
  switch (e.kind) {
    case 'logical':
      return e.right.kind === 'absent' && e.left.kind === 'stream' ? { ...e, left: e.right, right: e.left } : e;
    case 'next': return { ...e, first: absentFirst(e.first), next: absentFirst(e.next) };
    case 'every': return { ...e, element: absentFirst(e.element) };
    case 'stream': case 'absent': case 'count': return e;
    default: return assertNever(e, 'state');
  }
}

/** The pattern's `within`: on the whole pattern, else on its outermost group that has one. */
function withinOf(e: StateElement): number | undefined {
  if (e.within !== undefined) return e.within;
  switch (e.kind) {
    case 'next': return withinOf(e.first) ?? withinOf(e.next);
    case 'every': return withinOf(e.element);
    case 'count': return withinOf(e.stream);
    case 'logical': return withinOf(e.left) ?? withinOf(e.right);
    case 'stream': case 'absent': return undefined;
    default: return assertNever(e, 'state');
  }
}

function collectSlots(e: StateElement, _inCount: boolean, leaves: Map<Leaf, number>, slots: PatternSlot[], ctx: PlanContext, element: string): void {
  switch (e.kind) {
    case 'stream':
    case 'absent': {
      const stream = e.input.stream;
      const inner = e.input.inner;
      const schema = inner ? ctx.catalog.inner?.get(stream) : ctx.catalog.streams.get(stream) ?? ctx.catalog.windows.get(stream);
      if (!schema) {
        // Messages as for `from #S` (plan-input.ts): an inner stream is named with its '#'.
        if (inner && !ctx.catalog.inner) throw planErrorAt(element, `inner stream '#${stream}' is only valid inside a partition`, e.input.loc);
        if (inner) throw planErrorAt(element, `inner stream '#${stream}' is not defined`, e.input.loc, 'a query of the partition inserts into it before it is read');
        throw planErrorAt(element, `stream '${stream}' is not defined`, e.input.loc, describeAlternatives(stream, readableNames(ctx)));
      }
      leaves.set(e, slots.length);
      slots.push({ ...(e.kind === 'stream' && e.ref ? { ref: e.ref } : {}), ...(inner ? { inner } : {}), stream, schema, count: _inCount });
      return;
    }
    case 'count': return collectSlots(e.stream, true, leaves, slots, ctx, element);
    case 'logical':
      collectSlots(e.left, false, leaves, slots, ctx, element);
      return collectSlots(e.right, false, leaves, slots, ctx, element);
    case 'next':
      collectSlots(e.first, false, leaves, slots, ctx, element);
      return collectSlots(e.next, false, leaves, slots, ctx, element);
    case 'every': return collectSlots(e.element, false, leaves, slots, ctx, element);
    default:
      return assertNever(e, 'state');
  }
}

/** Compiles each state's filter and correlation key, walking the states in the order NodePlanner builds them. */
class PatternCompiler {
  private readonly compiled: PatternCompiled = { filters: new Map(), keys: new Map(), ownTests: new Map(), ringFilters: [] };

  constructor(
    private readonly sequence: boolean,
    private readonly slots: readonly PatternSlot[],
    private readonly leaves: Map<Leaf, number>,
    private readonly element: string,
  ) {}

  compile(e: StateElement): PatternCompiled {
    this.visit(e, true);
    return this.compiled;
  }

  private visit(e: StateElement, start: boolean): void {
    switch (e.kind) {
      case 'stream': {
        this.filter(e);
        // Only a plain state after the first, in a pattern, keeps its matches by key.
        const key = this.sequence || start ? undefined : findPatternKey(this.conditionsOf(e), this.leaves.get(e)!, this.slots, this.element);
        this.compiled.keys.set(e, key);
        return;
      }
      case 'absent': return this.filter(e);
      case 'count': return this.filter(e.stream);
      case 'logical':
        this.filter(e.left);
        return this.filter(e.right);
      case 'next':
        this.visit(e.first, start);
        return this.visit(e.next, false);
      case 'every': return this.visit(e.element, start);
      default:
        return assertNever(e, 'state');
    }
  }

  private conditionsOf(e: Leaf): Expression[] {
    const conditions: Expression[] = [];
    for (const h of e.input.handlers) {
      if (h.kind !== 'filter') {
        throw planErrorAt(this.element, `'#${h.call.name}' is not supported inside a pattern or sequence state`, h.loc,
          'filter the stream in a separate query and read its output');
      }
      conditions.push(h.condition);
    }
    return conditions;
  }

  private filter(e: Leaf): void {
    const own = this.leaves.get(e)!;
    const scope = createPatternScope({ element: this.element, slots: this.slots, own, sources: true });
    const conditions = this.conditionsOf(e);
    const compiled = conditions.map((c) => compileCondition(c, scope, 'a filter'));
    // Sequences take every event (a failing one drops the match), so they get no own-event test.
    if (e.kind === 'stream' && !this.sequence) this.compiled.ownTests.set(e, ownEventTest(conditions, own, this.slots, this.element));
    this.compiled.filters.set(e, matchFilter(compiled));
    if (this.sequence && !rowsOff()) {
      this.compiled.ringFilters[own] = ringFilter(conditions, { element: this.element, slots: this.slots, own });
    }
  }
}

/** A state's filter over its match, and the body of a function returning it when it was generated (a pattern step compiles its own copy). */
interface MatchFilter {
  readonly test: (m: StateEvent) => boolean;
  readonly source?: string;
  /** Present when a condition reads the clock: the test made for one instance (`test` is then not used). */
  readonly link?: (env: ExpressionEnv) => (m: StateEvent) => boolean;
}

/**
 * A state's filter over its match: one generated function when every
 * condition has a source (attributes, literals, comparisons), else the
 * conditions' closures (a closure per attribute read and comparison).
 */
function matchFilter(compiled: readonly CompiledExpression[]): MatchFilter | undefined {
  if (compiled.length === 0) return undefined;
  // SIDDHI_KERNELS=off keeps the closures, so the interpreted conformance run checks them against the same cases.
  if (!rowsOff() && compiled.every((c) => c.js !== undefined)) {
    const source = `'use strict';\n${MATCH_HELPERS}\nreturn (d) => ${compiled.map((c) => `${c.js} === true`).join(' && ')};`;
    if (printSources()) console.error(source);
    return { test: compileOnce<undefined, (m: StateEvent) => boolean>(source)(undefined), source };
  }
  if (compiled.some((c) => c.link !== undefined)) {
    return { test: UNLINKED as (m: StateEvent) => boolean, link: (env) => testOf(compiled.map((c) => evaluatorIn(c, env))) };
  }
  return { test: testOf(compiled.map((c) => c.evaluate)) };
}

function testOf(evaluators: readonly Evaluate[]): (m: StateEvent) => boolean {
  if (evaluators.length === 1) {
    const f = evaluators[0]!;
    return (m) => f(m) === true;
  }
  return (m) => evaluators.every((f) => f(m) === true);
}

/**
 * A sequence state's filter over the ring of events (sequence-step.ts inlines it); undefined when a condition
 * has no source, and the filter is then called on a view of the match: function calls, `is null`, and sources
 * longer than compile-expression.ts MAX_SOURCE (comparisons repeat their operands, and ring reads are long).
 */
function ringFilter(conditions: readonly Expression[], o: PatternScopeOptions): string | undefined {
  if (conditions.length === 0) return undefined;
  const scope = createPatternScope({ ...o, sources: true, ring: true });
  const compiled = conditions.map((c) => compileCondition(c, scope, 'a filter'));
  return compiled.every((c) => c.js !== undefined) ? compiled.map((c) => `${c.js} === true`).join(' && ') : undefined;
}

/** Builds one instance's states from the compiled filters and keys, wired as the reference does. */
class NodePlanner {
  readonly all: StreamNode[] = [];

  constructor(
    private readonly sequence: boolean,
    private readonly shared: PatternShared,
    private readonly slots: readonly PatternSlot[],
    private readonly leaves: Map<Leaf, number>,
    private readonly compiled: PatternCompiled,
    private readonly env: ExpressionEnv,
  ) {}

  build(e: StateElement, start: boolean): Built {
    switch (e.kind) {
      case 'stream': return this.single(this.streamNode(e), start);
      case 'absent': return this.single(new AbsentNode(this.slotOf(e), this.shared, this.filterOf(e), e.waitMillis!), start);
      case 'count': return this.count(e, start);
      case 'logical': return this.logical(e, start);
      case 'next': return this.next(e.first, e.next, start);
      case 'every': return this.every(e.element, start);
      default:
        return assertNever(e, 'state');
    }
  }

  private slotOf(e: Leaf): number {
    return this.leaves.get(e)!;
  }

  /** A plain pattern state whose filter correlates with an earlier state by equality keeps its matches by key. */
  private streamNode(e: StreamStateElement): StreamNode {
    const slot = this.slotOf(e);
    const filter = this.filterOf(e);
    const key = this.compiled.keys.get(e);
    const node = !key ? new StreamNode(slot, this.shared, filter)
      : e === this.compiled.rows ? new KeyedRowNode(slot, this.shared, filter, key.eventIndex, key.matchAttribute)
        : new KeyedStreamNode(slot, this.shared, filter, key.matchKey, key.eventIndex);
    const own = this.compiled.ownTests.get(e);
    node.ownTest = own?.test;
    node.ownSource = own?.js;
    node.ownWhole = own?.whole === true;
    node.filterSource = this.compiled.filters.get(e)?.source;
    return node;
  }

  private filterOf(e: Leaf): ((m: StateEvent) => boolean) | undefined {
    const f = this.compiled.filters.get(e);
    return f?.link ? f.link(this.env) : f?.test;
  }

  private single(node: StreamNode, start: boolean): Built {
    node.start = start;
    this.all.push(node);
    return {
      first: node,
      order: [node],
      nodes: [node],
      setNext: (n) => { node.next = n; },
      setEvery: (n) => { node.every = n; },
      markTerminal: () => { node.terminal = true; },
      init: () => node.init(),
      resets: [node],
      updates: [node],
    };
  }

  private count(e: CountStateElement, start: boolean): Built {
    const node = new CountNode(this.slotOf(e.stream), this.shared, this.filterOf(e.stream), e.min, e.max < 0 ? Infinity : e.max);
    const built = this.single(node, start);
    return {
      ...built,
      setNext: (n) => {
        node.next = n;
        // A leading `x*` / `x?` of a sequence is re-armed whenever the state after it completes or fails.
        if (start && this.sequence && e.min === 0) n.callback = node;
      },
    };
  }

  private logical(e: LogicalStateElement, start: boolean): Built {
    const left = this.side(e.left, e.op);
    const right = this.side(e.right, e.op);
    left.partner = right;
    right.partner = left;
    left.start = start;
    right.start = start;
    this.all.push(left, right);
    return {
      first: left,
      order: [right, left],
      nodes: [left, right],
      setNext: (n) => { left.next = n; right.next = n; },
      setEvery: (n) => { left.every = n; right.every = n; },
      markTerminal: () => { left.terminal = true; right.terminal = true; },
      init: () => { right.init(); left.init(); },
      resets: [right],
      updates: [right],
    };
  }

  private side(e: Leaf, op: 'and' | 'or'): LogicalNode {
    const slot = this.slotOf(e);
    if (e.kind === 'stream') return new LogicalNode(slot, this.shared, this.filterOf(e), op);
    const count = this.slots[slot]!.schema.attributes.length;
    return new AbsentLogicalNode(slot, this.shared, this.filterOf(e), op, e.waitMillis ?? -1, count);
  }

  private next(firstAst: StateElement, nextAst: StateElement, start: boolean): Built {
    const first = this.build(firstAst, start);
    const next = this.build(nextAst, false);
    first.setNext(next.first);
    return {
      first: first.first,
      order: [...first.order, ...next.order],
      nodes: [...first.nodes, ...next.nodes],
      setNext: (n) => next.setNext(n),
      setEvery: (n) => next.setEvery(n),
      markTerminal: () => next.markTerminal(),
      init: () => { first.init(); next.init(); },
      resets: [...next.resets, ...first.resets],
      updates: [...first.updates, ...next.updates],
    };
  }

  private every(inner: StateElement, start: boolean): Built {
    const b = this.build(inner, start);
    b.setEvery(b.first);
    // An enclosing every planned later overrides this: the outermost group restarts.
    for (const n of b.nodes) n.withinEvery = b.first;
    const first = b.first;
    return {
      ...b,
      // The reference drives an every group through its first state only.
      resets: [first],
      updates: [first],
    };
  }
}
