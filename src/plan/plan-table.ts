// Tables at plan time: `define table` → one InMemoryTable registered once as
// `T:table`; `cond in T` for any scope; and the table writes that end a query
// (insert, delete, update, update or insert). Called by plan-app and plan-query.

import type { Annotation, Expression, Location, OutputAction, SetAssignment, TableDefinition } from '../ast/index.js';
import { SiddhiRuntimeError } from '../errors.js';
import type { Row, StreamEvent } from '../runtime/event.js';
import type { Processor } from '../runtime/processor.js';
import type { AttributeSchema } from '../runtime/schema.js';
import { InMemoryTable, type TableRow } from '../runtime/operators/table/in-memory-table.js';
import {
  type DuplicateReport, TableDelete, TableInsert, TableUpdate, type UpdateRefusedReport, type UpdateSet,
} from '../runtime/operators/table/table-output.js';
import { compileFind } from './compile-find.js';
import { compileExpression } from './compile-expression.js';
import type { PlanContext } from './plan-context.js';
import { planErrorAt } from './plan-context.js';
import type { CompiledExpression, Scope } from './scope.js';
import { createStreamScope } from './stream-scope.js';
import { StreamSchema } from '../runtime/schema.js';
import { createTableScope, tableFindSpec } from './table-scope.js';
import { describeAlternatives } from './suggest.js';
import { signatureOf } from './cell-signature.js';
import { assertNever } from '../dispatch.js';

export function defineTable(def: TableDefinition, ctx: PlanContext, element: string): void {
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
  const table = new InMemoryTable({ name: def.name, attributes: def.attributes, primaryKey, indexes });
  // Rows are stored by position under the primary key: both define what the state means.
  ctx.cells.register(`${def.name}:table`, table.cell, signatureOf('table', def.attributes, primaryKey));
  ctx.tables.set(def.name, table);
  ctx.catalog.tables.set(def.name, { name: def.name, attributes: def.attributes, primaryKey, indexes });
}

/** The table `name`, or a plan error listing what a query can read. */
export function tableNamed(ctx: PlanContext, name: string, element: string, loc: Location): InMemoryTable {
  if (!ctx.catalog.tables.has(name)) throw planErrorAt(element, `table '${name}' is not defined`, loc, describeAlternatives(name, [...ctx.catalog.tables.keys()]));
  return ctx.tables.get(name)!;
}

/** Gives `scope` the `cond in T` hook (idempotent); returns it. */
export function withTables<S extends Scope>(scope: S, ctx: PlanContext): S {
  (scope as { inTable?: Scope['inTable'] }).inTable = (condition: Expression, name: string, loc: Location): CompiledExpression => {
    const table = tableNamed(ctx, name, scope.element, loc);
    const ts = createTableScope({ element: scope.element, table, names: [name], outer: scope, now: () => ctx.scheduler.now() });
    const find = compileFind(tableFindSpec(table, ts, condition));
    let found = false;
    const hit = (): void => { found = true; };
    return {
      type: 'bool',
      evaluate: (row: Row) => {
        found = false;
        find(row, hit);
        return found;
      },
    };
  };
  return scope;
}

/** Reports a dropped duplicate primary key through the app's error channel. */
export function duplicateReporter(ctx: PlanContext, element: string): DuplicateReport {
  return (table, data) => ctx.report(
    new SiddhiRuntimeError(`${element}: a row with the primary key of ${JSON.stringify(data)} is already in table '${table}'; the insert was dropped`),
    element,
  );
}

/** Reports an update refused for a taken primary key through the app's error channel. */
function updateRefusedReporter(ctx: PlanContext, element: string): UpdateRefusedReport {
  return (table, data, taken) => ctx.report(
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
  readonly ctx: PlanContext;
  readonly element: string;
}

/** The write operator that ends a query whose output is a table. */
export function planTableOutput(o: TableOutputOptions): Processor<StreamEvent> {
  const { output, ctx, element } = o;
  const name = output.kind === 'insert' ? output.target : output.table;
  const table = tableNamed(ctx, name, element, output.loc);
  const duplicate = duplicateReporter(ctx, element);
  if (output.kind === 'insert') {
    checkRowShape(o.attributes, table, element, output.loc, 'insert into');
    return new TableInsert(table, duplicate);
  }
  const outer = withTables(createStreamScope({
    element, schema: new StreamSchema('output', o.attributes), names: [], now: () => ctx.scheduler.now(),
  }), ctx);
  const ts = createTableScope({ element, table, names: [name], outer, now: () => ctx.scheduler.now() });
  const find = compileFind(tableFindSpec(table, ts, output.on));
  switch (output.kind) {
    case 'delete':
      return new TableDelete(table, find);
    case 'update':
      return new TableUpdate(table, find, planUpdateSet(output.set, o.attributes, table, ts.scope, element), updateRefusedReporter(ctx, element));
    case 'upsert':
      checkRowShape(o.attributes, table, element, output.loc, 'update or insert into');
      return new TableUpdate(
        table, find, planUpdateSet(output.set, o.attributes, table, ts.scope, element), updateRefusedReporter(ctx, element), duplicate,
      );
    default:
      return assertNever(output, 'table output');
  }
}

/**
 * `set T.a = expr, …`; without `set`, every output attribute named like a
 * table column sets it (the others keep their values).
 */
export function planUpdateSet(
  set: readonly SetAssignment[], attributes: readonly AttributeSchema[], table: InMemoryTable, scope: Scope, element: string,
): UpdateSet {
  const columnOf = (n: string) => table.attributes.findIndex((a) => a.name === n);
  if (set.length === 0) {
    const pairs = attributes.flatMap((a, j) => (columnOf(a.name) >= 0 ? [[columnOf(a.name), j] as const] : []));
    return { columns: pairs.map((p) => p[0]), value: pairs.map(([, j]) => (e: Row) => (e as StreamEvent).data[j]) };
  }
  const columns: number[] = [];
  const value: ((e: Row, row: TableRow) => unknown)[] = [];
  const probe = { row: undefined as Row | undefined, stored: undefined as TableRow | undefined };
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
    const ev = c.evaluate;
    columns.push(col);
    value.push((e, row) => {
      probe.row = e;
      probe.stored = row;
      return ev(probe as unknown as Row);
    });
  }
  return { columns, value };
}

function assignable(from: string, to: string): boolean {
  if (from === to || to === 'object') return true;
  const order = ['int', 'long', 'float', 'double'];
  return order.includes(from) && order.includes(to) && order.indexOf(from) <= order.indexOf(to);
}

function checkRowShape(attrs: readonly AttributeSchema[], table: InMemoryTable, element: string, loc: Location, what: string): void {
  const t = table.attributes;
  if (attrs.length !== t.length || attrs.some((a, i) => a.type !== t[i]!.type)) {
    const shape = (xs: readonly AttributeSchema[]) => `(${xs.map((a) => `${a.name} ${a.type}`).join(', ')})`;
    throw planErrorAt(element, `'${what} ${table.name}' needs rows of ${shape(t)}, but the query selects ${shape(attrs)}`, loc,
      'select attributes with the same number and types as the table');
  }
}
