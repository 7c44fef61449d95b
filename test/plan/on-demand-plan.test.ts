// On-demand queries are planned against the catalog (plan-as-data Stage 7):
// one plan, made without any running app, runs in each app instance it is
// given, reading and writing that instance's tables and named windows.

import { describe, expect, it } from 'vitest';
import type { TableDefinition } from '../../src/ast/index.js';
import { parseOnDemandQuery } from '../../src/parser/index.js';
import { planOnDemandQuery } from '../../src/plan/plan-on-demand.js';
import { planTable } from '../../src/plan/plan-table.js';
import type { AppInstance } from '../../src/runtime/build-app.js';
import { DISCARDED_CELLS } from '../../src/runtime/instance.js';
import { type Built, instanceOf, parsed, planningContext } from './instance-rig.js';

describe('an on-demand query planned against the catalog', () => {
  it('runs in each app instance over its own table', () => {
    const app = parsed(`
define stream S (symbol string, price double);
@PrimaryKey('symbol') define table T (symbol string, price double);
`);
    const ctx = planningContext(app);
    const table = planTable(app.elements.find((el): el is TableDefinition => el.kind === 'table')!, "table 'T'");
    ctx.catalog.tables.set('T', table.spec);
    const put = planOnDemandQuery(parseOnDemandQuery("select 'IBM' as symbol, 10.0 as price insert into T"), ctx.catalog);
    const read = planOnDemandQuery(parseOnDemandQuery('from T on price > 5.0 select symbol, price'), ctx.catalog);
    const appOf = (b: Built): AppInstance => ({ ...b.inst, windows: new Map(), queries: new Map() });
    const [a, b] = [instanceOf(ctx, 'A'), instanceOf(ctx, 'B')].map((x) => {
      x.inst.tables.set('T', table.build(DISCARDED_CELLS));
      return appOf(x);
    });

    expect(put(a!).events).toEqual([]);
    expect(read(a!).events.map((e) => [...e.data])).toEqual([['IBM', 10]]);
    expect(read(b!).events).toEqual([]);
    expect(b!.tables.get('T')!.size).toBe(0);
  });
});
