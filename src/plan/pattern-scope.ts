// The scope of a pattern or sequence query: variables name a state (`e1.price`,
// `e2[last].price`, `e1[0].price`, or the stream name when no reference is
// given) and read that state's event from the partial match (a StateEvent).
// Inside a state's own filter, unqualified attributes read the candidate event.

import type { AttributeType, Variable } from '../ast/index.js';
import type { Row, StateEvent, StreamEvent } from '../runtime/event.js';
import type { StreamSchema } from '../runtime/schema.js';
import { planErrorAt } from './plan-context.js';
import type { ResolvedVariable, Scope } from './scope.js';
import { MATCH_HELPERS } from '../runtime/operators/pattern/match-helpers.js';
import { describeAlternatives } from './suggest.js';

/** One event slot of the partial match. */
export interface PatternSlot {
  readonly ref?: string;
  readonly stream: string;
  /** A partition's `#inner` stream. */
  readonly inner?: boolean;
  readonly schema: StreamSchema;
  /** A counting state: the slot holds a list of events. */
  readonly count: boolean;
}

export interface PatternScopeOptions {
  readonly element: string;
  readonly slots: readonly PatternSlot[];
  /** The slot whose filter is being compiled (its unqualified attributes read the candidate). */
  readonly own?: number;
  /**
   * Attributes carry JavaScript over the match `d` (a StateEvent), using the
   * helpers of MATCH_HELPERS: for a state's filter compiled as one function.
   * Off elsewhere: other readers of `js` take `d` to be a row.
   */
  readonly sources?: boolean;
  /**
   * With `sources`: attributes read a sequence's ring of events instead of
   * the match (sequence-step.ts names the positions: slot j holds the ring's
   * events from a<j> up to b<j>, the own event is the row `d`, later slots
   * are empty). For a state of a chain of plain and counting states only.
   */
  readonly ring?: boolean;
  /**
   * A counting state's attribute without an index (`e1.price`) reads the
   * values of all its events, as a list: the selector's scope, as the
   * reference's MultiValueVariableFunctionExecutor (state filters read the last).
   */
  readonly multiValue?: boolean;
  /**
   * A counting state's attribute without an index reads its first event:
   * `having`, which the reference resolves with event index 0 and no list.
   */
  readonly firstOfCount?: boolean;
}

/** What the sources of a scope with `sources` call (match-helpers.ts: generated steps include them too). */
export { MATCH_HELPERS };

/** The slot a state reference (`e1`) or, without references, a stream name read once names; -1 for none. */
export function slotOfName(slots: readonly PatternSlot[], name: string): number {
  const byRef = slots.findIndex((s) => s.ref === name);
  if (byRef >= 0) return byRef;
  const byStream = slots.flatMap((s, i) => (s.ref === undefined && s.stream === name ? [i] : []));
  return byStream.length === 1 ? byStream[0]! : -1;
}

export function createPatternScope(o: PatternScopeOptions): Scope {
  const { slots, element } = o;
  const refs = slots.flatMap((s) => (s.ref ? [s.ref] : []));
  const slotNamed = (name: string): number => slotOfName(slots, name);
  const resolve = (v: Variable): ResolvedVariable => {
    if (v.stream !== undefined) {
      const k = slotNamed(v.stream);
      if (k < 0) {
        throw planErrorAt(element, `unknown state reference '${v.stream}' in '${v.stream}.${v.name}'`, v.loc,
          describeAlternatives(v.stream, refs.length > 0 ? refs : slots.map((s) => s.stream)));
      }
      return attribute(k, v);
    }
    if (o.own !== undefined && slots[o.own]!.schema.indexOf(v.name) >= 0) return attribute(o.own, v);
    const holders = slots.flatMap((s, i) => (s.schema.indexOf(v.name) >= 0 ? [i] : []));
    const asRef = slotNamed(v.name);
    if (holders.length === 0 && asRef >= 0) return presence(asRef, v);
    if (holders.length === 1) return attribute(holders[0]!, v);
    if (holders.length > 1) {
      throw planErrorAt(element, `attribute '${v.name}' is ambiguous: several states carry it`, v.loc,
        `qualify it with a state reference, e.g. '${slots[holders[0]!]!.ref ?? slots[holders[0]!]!.stream}.${v.name}'`);
    }
    throw planErrorAt(element, `no state of this pattern has an attribute '${v.name}'`, v.loc,
      describeAlternatives(v.name, [...new Set(slots.flatMap((s) => s.schema.attributes.map((a) => a.name)))]));
  };
  const attribute = (k: number, v: Variable): ResolvedVariable => {
    const slot = slots[k]!;
    const a = slot.schema.indexOf(v.name);
    if (a < 0) {
      throw planErrorAt(element, `stream '${slot.schema.name}' (state '${slot.ref ?? slot.stream}') has no attribute '${v.name}'`, v.loc,
        describeAlternatives(v.name, slot.schema.attributes.map((x) => x.name)));
    }
    const type: AttributeType = slot.schema.attributes[a]!.type;
    if (slot.count && v.index === undefined && o.multiValue === true) return allValues(k, a);
    let js: string | undefined;
    if (o.sources === true) js = o.ring === true ? ringSource(k, a, v, slot, o.own) : attributeSource(k, a, v, slot, o.own);
    // The usual case, one closure: a plain state's attribute.
    if (!slot.count && v.index === undefined) {
      return {
        type,
        get: (row: Row) => {
          const e = (row as StateEvent).events[k] as StreamEvent | null | undefined;
          return e === null || e === undefined ? null : e.data[a];
        },
        ...(js !== undefined ? { js } : {}),
      };
    }
    const pick = picker(k, v, slot);
    return {
      type,
      get: (row: Row) => {
        const e = pick(row as StateEvent);
        return e === null ? null : e.data[a];
      },
      ...(js !== undefined ? { js } : {}),
    };
  };
  const presence = (k: number, v: Variable): ResolvedVariable => {
    const pick = picker(k, v, slots[k]!);
    return { type: 'object', get: (row: Row) => pick(row as StateEvent) };
  };
  const picker = (k: number, v: Variable, slot: PatternSlot): ((m: StateEvent) => StreamEvent | null) => {
    const index = v.index;
    if (!slot.count) {
      // As the reference, a state that does not count holds a chain of one event: e2[0] and e2[last] are it, other indexes null.
      const first = index === undefined || (index.kind === 'at' ? index.at === 0 : index.minus === 0);
      return first ? (m) => (m.events[k] as StreamEvent | null) ?? null : () => null;
    }
    // In a count state's own filter the candidate is already collected; indexes see the events before it.
    const hidden = index !== undefined && o.own === k ? 1 : 0;
    if (index === undefined && o.firstOfCount === true) {
      return (m) => {
        const l = m.events[k] as StreamEvent[] | null;
        return l === null || l.length === 0 ? null : l[0]!;
      };
    }
    if (index === undefined) {
      return (m) => {
        const l = m.events[k] as StreamEvent[] | null;
        return l === null || l.length === 0 ? null : l[l.length - 1]!;
      };
    }
    if (index.kind === 'at') {
      const at = index.at;
      return (m) => {
        const l = m.events[k] as StreamEvent[] | null;
        return l === null || at >= l.length - hidden ? null : l[at]!;
      };
    }
    const minus = index.minus;
    return (m) => {
      const l = m.events[k] as StreamEvent[] | null;
      if (l === null) return null;
      const i = l.length - hidden - 1 - minus;
      return i < 0 ? null : l[i]!;
    };
  };
  return {
    element,
    resolveVariable: resolve,
    allAttributes: () => slots.flatMap((s, k) => s.schema.attributes.map((a) => attribute(k, { kind: 'variable', name: a.name, loc: { line: 0, column: 0, offset: 0 } }))),
  };
}

/** Attribute `a` of every event of count slot `k`, in order; an empty list when it holds none. */
function allValues(k: number, a: number): ResolvedVariable {
  return {
    type: 'object',
    get: (row: Row) => {
      const l = (row as StateEvent).events[k] as StreamEvent[] | null | undefined;
      return l === null || l === undefined ? [] : l.map((e) => e.data[a]);
    },
  };
}

/** The source of attribute `a` of slot `k` as `v` reads it (the picker's cases), over match `d`. */
function attributeSource(k: number, a: number, v: Variable, slot: PatternSlot, own: number | undefined): string {
  const index = v.index;
  const events = `d.events[${k}]`;
  if (!slot.count) {
    const first = index === undefined || (index.kind === 'at' ? index.at === 0 : index.minus === 0);
    return first ? `$at(${events}, ${a})` : 'null';
  }
  const hidden = index !== undefined && own === k ? 1 : 0;
  if (index === undefined) return `$at($back(${events}, 0, 0), ${a})`;
  if (index.kind === 'at') return `$at($nth(${events}, ${index.at}, ${hidden}), ${a})`;
  return `$at($back(${events}, ${hidden}, ${index.minus}), ${a})`;
}

/** attributeSource's cases over the ring positions a<k>, b<k> of slot k (ScopeOptions.ring). */
function ringSource(k: number, a: number, v: Variable, slot: PatternSlot, own: number | undefined): string {
  const index = v.index;
  if (own === undefined || k > own) return 'null';
  const at = (q: string) => `R[(${q}) & m].data[${a}]`;
  if (!slot.count) {
    const first = index === undefined || (index.kind === 'at' ? index.at === 0 : index.minus === 0);
    return !first ? 'null' : k === own ? `d[${a}]` : at(`a${k}`);
  }
  const hidden = index !== undefined && own === k ? 1 : 0;
  if (index !== undefined && index.kind === 'at') return `(a${k} + ${index.at} < b${k} - ${hidden} ? ${at(`a${k} + ${index.at}`)} : null)`;
  const back = `b${k} - ${hidden + 1 + (index === undefined ? 0 : index.minus)}`;
  return `(${back} >= a${k} ? ${at(back)} : null)`;
}
