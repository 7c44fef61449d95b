// On-demand queries (`runtime.query('from T on price > 10 select symbol')`):
// planned against the app's catalog each time they run, then built in the
// running app instance and executed once: the matching rows of a table or named
// window (or one empty row when there is no `from`) go through a selector to
// the caller or to a table write.

import type { OnDemandInput, OnDemandQuery } from '../ast/index.js';
import { CURRENT, StreamEvent } from '../runtime/event.js';
import type { Findable } from '../runtime/operators/find/findable.js';
import { findableOf, Probe } from '../runtime/operators/find/findable.js';
import type { Processor } from '../runtime/processor.js';
import type { AttributeSchema } from '../runtime/schema.js';
import { StreamSchema } from '../runtime/schema.js';
import { DISCARDED_CELLS } from '../runtime/instance.js';
import { instanceEnv } from '../runtime/expression.js';
import { compileFindCondition } from './compile-find.js';
import { planAggregationRead } from './plan-aggregation-read.js';
import type { Catalog } from './catalog.js';
import type { AppInstance } from '../runtime/build-app.js';
import type { OnDemandPlanner } from '../runtime/app-plan.js';
import { planErrorAt, readableNames } from './plan-context.js';
import { compileSelector } from './plan-selector.js';
import { planTableOutput, withTables } from './plan-table.js';
import { createStreamScope } from './stream-scope.js';
import { describeAlternatives } from './suggest.js';
import { createTableScope, tableFindCondition } from './table-scope.js';
import { currentAppFunctions, withAppFunctions } from './app-functions.js';

const ELEMENT = 'on-demand query';

/** What an on-demand query returns: the selected events, and their attributes (names and types). */
export interface OnDemandResult {
  readonly attributes: readonly AttributeSchema[];
  readonly events: StreamEvent[];
}

/** Plans `q` against `catalog` (every plan error is raised here); the result builds it in an app instance and runs it. */
export function planOnDemandQuery(q: OnDemandQuery, catalog: Catalog): (app: AppInstance) => OnDemandResult {
  const plan = { catalog };
  const source = q.input ? storeOf(q.input, catalog) : undefined;
  const schema = new StreamSchema(source?.name ?? '', source?.attributes ?? []);
  const names = q.input ? [q.input.store, ...(q.input.alias ? [q.input.alias] : [])] : [];
  const scope = withTables(createStreamScope({ element: ELEMENT, schema, names }), plan);
  const selector = compileSelector({
    selector: q.selector,
    scope,
    inputSchema: schema.attributes,
    outputEvents: 'current',
    element: ELEMENT,
    id: 'on-demand/selector',
  });
  const output = q.output;
  let write: ((app: AppInstance) => Processor<StreamEvent>) | undefined;
  if (output.kind !== 'return') {
    const name = output.kind === 'insert' ? output.target : output.table;
    if (!catalog.tables.has(name)) {
      throw planErrorAt(ELEMENT, `on-demand queries write to tables only; '${name}' is not a table`, output.loc,
        describeAlternatives(name, [...catalog.tables.keys()]));
    }
    write = planTableOutput({ output, attributes: selector.schema, ctx: plan, element: ELEMENT });
  }
  const rowsIn = rowsOf(q, source);
  return (app) => {
    const results: StreamEvent[] = [];
    // On-demand state lives for one run; nothing is checkpointed.
    const built = selector.build({ ...app, cells: DISCARDED_CELLS });
    built.tail.next = (write ? write(app) : { process: (chunk: StreamEvent[]) => { for (const e of chunk) results.push(e); } }) as Processor;
    const chunk = rowsIn(app);
    if (chunk.length > 0) built.head.process(chunk);
    return { attributes: selector.schema, events: results };
  };
}

/** What an on-demand query reads, as planned: its schema, and its rows in an app instance. */
interface Store {
  readonly name: string;
  readonly attributes: readonly AttributeSchema[];
  findable(app: AppInstance): Findable;
}

function storeOf(input: OnDemandInput, catalog: Catalog): Store {
  const { store: name, loc } = input;
  const aggregation = catalog.aggregations.get(name);
  if (aggregation) {
    const scope = createStreamScope({ element: ELEMENT, schema: new StreamSchema('', []), names: [] });
    const readIn = planAggregationRead(name, aggregation, input.within, scope, loc);
    return {
      name,
      attributes: aggregation.attributes,
      findable: (app) => {
        const read = readIn(app.aggregations.get(name)!, instanceEnv({ scheduler: app.scheduler, scripts: app.scripts }));
        return { scan: (visit) => read(undefined).scan(visit) };
      },
    };
  }
  if (input.within) throw planErrorAt(ELEMENT, `'within' and 'per' read an aggregation; '${name}' is not one`, input.within.loc);
  const table = catalog.tables.get(name);
  if (table) return { name, attributes: table.attributes, findable: (app) => app.tables.get(name)! };
  const window = catalog.windows.get(name);
  if (window) return { name, attributes: window.attributes, findable: (app) => findableOf(() => app.windows.get(name)!.window.contents()) };
  const what = catalog.streams.has(name) ? `'${name}' is a stream, which keeps no events` : `no table or window '${name}'`;
  throw planErrorAt(ELEMENT, `${what}; on-demand queries read tables, named windows and aggregations`, loc,
    describeAlternatives(name, readableNames({ catalog }).filter((n) => catalog.tables.has(n) || catalog.windows.has(n) || catalog.aggregations.has(n))));
}

/** The rows the selector gets in an app instance: the store's rows matching `on`, or one empty row. */
function rowsOf(q: OnDemandQuery, store: Store | undefined): (app: AppInstance) => StreamEvent[] {
  if (!q.input || !store) return (app) => [new StreamEvent(app.scheduler.now(), [], CURRENT)];
  const names = [q.input.store, ...(q.input.alias ? [q.input.alias] : [])];
  const ts = createTableScope({ element: ELEMENT, table: store, names });
  const finderIn = compileFindCondition(tableFindCondition(ts, q.input.on));
  return (app) => {
    const find = finderIn({ store: store.findable(app), probe: new Probe() }, instanceEnv({ scheduler: app.scheduler, scripts: app.scripts }));
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
export function onDemandRunner(parse: (text: string) => OnDemandQuery, catalog: Catalog): OnDemandPlanner {
  // The app's functions (define function, manager.setFunction) as when the app was planned: a query runs long after.
  const functions = currentAppFunctions();
  return (text, app) => withAppFunctions(functions, () => planOnDemandQuery(parse(text), catalog)(app));
}
