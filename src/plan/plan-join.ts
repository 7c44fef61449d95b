// Plans a join input `A[#window…] [as a] <type> join B[#window…] [as b] [on …]`:
// each side is a stream chain (with its window, or a PassWindow when it has
// none), a named window, or a table; the `on` condition is compiled once per
// triggering side, and bound in each instance to a Finder over the other
// side's window there. Called by plan-query.ts.

import type { JoinInput, SingleInput, StreamHandler } from '../ast/index.js';
import { CURRENT, StateEvent } from '../runtime/event.js';
import { EMPTY_FINDABLE, type Findable, findableOf, type Finder } from '../runtime/operators/find/findable.js';
import { Join } from '../runtime/operators/join/join.js';
import { PassWindow } from '../runtime/operators/join/pass-window.js';
import { Selector } from '../runtime/operators/selector.js';
import { KeyIndex } from '../runtime/operators/join/key-index.js';
import type { JoinFusible } from '../runtime/operators/join/join-kernel.js';
import { EventQueue } from '../runtime/event-queue.js';
import type { CellGroup, CellRegistry, InstanceScope } from '../runtime/instance.js';
import type { Processor } from '../runtime/processor.js';
import type { AttributeSchema } from '../runtime/schema.js';
import { StreamSchema } from '../runtime/schema.js';
import { compileFindCondition, type FindTarget } from './compile-find.js';
import { compileCondition } from './compile-expression.js';
import { evaluatorIn, instanceEnv, type ExpressionEnv } from '../runtime/expression.js';
import { joinKey } from './join-key.js';
import type { AggregationSpec } from './catalog.js';
import { planAggregationRead } from './plan-aggregation-read.js';
import { createJoinScope, type JoinScope } from './join-scope.js';
import type { PlanContext } from './plan-context.js';
import { planErrorAt } from './plan-context.js';
import { planSingleInput } from './plan-input.js';
import { withTables } from './plan-table.js';
import type { Scope } from './scope.js';

/** Windows whose output is exactly what enters (current) and leaves (expired) them. */
const MIRRORING_WINDOWS = new Set(['length', 'time', 'timeLength', 'externalTime']);

export interface JoinOptions {
  readonly element: string;
  /** Prefix of state ids (the query name); sides add `/left`, `/right`. */
  readonly id: string;
  /** The query emits expired events, so window-less sides also probe as expiries. */
  readonly expired: boolean;
  /** `select *`: the two sides' attribute names must then differ. */
  readonly star: boolean;
}

export interface PlannedJoin {
  readonly scope: Scope;
  /** Left attributes then right attributes (`select *`). */
  readonly schema: readonly AttributeSchema[];
  /** Builds the sides' chains and the join in `inst` (the condition is compiled once, bound to each instance's windows). */
  build(inst: InstanceScope): { connect(next: Processor): void };
}

/** A side as planned once. */
interface PlannedSide {
  readonly schema: StreamSchema;
  readonly names: readonly string[];
  /** False for tables: they are only probed. */
  readonly triggers: boolean;
  /** An aggregation side: plans its `within … per …` read over the join scope; the side it returns builds with it. */
  readonly readAggregation?: (input: JoinInput, scope: Scope) => PlannedSide;
  /**
   * Builds the side in `inst`. `probe` is the probe object the other side's
   * finder binds before searching this side (an aggregation side's read
   * evaluates `within` and `per` on it).
   */
  build(inst: InstanceScope, probe: StateEvent): BuiltSide;
}

/** A side in one instance: what the other side finds in, and where its chain starts. */
interface BuiltSide {
  readonly findable: Findable;
  /** A hash index of the side's window on an attribute, when its window's output mirrors its contents. */
  readonly indexFor?: (position: number) => KeyIndex | undefined;
  /** The index indexFor created, if any. */
  readonly index?: () => KeyIndex | undefined;
  connect(entry: Processor): void;
}

export function planJoinInput(input: JoinInput, ctx: PlanContext, o: JoinOptions): PlannedJoin {
  const { element } = o;
  const sides = [planSide(input.left, ctx, o, 'left'), planSide(input.right, ctx, o, 'right')] as const;
  if (!sides[0].triggers && !sides[1].triggers) {
    throw planErrorAt(element, `both sides of the join ('${input.left.stream}', '${input.right.stream}') are tables; one must be a stream or window`, input.loc);
  }
  const scope = withTables(createJoinScope(element, sides), ctx);
  if (!sides[0].readAggregation && !sides[1].readAggregation && input.within) {
    throw planErrorAt(element, "'within' and 'per' in a join need an aggregation, and neither side of this join is one", input.within.loc);
  }
  const left = sides[0].readAggregation?.(input, scope) ?? sides[0];
  const right = sides[1].readAggregation?.(input, scope) ?? sides[1];
  const schema = [...left.schema.attributes, ...right.schema.attributes];
  if (o.star) {
    const shared = left.schema.attributes.find((a) => right.schema.indexOf(a.name) >= 0);
    if (shared) {
      throw planErrorAt(element, `'select *' over this join would select '${shared.name}' twice (both sides have it)`, input.loc,
        'list the attributes, qualified and renamed where they clash');
    }
  }
  // A named window joined with itself feeds only the left side, as the reference's
  // single-receiver wiring does: each window event probes once, not once per side.
  const selfWindow = input.left.stream === input.right.stream && ctx.catalog.windows.has(input.left.stream);
  const triggers = [
    left.triggers && input.unidirectional !== 'right',
    right.triggers && input.unidirectional !== 'left' && !selfWindow,
  ];
  const conditions = ([0, 1] as const).map((s) => (triggers[s] ? sideCondition(input, scope, s) : undefined));
  const outer = [input.joinType === 'left' || input.joinType === 'full', input.joinType === 'right' || input.joinType === 'full'] as const;
  const key = left.triggers && right.triggers ? joinKey(input.on, scope, [left.schema, right.schema]) : undefined;
  const test = key && !key.whole ? compileCondition(input.on!, scope, 'a join condition') : undefined;
  return {
    scope,
    schema,
    build(inst) {
      // probes[x]: what the finder searching side x binds the probing row into, one per instance.
      const probes = [probeEvent(), probeEvent()] as const;
      const env = instanceEnv(inst);
      const sides = [left.build(inst, probes[0]), right.build(inst, probes[1])] as const;
      // The kernel's key indexes first: the finders then use the same ones.
      const keyed = key && [sides[0].indexFor?.(key.keys[0]), sides[1].indexFor?.(key.keys[1])] as const;
      const finders = ([0, 1] as const).map((s) => {
        const o = s === 0 ? 1 : 0;
        return conditions[s]?.(targetOf(sides[o], probes[o]), env);
      }) as [Finder | undefined, Finder | undefined];
      const join = new Join({ finders, outer });
      join.indexes[0] = sides[0].index?.();
      join.indexes[1] = sides[1].index?.();
      if (key && keyed?.[0] && keyed[1]) {
        const fusible: JoinFusible = {
          keys: key.keys, indexes: [keyed[0], keyed[1]], test: test && evaluatorIn(test, env), outer,
          triggers: [triggers[0]!, triggers[1]!],
        };
        join.fusible = fusible;
      }
      return {
        connect(next) {
          join.next = next;
          // A plain selector that emits current events only drops expired pairs at once: not worth finding them.
          join.probesExpired = !(next instanceof Selector && next.plain && !next.config.expired);
          sides[0].connect(join.sides[0]);
          sides[1].connect(join.sides[1]);
        },
      };
    },
  };
}

/** The `on` condition side `s`'s events probe the other side with, compiled once. */
function sideCondition(input: JoinInput, scope: JoinScope, s: 0 | 1): (target: FindTarget<StateEvent>, env: ExpressionEnv) => Finder {
  const o = s === 0 ? 1 : 0;
  return compileFindCondition<StateEvent>({
    condition: input.on,
    scope,
    storedAttribute: (v) => {
      const r = scope.sideOf(v);
      return r && r.side === o ? r.index : undefined;
    },
    bind: (p, row) => { p.events[s] = row as StateEvent['events'][number]; },
    setStored: (p, stored) => { p.events[o] = stored ?? null; },
  });
}

function probeEvent(): StateEvent {
  return new StateEvent(0, [null, null], CURRENT);
}

/** What a side offers the other side's finder in one instance, searched with `probe`. */
function targetOf(side: BuiltSide, probe: StateEvent): FindTarget<StateEvent> {
  return {
    store: side.findable,
    probe,
    ...(side.indexFor ? { indexFor: side.indexFor } : {}),
  };
}

function planSide(input: SingleInput, ctx: PlanContext, o: JoinOptions, which: 'left' | 'right'): PlannedSide {
  // As the reference: once a side has an alias, only the alias names it (`S as a` … `S.x` is refused).
  const names = input.alias ? [input.alias] : [input.stream];
  const table = ctx.catalog.tables.get(input.stream);
  if (table) {
    const h = input.handlers[0];
    if (h) throw planErrorAt(o.element, `table '${input.stream}' in a join takes no filter, window or function`, h.loc);
    const name = input.stream;
    // Tables are the app's: a partition key's instance probes the same one.
    return { schema: new StreamSchema(name, table.attributes), names, triggers: false, build: (inst) => ({ findable: inst.tables.get(name)!, connect() {} }) };
  }
  const aggregation = ctx.catalog.aggregations.get(input.stream);
  if (aggregation) return aggregationSide(input, aggregation, names, o);
  const windowAt = input.handlers.findIndex((h) => h.kind === 'window');
  const after = windowAt >= 0 ? input.handlers[windowAt + 1] : undefined;
  if (after) throw planErrorAt(o.element, 'in a join, the window must be the last element of a side (move the filter or function before it)', after.loc);
  const named = ctx.catalog.windows.has(input.stream);
  // planSingleInput refuses a window on a named window, as for any query.
  const blueprint = planSingleInput(input, ctx, { element: o.element, id: `${o.id}/${which}` });
  const call = windowAt >= 0 ? (input.handlers[windowAt] as Extract<StreamHandler, { kind: 'window' }>).call : undefined;
  const mirrors = call !== undefined && call.namespace === undefined && MIRRORING_WINDOWS.has(call.name);
  const windowed = windowAt >= 0 || named;
  return {
    schema: blueprint.schema,
    names,
    triggers: true,
    build(inst) {
      // The side's windows report restores, so a hash index of them knows to rebuild.
      const restored: (() => void)[] = [];
      const planned = blueprint.build({ ...inst, cells: reportingRestores(inst.cells, restored) });
      if (!windowed) {
        const pass = new PassWindow(o.expired, () => inst.scheduler.now());
        return {
          findable: EMPTY_FINDABLE,
          connect(entry) {
            pass.next = entry;
            planned.connect(pass);
          },
        };
      }
      const window = planned.window ?? inst.windows.get(input.stream)!.window;
      const contents = () => window.contents();
      let index: KeyIndex | undefined;
      return {
        findable: findableOf(contents),
        connect: (entry) => planned.connect(entry),
        ...(mirrors && contents() instanceof EventQueue ? {
          indexFor: (position: number) => {
            if (index) return index.position === position ? index : undefined;
            const created = new KeyIndex(position, () => contents() as EventQueue);
            restored.push(() => created.invalidate());
            index = created;
            return created;
          },
          index: () => index,
        } : {}),
      };
    },
  };
}

/** `cells`, calling each of `restored` after a cell registered through it restores. */
function reportingRestores(cells: CellRegistry, restored: readonly (() => void)[]): CellRegistry {
  return {
    register: (id, cell, signature) => cells.register(id, {
      kind: cell.kind,
      version: cell.version,
      ...(cell.migrations ? { migrations: cell.migrations } : {}),
      capture: (mode) => cell.capture(mode),
      restore: (state) => {
        cell.restore(state);
        for (const r of restored) r();
      },
    }, signature),
    unregister: (id) => cells.unregister(id),
    ...(cells.groupCell ? { groupCell: (id: string, group: CellGroup) => cells.groupCell!(id, group) } : {}),
  };
}

/**
 * An aggregation in a join: probed only; its rows are the buckets `within … per …`
 * selects for the probing row, read from the instance's Aggregation.
 */
function aggregationSide(input: SingleInput, planned: AggregationSpec, names: string[], o: JoinOptions): PlannedSide {
  const h = input.handlers[0];
  if (h) throw planErrorAt(o.element, `aggregation '${input.stream}' in a join takes no filter, window or function`, h.loc);
  const name = input.stream;
  const side = { schema: new StreamSchema(name, planned.attributes), names, triggers: false };
  const unread = (): BuiltSide => {
    throw new Error(`join side '${name}': built before its read was planned`);
  };
  return {
    ...side,
    build: unread,
    readAggregation: (join, scope) => {
      const read = planAggregationRead(name, planned, join.within, scope, join.loc);
      return {
        ...side,
        build: (inst, probe) => {
          const rows = read(inst.aggregations.get(name)!, instanceEnv(inst));
          return { findable: { scan: (visit) => rows(probe).scan(visit) }, connect() {} };
        },
      };
    },
  };
}
