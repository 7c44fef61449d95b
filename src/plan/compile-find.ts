// compileFindCondition: a find condition (join `on`, `in`, table write `on`, on-demand
// `on`) → a Finder over a store, once at plan time (a join in a partition binds
// the condition compiled once to each instance's window). Equalities between a
// stored attribute and a probe-only expression pick the table's primary key or
// an @index when they cover it; every candidate is still tested against the
// whole condition, so an index only narrows the scan.

import type { Expression, Variable } from '../ast/index.js';
import type { Row, StreamEvent } from '../runtime/event.js';
import type { Findable, Finder } from '../runtime/operators/find/findable.js';
import { InMemoryTable, type RowKey } from '../runtime/operators/table/in-memory-table.js';
import type { KeyIndex } from '../runtime/operators/join/key-index.js';
import { compileCondition, compileExpression } from './compile-expression.js';
import { evaluatorIn, type CompiledExpression, type ExpressionEnv } from '../runtime/expression.js';
import { conjuncts } from './conjuncts.js';
import type { Scope } from './scope.js';
import { assertNever } from '../dispatch.js';

/** A find condition and how it reads a probe object `P`: what is compiled once. */
export interface FindCondition<P> {
  /** Absent: every stored row matches. */
  readonly condition: Expression | undefined;
  /** Compiles the condition over the probe object `P` (probe and stored variables). */
  readonly scope: Scope;
  /** The stored attribute position a variable resolves to, if it resolves to the stored side. */
  storedAttribute(v: Variable): number | undefined;
  bind(probe: P, row: Row | undefined): void;
  setStored(probe: P, stored: StreamEvent | undefined): void;
}

/** The store a compiled condition finds in, and the probe object it reads. */
export interface FindTarget<P> {
  readonly store: Findable;
  /** The probe object the compiled condition reads; reused for every test. */
  readonly probe: P;
  /** A hash index of the store on an attribute position, when the store can keep one (join windows). */
  indexFor?(position: number): KeyIndex | undefined;
}

export interface FindSpec<P> extends FindCondition<P>, FindTarget<P> {}

/** Compiles `spec`'s condition once; the result makes a Finder over each target it is given, in an instance's env. */
export function compileFindCondition<P>(spec: FindCondition<P>): (target: FindTarget<P>, env: ExpressionEnv) => Finder {
  if (!spec.condition) {
    return ({ store, probe }) => (row, visit) => {
      spec.bind(probe, row);
      store.scan(visit);
    };
  }
  const condition = compileCondition(spec.condition, spec.scope, 'a join or table condition');
  const planned = equalities(spec);
  const linked = condition.link !== undefined || planned.some((e) => e.compiled.link !== undefined);
  return (target, env) => {
    const test = evaluatorIn(condition, env) as (p: P) => unknown;
    const eqs = linked ? planned.map((e) => ({ ...e, value: evaluatorIn(e.compiled, env) as (p: unknown) => unknown })) : planned;
    const { store } = target;
    return (store instanceof InMemoryTable ? keyedLookup(spec, target, store, test, eqs) : undefined)
      ?? (target.indexFor ? indexedLookup(spec, target, test, eqs) : undefined)
      ?? (store.columns ? columnScan(spec, target, test, eqs) : undefined)
      ?? scan(spec, target, test);
  };
}

/** Every stored row tested against the whole condition. */
function scan<P>(spec: FindCondition<P>, { store, probe }: FindTarget<P>, test: (p: P) => unknown): Finder {
  return (row, visit) => {
    spec.bind(probe, row);
    store.scan((stored) => {
      spec.setStored(probe, stored);
      if (test(probe) === true) visit(stored);
    });
    spec.setStored(probe, undefined);
  };
}

interface Equality {
  readonly position: number;
  readonly value: (p: unknown) => unknown;
  /** Both sides are strings, numbers or bools, so `===` decides equality. */
  readonly primitive: boolean;
  /** The probe-side expression `value` evaluates (linked again when it reads the clock). */
  readonly compiled: CompiledExpression;
}

/** An equality on an attribute the store can index: look the probe's value up. */
function indexedLookup<P>(spec: FindCondition<P>, target: FindTarget<P>, test: (p: P) => unknown, eqs: readonly Equality[]): Finder | undefined {
  for (const eq of eqs) {
    if (!eq.primitive) continue;
    const index = target.indexFor!(eq.position);
    if (!index) continue;
    const { probe } = target;
    // One checking visitor for every probe; `visiting` is the current probe's visitor.
    let visiting: ((stored: StreamEvent) => void) | undefined;
    const check = (stored: StreamEvent): void => {
      spec.setStored(probe, stored);
      if (test(probe) === true) visiting!(stored);
    };
    return (row, visit) => {
      spec.bind(probe, row);
      const v = eq.value(probe);
      // `==` with a null operand is false: nothing can match.
      if (v !== null && v !== undefined) {
        visiting = visit;
        index.each(v, check);
        visiting = undefined;
      }
      spec.setStored(probe, undefined);
    };
  }
  return undefined;
}

/**
 * A window kept as columns: rows whose equality attributes differ from the
 * probe's values are skipped reading one column each; the rest are
 * materialised and tested against the whole condition.
 */
function columnScan<P>(spec: FindCondition<P>, target: FindTarget<P>, test: (p: P) => unknown, all: readonly Equality[]): Finder | undefined {
  const eqs = all.filter((e) => e.primitive);
  if (eqs.length === 0) return undefined;
  const { probe, store } = target;
  const positions = eqs.map((e) => e.position);
  const values: unknown[] = new Array(eqs.length);
  return (row, visit) => {
    spec.bind(probe, row);
    const q = store.columns!();
    if (!q) {
      store.scan((stored) => {
        spec.setStored(probe, stored);
        if (test(probe) === true) visit(stored);
      });
      spec.setStored(probe, undefined);
      return;
    }
    for (let k = 0; k < eqs.length; k++) values[k] = eqs[k]!.value(probe);
    // `==` with a null operand is false: nothing can match.
    if (values.some((v) => v === null || v === undefined)) return;
    const n = q.length;
    next: for (let i = 0; i < n; i++) {
      for (let k = 0; k < positions.length; k++) if (q.valueAt(i, positions[k]!) !== values[k]) continue next;
      const stored = q.at(i);
      spec.setStored(probe, stored);
      if (test(probe) === true) visit(stored);
    }
    spec.setStored(probe, undefined);
  };
}

/** `stored.x == probeExpr` conjuncts of the condition. */
function equalities<P>(spec: FindCondition<P>): Equality[] {
  const out: Equality[] = [];
  for (const e of conjuncts(spec.condition!)) {
    if (e.kind !== 'binary' || e.op !== '==') continue;
    for (const [a, b] of [[e.left, e.right], [e.right, e.left]] as const) {
      if (a.kind !== 'variable') continue;
      const position = spec.storedAttribute(a);
      if (position === undefined || readsStored(b, spec)) continue;
      const other = compileExpression(b, spec.scope);
      const self = compileExpression(a, spec.scope);
      // Only same-kind values key alike (a string never equals a number).
      if ((self.type === 'string') !== (other.type === 'string')) continue;
      const primitive = self.type !== 'object' && other.type !== 'object';
      out.push({ position, value: other.evaluate as (p: unknown) => unknown, primitive, compiled: other });
      break;
    }
  }
  return out;
}

function readsStored<P>(e: Expression, spec: FindCondition<P>): boolean {
  switch (e.kind) {
    case 'variable': return spec.storedAttribute(e) !== undefined;
    case 'binary': return readsStored(e.left, spec) || readsStored(e.right, spec);
    case 'unary': case 'isNull': return readsStored(e.operand, spec);
    case 'call': return e.args.some((a) => readsStored(a, spec));
    // `in` reads another table; conservatively treat it as reading the stored side.
    case 'in': return true;
    case 'constant': case 'time': return false;
    default:
      return assertNever(e, 'expression');
  }
}

function keyedLookup<P>(spec: FindCondition<P>, { probe }: FindTarget<P>, table: InMemoryTable, test: (p: P) => unknown, eqs: readonly Equality[]): Finder | undefined {
  if (eqs.length === 0) return undefined;
  const pk = table.primaryKey;
  const pkValues = pk.length > 0 ? pk.map((pos) => eqs.find((e) => e.position === pos)?.value) : [];
  const check = (stored: StreamEvent | undefined, visit: (s: StreamEvent) => void): void => {
    if (!stored) return;
    spec.setStored(probe, stored);
    if (test(probe) === true) visit(stored);
  };
  if (pkValues.length > 0 && pkValues.every((v) => v !== undefined)) {
    const getters = pkValues as ((p: unknown) => unknown)[];
    const values: unknown[] = new Array(getters.length);
    return (row, visit) => {
      spec.bind(probe, row);
      for (let i = 0; i < getters.length; i++) values[i] = getters[i]!(probe);
      check(table.get(table.keyOfValues(values)), visit);
      spec.setStored(probe, undefined);
    };
  }
  const eq = eqs.find((e) => table.hasIndex(e.position));
  if (!eq) return undefined;
  return (row, visit) => {
    spec.bind(probe, row);
    const keys = table.indexed(eq.position, eq.value(probe));
    if (keys) {
      // Copy: a visitor (an update) may change the index set being iterated.
      const list: RowKey[] = [...keys];
      for (const k of list) check(table.get(k), visit);
    }
    spec.setStored(probe, undefined);
  };
}
