// Tables and aggregations are the instance's (plan-as-data Stage 4): a query
// blueprint reading or writing them, built in two instances, reads and writes
// each instance's own, with events played into the two interleaved.

import { describe, expect, it } from 'vitest';
import type { AggregationDefinition, TableDefinition } from '../../src/ast/index.js';
import { planAggregation } from '../../src/plan/plan-aggregation.js';
import { planTable } from '../../src/plan/plan-table.js';
import { DISCARDED_CELLS } from '../../src/runtime/instance.js';
import { planQuery } from '../../src/plan/plan-query.js';
import { CURRENT, StreamEvent } from '../../src/runtime/event.js';
import { type Built, instanceOf, parsed, planningContext, queryOf } from './instance-rig.js';

const send = (b: Built, stream: string, ...data: unknown[]) => b.inst.junctions.get(stream)!.process([new StreamEvent(0, data, CURRENT)]);

function outputs(b: Built, stream: string): unknown[][] {
  const out: unknown[][] = [];
  b.inst.junctions.get(stream)!.addCallback((events) => { for (const e of events) out.push([...e.data]); });
  return out;
}

/** Plans table T and the named queries of `app` once, and builds them in two instances A and B, each with its own T. */
function twoInstancesWithTable(app: ReturnType<typeof parsed>, names: readonly string[]) {
  const ctx = planningContext(app);
  const table = planTable(app.elements.find((el): el is TableDefinition => el.kind === 'table')!, "table 'T'");
  ctx.catalog.tables.set('T', table.spec);
  const blueprints = names.map((n) => planQuery(queryOf(app, n), n, ctx));
  const [a, b] = [instanceOf(ctx, 'A'), instanceOf(ctx, 'B')];
  for (const x of [a, b]) {
    x.inst.tables.set('T', table.build(DISCARDED_CELLS));
    for (const bp of blueprints) bp.instantiate(x.inst);
  }
  return { ctx, a, b };
}

describe('a join with an aggregation, one blueprint in two instances', () => {
  it('reads each instance its own aggregation', () => {
    const app = parsed(`
define stream Trades (symbol string, price double, ts long);
define stream Ask (symbol string);
define stream Out (symbol string, total double);
define aggregation TA from Trades select symbol, sum(price) as total group by symbol aggregate by ts every sec;
@info(name='q') from Ask as a join TA as t on a.symbol == t.symbol within 0L, 100000L per 'seconds'
select a.symbol as symbol, t.total as total insert into Out;
`);
    const ctx = planningContext(app);
    const def = app.elements.find((el): el is AggregationDefinition => el.kind === 'aggregation')!;
    const aggregation = planAggregation(def, ctx, "aggregation 'TA'");
    ctx.catalog.aggregations.set('TA', aggregation);
    const blueprint = planQuery(queryOf(app, 'q'), 'q', ctx);
    const [a, b] = [instanceOf(ctx, 'A'), instanceOf(ctx, 'B')];
    for (const x of [a, b]) {
      x.inst.aggregations.set('TA', aggregation.build(x.inst));
      blueprint.instantiate(x.inst);
    }
    const [outA, outB] = [outputs(a, 'Out'), outputs(b, 'Out')];

    send(a, 'Trades', 'IBM', 10, 1000);
    send(b, 'Trades', 'IBM', 20, 1000);
    send(a, 'Ask', 'IBM');
    send(b, 'Ask', 'IBM');
    send(a, 'Trades', 'IBM', 5, 1500);
    send(b, 'Ask', 'IBM');
    send(a, 'Ask', 'IBM');

    expect(outA).toEqual([['IBM', 10], ['IBM', 15]]);
    expect(outB).toEqual([['IBM', 20], ['IBM', 20]]);
  });
});

describe('table writes and a join with a table, one blueprint each in two instances', () => {
  it('write and read each instance its own table', () => {
    const app = parsed(`
define stream S (symbol string, price double);
define stream Q (symbol string);
define stream Out (symbol string, price double);
@PrimaryKey('symbol') define table T (symbol string, price double);
@info(name='put') from S select symbol, price update or insert into T set T.price = price on T.symbol == symbol;
@info(name='drop') from S[price < 0] delete T on T.symbol == symbol;
@info(name='look') from Q join T on Q.symbol == T.symbol select Q.symbol as symbol, T.price as price insert into Out;
`);
    const { a, b } = twoInstancesWithTable(app, ['put', 'drop', 'look']);
    const [outA, outB] = [outputs(a, 'Out'), outputs(b, 'Out')];

    send(a, 'S', 'IBM', 10);
    send(b, 'S', 'IBM', 20);
    send(a, 'Q', 'IBM');
    send(b, 'Q', 'IBM');
    send(a, 'S', 'IBM', 11);
    send(b, 'S', 'WSO2', 30);
    send(b, 'Q', 'IBM');
    send(a, 'Q', 'IBM');
    send(b, 'S', 'IBM', -1);
    send(b, 'Q', 'IBM');
    send(a, 'Q', 'WSO2');

    expect(outA).toEqual([['IBM', 10], ['IBM', 11]]);
    expect(outB).toEqual([['IBM', 20], ['IBM', 20]]);
    expect(a.inst.tables.get('T')!.size).toBe(1);
    expect(b.inst.tables.get('T')!.size).toBe(1);
  });
});

describe('`in T`, one blueprint in two instances', () => {
  it('reads each instance its own table, in a filter, a projection and a having', () => {
    const app = parsed(`
define stream S (symbol string, price double);
define stream Q (symbol string);
define stream Out (symbol string, known bool);
@PrimaryKey('symbol') define table T (symbol string, price double);
@info(name='put') from S select symbol, price insert into T;
@info(name='in') from Q[(T.symbol == symbol) in T] select symbol, (T.symbol == symbol) in T as known insert into Out;
@info(name='out') from Q select symbol, (T.symbol == symbol) in T as known having not ((T.symbol == symbol) in T) insert into Out;
`);
    const { a, b } = twoInstancesWithTable(app, ['put', 'in', 'out']);
    const [outA, outB] = [outputs(a, 'Out'), outputs(b, 'Out')];

    send(a, 'S', 'IBM', 10);
    send(b, 'S', 'WSO2', 20);
    send(a, 'Q', 'IBM');
    send(b, 'Q', 'IBM');
    send(b, 'Q', 'WSO2');
    send(a, 'Q', 'WSO2');

    expect(outA).toEqual([['IBM', true], ['WSO2', false]]);
    expect(outB).toEqual([['IBM', false], ['WSO2', true]]);
  });
});

describe('a table write, one blueprint in two instances sharing the tables', () => {
  it('reports through each instance its own errors', () => {
    const app = parsed(`
define stream S (symbol string, price double);
@PrimaryKey('symbol') define table T (symbol string, price double);
@info(name='put') from S select symbol, price insert into T;
`);
    const ctx = planningContext(app);
    const table = planTable(app.elements.find((el): el is TableDefinition => el.kind === 'table')!, "table 'T'");
    ctx.catalog.tables.set('T', table.spec);
    const put = planQuery(queryOf(app, 'put'), 'put', ctx);
    const a = instanceOf(ctx, 'A');
    a.inst.tables.set('T', table.build(DISCARDED_CELLS));
    const b0 = instanceOf(ctx, 'B');
    const b: Built = { ...b0, inst: { ...b0.inst, tables: a.inst.tables } };
    for (const x of [a, b]) put.instantiate(x.inst);

    send(a, 'S', 'IBM', 10);
    send(b, 'S', 'IBM', 20);
    send(a, 'S', 'WSO2', 30);
    send(a, 'S', 'WSO2', 31);

    expect(a.inst.tables.get('T')!.size).toBe(2);
    expect(a.errors).toEqual([expect.stringMatching(/WSO2.*already in table 'T'/)]);
    expect(b.errors).toEqual([expect.stringMatching(/IBM.*already in table 'T'/)]);
  });
});

describe('`in T` in a join\'s `per`, one blueprint in two instances', () => {
  it('reads each instance its own table', () => {
    const app = parsed(`
define stream Trades (symbol string, price double, ts long);
define stream Ask (symbol string);
define stream Out (symbol string, total double);
define table Secs (symbol string);
define aggregation TA from Trades select symbol, sum(price) as total group by symbol aggregate by ts every sec...min;
@info(name='q') from Ask as a join TA as t on a.symbol == t.symbol
within 0L, 100000L per ifThenElse((Secs.symbol == a.symbol) in Secs, 'seconds', 'minutes')
select a.symbol as symbol, t.total as total insert into Out;
`);
    const ctx = planningContext(app);
    const def = app.elements.find((el): el is AggregationDefinition => el.kind === 'aggregation')!;
    const aggregation = planAggregation(def, ctx, "aggregation 'TA'");
    ctx.catalog.aggregations.set('TA', aggregation);
    const secs = planTable(app.elements.find((el): el is TableDefinition => el.kind === 'table')!, "table 'Secs'");
    ctx.catalog.tables.set('Secs', secs.spec);
    const blueprint = planQuery(queryOf(app, 'q'), 'q', ctx);
    const [a, b] = [instanceOf(ctx, 'A'), instanceOf(ctx, 'B')];
    for (const x of [a, b]) {
      x.inst.tables.set('Secs', secs.build(DISCARDED_CELLS));
      x.inst.aggregations.set('TA', aggregation.build(x.inst));
      blueprint.instantiate(x.inst);
    }
    a.inst.tables.get('Secs')!.insert(0, ['IBM']);
    const [outA, outB] = [outputs(a, 'Out'), outputs(b, 'Out')];

    for (const x of [a, b]) {
      send(x, 'Trades', 'IBM', 10, 1000);
      send(x, 'Trades', 'IBM', 5, 2000);
      send(x, 'Ask', 'IBM');
    }

    expect(outA).toEqual([['IBM', 5], ['IBM', 10]]);
    expect(outB).toEqual([['IBM', 15]]);
  });
});
