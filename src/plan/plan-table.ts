// Tables at plan time: `define table` → a blueprint whose build makes the
// InMemoryTable and registers it as `T:table`; `cond in T` for any scope; and
// the table writes that end a query (insert, delete, update, update or insert),
// compiled against the table's spec and built over an instance's table.
// Called by plan-app and plan-query.

import type { Annotation, Expression, Location, OutputAction, SetAssignment, TableDefinition } from '../ast/index.js';
import { SiddhiRuntimeError } from '../errors.js';
import type { Row, StreamEvent } from '../runtime/event.js';
import type { Processor } from '../runtime/processor.js';
import type { AttributeSchema } from '../runtime/schema.js';
import { InMemoryTable, type TableRow } from '../runtime/operators/table/in-memory-table.js';
import type { Catalog, TableSpec } from './catalog.js';
import {
  type DuplicateReport, TableDelete, TableInsert, TableUpdate, type UpdateRefusedReport, type UpdateSet,
} from '../runtime/operators/table/table-output.js';
import { Probe } from '../runtime/operators/find/findable.js';
import type { Finder } from '../runtime/operators/find/findable.js';
import type { CellRegistry, CellSignature, InstanceScope, Reporter } from '../runtime/instance.js';
import { compileFindCondition } from './compile-find.js';
import { compileExpression } from './compile-expression.js';
import { evaluatorIn, instanceEnv, UNLINKED, type Evaluate, type ExpressionEnv } from '../runtime/expression.js';
import { planErrorAt } from './plan-context.js';
import type { CompiledExpression, Scope } from './scope.js';
import { createStreamScope } from './stream-scope.js';
import { StreamSchema } from '../runtime/schema.js';
import { createTableScope, tableFindCondition } from './table-scope.js';
import { describeAlternatives } from './suggest.js';
import { signatureOf } from './cell-signature.js';
import { assertNever } from '../dispatch.js';

/** A table as planned: its spec (what queries compile against), and `build`, which makes it and registers its cell. */
export interface TableBlueprint {
  readonly spec: TableSpec;
  /** `T:table`. */
  readonly id: string;
  readonly signature: CellSignature;
  build(cells: CellRegistry): InMemoryTable;
}


export function planTable(def: TableDefinition, element: string): TableBlueprint {
  const names = def.attributes.map((a) => a.name);
  const positions = (a: Annotation): number[] => a.elements.map((el) => {
    const i = names.indexOf(el.value);
    if (i < 0) throw planErrorAt(element, `@${a.name} names '${el.value}', which is not an attribute`, el.loc, describeAlternatives(el.value, names));
    return i;
  });
  let primaryKey: number[] = [];
  const indexes: number[] = [];
  for (const a of def.annotations) {
    const name = a.name.toLowerCase();
    if (a.namespace !== undefined) continue;
    if (name === 'primarykey') {
      if (primaryKey.length > 0) throw planErrorAt(element, 'only one @PrimaryKey is allowed', a.loc);
      primaryKey = positions(a);
      if (primaryKey.length === 0) throw planErrorAt(element, '@PrimaryKey needs at least one attribute', a.loc);
    } else if (name === 'index') {
      // As the reference: one attribute per @Index (several indexes are several annotations), each indexed once.
      if (a.elements.length !== 1) {
        throw planErrorAt(element, `@Index takes exactly one attribute, but found ${a.elements.length}`, a.loc,
          a.elements.length > 1 ? `write one @Index per attribute, e.g. ${a.elements.map((e) => `@Index('${e.value}')`).join(' ')}` : undefined);
      }
      const [at] = positions(a);
      if (indexes.includes(at!)) throw planErrorAt(element, `attribute '${names[at!]}' has more than one @Index`, a.loc);
      indexes.push(at!);
    } else if (name === 'store') {
      throw planErrorAt(element, 'only in-memory tables are supported (no @store)', a.loc);
    }
  }
  const spec: TableSpec = { name: def.name, attributes: def.attributes, primaryKey, indexes };
  const id = `${def.name}:table`;
  // Rows are stored by position under the primary key: both define what the state means.
  const signature = signatureOf('table', def.attributes, primaryKey);
  return {
    spec,
    id,
    signature,
    build(cells) {
      const table = new InMemoryTable(spec);
      cells.register(id, table.cell, signature);
      return table;
    },
  };
}

/** The spec of table `name`, or a plan error listing the tables. */
export function tableNamed(ctx: { readonly catalog: Catalog }, name: string, element: string, loc: Location): TableSpec {
  const t = ctx.catalog.tables.get(name);
  if (!t) throw planErrorAt(element, `table '${name}' is not defined`, loc, describeAlternatives(name, [...ctx.catalog.tables.keys()]));
  return t;
}

/**
 * Gives `scope` the `cond in T` hook (idempotent); returns it. The condition
 * is compiled once against T's spec; each instance links it to its own table
 * and clock, with its own probe and hit flag.
 */
export function withTables<S extends Scope>(scope: S, ctx: { readonly catalog: Catalog }): S {
  (scope as { inTable?: Scope['inTable'] }).inTable = (condition: Expression, name: string, loc: Location): CompiledExpression => {
    const ts = createTableScope({ element: scope.element, table: tableNamed(ctx, name, scope.element, loc), names: [name], outer: scope });
    const finderIn = compileFindCondition(tableFindCondition(ts, condition));
    const link = (env: ExpressionEnv): Evaluate => {
      const store = env.tables?.get(name);
      if (store === undefined) throw new Error(`internal: 'in ${name}' was linked in an instance without its tables`);
      const find = finderIn({ store, probe: new Probe() }, env);
      let found = false;
      const hit = (): void => { found = true; };
      return (row: Row) => {
        found = false;
        find(row, hit);
        return found;
      };
    };
    // Not linked(): that counts the nodes reading the clock; this one reads the instance's table.
    return { type: 'bool', evaluate: UNLINKED, link };
  };
  return scope;
}

/** Reports a dropped duplicate primary key through the instance's error channel. */
function duplicateReporter(report: Reporter, element: string): DuplicateReport {
  return (table, data) => report(
    new SiddhiRuntimeError(`${element}: a row with the primary key of ${JSON.stringify(data)} is already in table '${table}'; the insert was dropped`),
    element,
  );
}

/** Reports an update refused for a taken primary key through the instance's error channel. */
function updateRefusedReporter(report: Reporter, element: string): UpdateRefusedReport {
  return (table, data, taken) => report(
    new SiddhiRuntimeError(taken
      ? `${element}: update failed: a row with the primary key of ${JSON.stringify(data)} is already in table '${table}'; no row was changed`
      : `${element}: a row with the primary key of ${JSON.stringify(data)} is already in table '${table}'; the updated row was dropped`),
    element,
  );
}

export interface TableOutputOptions {
  readonly output: Exclude<OutputAction, { kind: 'return' }>;
  /** The selector's output attributes (what the write receives). */
  readonly attributes: readonly AttributeSchema[];
  /** What the write is planned against. */
  readonly ctx: { readonly catalog: Catalog };
  readonly element: string;
}

/** Makes a table write over an instance's table, reporting through the instance; `on` and `set` read its clock. */
type TableWriter = (table: InMemoryTable, report: Reporter, env: ExpressionEnv) => Processor<StreamEvent>;

/**
 * The write operator that ends a query whose output is a table, planned once:
 * built over `inst.tables` and reporting through `inst.report`, once per pair
 * (a partition key's instance writes the app's tables through the same
 * operator while it shares the app's reporter).
 */
export function planTableOutput(o: TableOutputOptions): (inst: InstanceScope) => Processor<StreamEvent> {
  const name = o.output.kind === 'insert' ? o.output.target : o.output.table;
  const writer = planTableWriter(o, name);
  const built = new WeakMap<ReadonlyMap<string, InMemoryTable>, WeakMap<Reporter, Processor<StreamEvent>>>();
  return (inst) => {
    let byReport = built.get(inst.tables);
    if (byReport === undefined) built.set(inst.tables, (byReport = new WeakMap()));
    let w = byReport.get(inst.report);
    if (w === undefined) byReport.set(inst.report, (w = writer(inst.tables.get(name)!, inst.report, instanceEnv(inst))));
    return w;
  };
}

function planTableWriter(o: TableOutputOptions, name: string): TableWriter {
  const { output, ctx, element } = o;
  const table = tableNamed(ctx, name, element, output.loc);
  if (output.kind === 'insert') {
    checkRowShape(o.attributes, table, element, output.loc, 'insert into');
    return (t, report) => new TableInsert(t, duplicateReporter(report, element));
  }
  const outer = withTables(createStreamScope({
    element, schema: new StreamSchema('output', o.attributes), names: [],
  }), ctx);
  const ts = createTableScope({ element, table, names: [name], outer });
  const condition = compileFindCondition(tableFindCondition(ts, output.on));
  const find = (t: InMemoryTable, env: ExpressionEnv): Finder => condition({ store: t, probe: new Probe() }, env);
  switch (output.kind) {
    case 'delete':
      return (t, _report, env) => new TableDelete(t, find(t, env));
    case 'update': {
      const set = planUpdateSet(output.set, o.attributes, table, ts.scope, element);
      return (t, report, env) => new TableUpdate(t, find(t, env), set(env), updateRefusedReporter(report, element));
    }
    case 'upsert': {
      checkRowShape(o.attributes, table, element, output.loc, 'update or insert into');
      const set = planUpdateSet(output.set, o.attributes, table, ts.scope, element);
      return (t, report, env) => new TableUpdate(t, find(t, env), set(env), updateRefusedReporter(report, element), duplicateReporter(report, element));
    }
    default:
      return assertNever(output, 'table output');
  }
}

/**
 * `set T.a = expr, …`; without `set`, every output attribute named like a
 * table column sets it (the others keep their values). Compiled once; each
 * call makes one write's UpdateSet, with its own probe, reading `env`'s clock.
 */
export function planUpdateSet(
  set: readonly SetAssignment[], attributes: readonly AttributeSchema[], table: TableSpec, scope: Scope, element: string,
): (env: ExpressionEnv) => UpdateSet {
  const columnOf = (n: string) => table.attributes.findIndex((a) => a.name === n);
  if (set.length === 0) {
    const pairs = attributes.flatMap((a, j) => (columnOf(a.name) >= 0 ? [[columnOf(a.name), j] as const] : []));
    const copied: UpdateSet = { columns: pairs.map((p) => p[0]), value: pairs.map(([, j]) => (e: Row) => (e as StreamEvent).data[j]) };
    return () => copied;
  }
  const columns: number[] = [];
  const evaluates: CompiledExpression[] = [];
  for (const s of set) {
    if (s.column.stream !== undefined && s.column.stream !== table.name) {
      throw planErrorAt(element, `'set' assigns columns of table '${table.name}', not of '${s.column.stream}'`, s.column.loc);
    }
    const col = columnOf(s.column.name);
    if (col < 0) {
      throw planErrorAt(element, `table '${table.name}' has no attribute '${s.column.name}'`, s.column.loc,
        describeAlternatives(s.column.name, table.attributes.map((a) => a.name)));
    }
    const c = compileExpression(s.value, scope);
    if (!assignable(c.type, table.attributes[col]!.type)) {
      throw planErrorAt(element, `cannot set ${table.name}.${s.column.name} (${table.attributes[col]!.type}) to a ${c.type} value`, s.loc);
    }
    columns.push(col);
    evaluates.push(c);
  }
  return (env) => {
    const probe = { row: undefined as Row | undefined, stored: undefined as TableRow | undefined };
    const value = evaluates.map((c) => evaluatorIn(c, env)).map((ev) => (e: Row, row: TableRow) => {
      probe.row = e;
      probe.stored = row;
      return ev(probe as unknown as Row);
    });
    return { columns, value };
  };
}

function assignable(from: string, to: string): boolean {
  if (from === to || to === 'object') return true;
  const order = ['int', 'long', 'float', 'double'];
  return order.includes(from) && order.includes(to) && order.indexOf(from) <= order.indexOf(to);
}

function checkRowShape(attrs: readonly AttributeSchema[], table: TableSpec, element: string, loc: Location, what: string): void {
  const t = table.attributes;
  if (attrs.length !== t.length || attrs.some((a, i) => a.type !== t[i]!.type)) {
    const shape = (xs: readonly AttributeSchema[]) => `(${xs.map((a) => `${a.name} ${a.type}`).join(', ')})`;
    throw planErrorAt(element, `'${what} ${table.name}' needs rows of ${shape(t)}, but the query selects ${shape(attrs)}`, loc,
      'select attributes with the same number and types as the table');
  }
}
