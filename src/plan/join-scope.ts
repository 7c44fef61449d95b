// The scope of a join query: rows are StateEvents with the left event in slot
// 0 and the right in slot 1 (null in an outer join's unmatched slot). `a.x`
// picks a side by stream name or alias; a bare `x` must belong to one side only.

import type { Variable } from '../ast/index.js';
import type { Row, StateEvent, StreamEvent } from '../runtime/event.js';
import type { StreamSchema } from '../runtime/schema.js';
import { planErrorAt } from './plan-context.js';
import type { ResolvedVariable, Scope } from './scope.js';
import { describeAlternatives } from './suggest.js';

export interface JoinSideSchema {
  readonly schema: StreamSchema;
  /** The stream (or table, window) name and its alias. */
  readonly names: readonly string[];
}

export interface JoinScope extends Scope {
  /** The side and attribute position a variable refers to, or undefined when it does not resolve. */
  sideOf(v: Variable): { side: 0 | 1; index: number } | undefined;
}

export function createJoinScope(element: string, sides: readonly [JoinSideSchema, JoinSideSchema]): JoinScope {
  const locate = (v: Variable): { side: 0 | 1; index: number } | string => {
    if (v.index !== undefined) return `'${v.stream}[…]' event indexes are only valid in patterns and sequences`;
    const candidates = ([0, 1] as const).filter((s) => v.stream === undefined || sides[s].names.includes(v.stream));
    if (candidates.length === 0) {
      return `unknown stream reference '${v.stream}' in '${v.stream}.${v.name}'`;
    }
    const having = candidates.filter((s) => sides[s].schema.indexOf(v.name) >= 0);
    if (having.length === 2) {
      return v.stream === undefined
        ? `attribute '${v.name}' is ambiguous: both sides of the join have it; qualify it (e.g. ${sides[0].names.at(-1)}.${v.name})`
        : `'${v.stream}' names both sides of the join; give them aliases ('as a', 'as b')`;
    }
    if (having.length === 0) {
      const where = v.stream ?? 'either side of the join';
      return `${where} has no attribute '${v.name}'`;
    }
    const side = having[0]!;
    return { side, index: sides[side].schema.indexOf(v.name) };
  };
  const resolve = (side: 0 | 1, index: number): ResolvedVariable => ({
    type: sides[side].schema.attributes[index]!.type,
    get: (row: Row) => {
      const e = (row as StateEvent).events[side] as StreamEvent | null;
      return e === null ? null : e.data[index];
    },
    attribute: { name: sides[side].schema.attributes[index]!.name, index, side },
  });
  /** A bare side name that is no attribute (`eventTimestamp(f)`): that side's event, as an object. */
  const sideEvent = (v: Variable): ResolvedVariable | undefined => {
    if (v.stream !== undefined || v.index !== undefined) return undefined;
    // An attribute of either side wins (an ambiguous one stays an error), as in the reference.
    if (sides.some((s) => s.schema.indexOf(v.name) >= 0)) return undefined;
    const side = ([0, 1] as const).filter((s) => sides[s].names.includes(v.name));
    if (side.length !== 1) return undefined;
    const k = side[0]!;
    return { type: 'object', get: (row: Row) => (row as StateEvent).events[k] ?? null };
  };
  return {
    element,
    resolveVariable(v: Variable): ResolvedVariable {
      const r = locate(v);
      const event = typeof r === 'string' ? sideEvent(v) : undefined;
      if (event) return event;
      if (typeof r === 'string') {
        // An unknown `c.symbol` is hinted with the side names (a, b, S), anything else with the attributes.
        const unknownSide = v.stream !== undefined && !sides.some((s) => s.names.includes(v.stream!));
        const hint = unknownSide
          ? describeAlternatives(v.stream!, [...new Set(sides.flatMap((s) => s.names))])
          : describeAlternatives(v.name, [...new Set(sides.flatMap((s) => s.schema.attributes.map((a) => a.name)))]);
        throw planErrorAt(element, r, v.loc, hint);
      }
      return resolve(r.side, r.index);
    },
    sideOf(v: Variable) {
      const r = locate(v);
      return typeof r === 'string' ? undefined : r;
    },
    allAttributes: () => ([0, 1] as const).flatMap((s) => sides[s].schema.attributes.map((_, i) => resolve(s, i))),
  };
}
