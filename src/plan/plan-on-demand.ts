// On-demand queries (`runtime.query('from T on price > 10 select symbol')`):
// planned against the app's plan context each time they run, then executed
// once: the matching rows of a table or named window (or one empty row when
// there is no `from`) go through a selector to the caller or to a table write.

import type { OnDemandInput, OnDemandQuery } from '../ast/index.js';
import { CURRENT, StreamEvent } from '../runtime/event.js';
import type { Findable } from '../runtime/operators/find/findable.js';
import { findableOf } from '../runtime/operators/find/findable.js';
import type { Processor } from '../runtime/processor.js';
import type { AttributeSchema } from '../runtime/schema.js';
import { StreamSchema } from '../runtime/schema.js';
import type { CellRegistry } from '../runtime/instance.js';
import { compileFind } from './compile-find.js';
import { planAggregationRead } from './plan-aggregation-read.js';
import type { PlanContext } from './plan-context.js';
import type { Catalog } from './catalog.js';
import type { AppInstance } from '../runtime/build-app.js';
import { planErrorAt, readableNames } from './plan-context.js';
import { planSelector } from './plan-selector.js';
import { planTableOutput, withTables } from './plan-table.js';
import { createStreamScope } from './stream-scope.js';
import { describeAlternatives } from './suggest.js';
import { createTableScope, tableFindSpec } from './table-scope.js';

const ELEMENT = 'on-demand query';

/** On-demand state lives for one run; nothing is checkpointed. */
const NO_CELLS: CellRegistry = { register() {}, unregister() {} };

/** What an on-demand query returns: the selected events, and their attributes (names and types). */
export interface OnDemandResult {
  readonly attributes: readonly AttributeSchema[];
  readonly events: StreamEvent[];
}

/** Plans `q` and returns the function that runs it (returning the selected events). */
export function planOnDemandQuery(q: OnDemandQuery, ctx: PlanContext): () => OnDemandResult {
  const source = q.input ? storeOf(q.input, ctx) : undefined;
  const schema = new StreamSchema(source?.name ?? '', source?.attributes ?? []);
  const names = q.input ? [q.input.store, ...(q.input.alias ? [q.input.alias] : [])] : [];
  const scope = withTables(createStreamScope({ element: ELEMENT, schema, names }), ctx);
  const selector = planSelector({
    selector: q.selector,
    scope,
    inputSchema: schema.attributes,
    outputEvents: 'current',
    element: ELEMENT,
    cells: NO_CELLS,
    id: 'on-demand/selector',
    scheduler: ctx.scheduler,
    tables: ctx.tables,
  });
  const results: StreamEvent[] = [];
  const output = q.output;
  let target: Processor<StreamEvent>;
  if (output.kind === 'return') {
    target = { process: (chunk) => { for (const e of chunk) results.push(e); } };
  } else {
    const name = output.kind === 'insert' ? output.target : output.table;
    if (!ctx.catalog.tables.has(name)) {
      throw planErrorAt(ELEMENT, `on-demand queries write to tables only; '${name}' is not a table`, output.loc,
        describeAlternatives(name, [...ctx.catalog.tables.keys()]));
    }
    target = planTableOutput({ output, attributes: selector.schema, ctx, element: ELEMENT })(ctx);
  }
  selector.tail.next = target as Processor;
  const rows = rowsOf(q, source, ctx);
  return () => {
    results.length = 0;
    const chunk = rows();
    if (chunk.length > 0) selector.head.process(chunk);
    return { attributes: selector.schema, events: results.slice() };
  };
}

interface Store {
  readonly name: string;
  readonly attributes: readonly AttributeSchema[];
  readonly findable: Findable;
}

function storeOf(input: OnDemandInput, ctx: PlanContext): Store {
  const { store: name, loc } = input;
  const aggregation = ctx.catalog.aggregations.get(name);
  if (aggregation) {
    const scope = createStreamScope({ element: ELEMENT, schema: new StreamSchema('', []), names: [] });
    const read = planAggregationRead(name, aggregation, input.within, scope, loc)(ctx.aggregations.get(name)!, ctx.scheduler);
    return { name, attributes: aggregation.attributes, findable: { scan: (visit) => read(undefined).scan(visit) } };
  }
  if (input.within) throw planErrorAt(ELEMENT, `'within' and 'per' read an aggregation; '${name}' is not one`, input.within.loc);
  const table = ctx.tables.get(name);
  if (table) return { name, attributes: table.attributes, findable: table };
  const w = ctx.windows.get(name);
  if (w) return { name, attributes: w.input.schema.attributes, findable: findableOf(() => w.window.contents()) };
  const { catalog } = ctx;
  const what = catalog.streams.has(name) ? `'${name}' is a stream, which keeps no events` : `no table or window '${name}'`;
  throw planErrorAt(ELEMENT, `${what}; on-demand queries read tables, named windows and aggregations`, loc,
    describeAlternatives(name, readableNames(ctx).filter((n) => catalog.tables.has(n) || catalog.windows.has(n) || catalog.aggregations.has(n))));
}

/** The rows the selector gets: the store's rows matching `on`, or one empty row. */
function rowsOf(q: OnDemandQuery, store: Store | undefined, ctx: PlanContext): () => StreamEvent[] {
  if (!q.input || !store) return () => [new StreamEvent(ctx.scheduler.now(), [], CURRENT)];
  const names = [q.input.store, ...(q.input.alias ? [q.input.alias] : [])];
  const ts = createTableScope({ element: ELEMENT, table: store, names });
  const find = compileFind(tableFindSpec(store.findable, ts, q.input.on), ctx.scheduler);
  return () => {
    const out: StreamEvent[] = [];
    // Fresh current events: stored rows (and window events of any type) stay untouched.
    find(undefined, (row) => out.push(new StreamEvent(row.timestamp, row.data, CURRENT)));
    return out;
  };
}

/**
 * `runtime.query(text)`: parse one on-demand query, plan it against the app's
 * catalog, build it in the running app instance and run it.
 */
export function onDemandRunner(parse: (text: string) => OnDemandQuery, catalog: Catalog): (text: string, app: AppInstance) => OnDemandResult {
  return (text, app) => planOnDemandQuery(parse(text), { ...app, catalog, inputStreams: new Set() })();
}
