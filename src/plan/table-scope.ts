// The scope of a condition matched against a table's rows (`in T`, table
// writes, on-demand queries): `T.x` (or the table's alias) is the stored row;
// other variables belong to the probing row, and an unqualified name the probe
// does not have falls back to the table. Reads a Probe (runtime/operators/find).

import type { Variable } from '../ast/index.js';
import { SiddhiPlanError } from '../errors.js';
import type { Row } from '../runtime/event.js';
import { Probe } from '../runtime/operators/find/findable.js';
import type { AttributeSchema } from '../runtime/schema.js';
import type { FindCondition } from './compile-find.js';
import { planErrorAt } from './plan-context.js';
import type { ResolvedVariable, Scope } from './scope.js';
import { describeAlternatives } from './suggest.js';

export interface TableScopeOptions {
  readonly element: string;
  /** The table (or named window) matched against. */
  readonly table: { readonly name: string; readonly attributes: readonly AttributeSchema[] };
  /** Names that qualify the table's attributes: its name and alias. */
  readonly names: readonly string[];
  /** The probing row's scope; absent for on-demand queries. */
  readonly outer?: Scope;
}

export interface TableScope {
  readonly scope: Scope;
  storedAttribute(v: Variable): number | undefined;
}

export function createTableScope(o: TableScopeOptions): TableScope {
  const attrs = o.table.attributes;
  const position = (name: string) => attrs.findIndex((a) => a.name === name);
  const stored = (v: Variable): ResolvedVariable => {
    const i = position(v.name);
    if (i < 0) {
      throw planErrorAt(o.element, `table '${o.table.name}' has no attribute '${v.name}'`, v.loc,
        describeAlternatives(v.name, attrs.map((a) => a.name)));
    }
    return {
      type: attrs[i]!.type,
      get: (p: Row) => (p as unknown as Probe).stored!.data[i],
      attribute: { name: v.name, index: i },
    };
  };
  const outer = (v: Variable): ResolvedVariable | undefined => {
    if (!o.outer) return undefined;
    try {
      const r = o.outer.resolveVariable(v);
      const g = r.get;
      return { type: r.type, get: (p: Row) => g((p as unknown as Probe).row as Row) };
    } catch (e) {
      if (e instanceof SiddhiPlanError && v.stream === undefined) return undefined;
      throw e;
    }
  };
  const isStored = (v: Variable): boolean =>
    v.stream !== undefined ? o.names.includes(v.stream) : outer(v) === undefined && position(v.name) >= 0;
  const scope: Scope = {
    element: o.element,
    resolveVariable(v: Variable): ResolvedVariable {
      if (v.stream !== undefined && o.names.includes(v.stream)) return stored(v);
      return outer(v) ?? stored(v);
    },
    ...(o.outer?.inTable ? { inTable: o.outer.inTable.bind(o.outer) } : {}),
  };
  return {
    scope,
    storedAttribute: (v) => {
      const i = isStored(v) ? position(v.name) : -1;
      return i >= 0 ? i : undefined;
    },
  };
}

/** The find condition of `condition` over table scope `ts` (join `on` on a table, `in T`, table writes and on-demand `on`). */
export function tableFindCondition(ts: TableScope, condition: FindCondition<Probe>['condition']): FindCondition<Probe> {
  return {
    condition,
    scope: ts.scope,
    storedAttribute: ts.storedAttribute,
    bind: (p, row) => { p.row = row; },
    setStored: (p, s) => { p.stored = s; },
  };
}
