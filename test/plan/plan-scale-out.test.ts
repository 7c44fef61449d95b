// The partition-safety check of scale-out: which apps run on P > 1 partitions,
// the PLAN errors naming the query for the others, and the router's keys.

import { describe, expect, it } from 'vitest';
import { parseApp, planScaleOut, SiddhiPlanError } from '../../src/index.js';
import { planRefusal } from '../plan-refusal.js';

const TRADES = 'define stream Trades (symbol string, price double, volume long);\n';

const refusal = (text: string, partitions = 4): SiddhiPlanError => planRefusal(() => planScaleOut(parseApp(text), partitions));

describe('planScaleOut', () => {
  it('accepts partitioned stateful queries and stateless outer queries, keying by the declared key', () => {
    const plan = planScaleOut(parseApp(`${TRADES}define stream Quotes (sym string, bid double);
      from Quotes[bid > 0] select sym, bid insert into Clean;
      partition with (str:upper(symbol) of Trades) begin
        from Trades#window.length(3) select symbol, sum(volume) as v insert into #Sums;
        from #Sums select symbol, v insert into Sums;
      end;
      from Sums[v > 10] select * insert into Big;`), 4);
    expect([...plan.routes.keys()]).toEqual(['Trades', 'Quotes']);
    expect(plan.routes.get('Trades')!.keyOf!(['ibm', 1, 2])).toBe('IBM');
    expect(plan.routes.get('Quotes')!.keyOf).toBeUndefined();
  });

  it('refuses a stateful query outside partitions, naming it', () => {
    const e = refusal(`${TRADES}@info(name='total') from Trades#window.length(5) select sum(volume) as v insert into Out;`);
    expect(e.code).toBe('PLAN');
    expect(e.message).toBe("query 'total': is stateful (a window) and outside any partition block");
    expect(e.line).toBe(2);
    expect(refusal(`${TRADES}from Trades select symbol, max(price) as m insert into Out;`).message).toContain("query 'query1': is stateful (the aggregator max())");
    expect(refusal(`${TRADES}from Trades select symbol output last every 2 events insert into Out;`).message).toContain('an output rate limit');
    expect(refusal(`${TRADES}from every a=Trades -> b=Trades[price > a.price] select a.symbol insert into Out;`).message).toContain('a pattern');
  });

  it('routes a range partition by the labels an event matches, and refuses an outer query reading its stream', () => {
    const ranges = `partition with (price < 10 as 'low' or price >= 5 as 'mid' or price > 100 as 'high' of Trades) begin
      from Trades#window.length(2) select symbol, sum(price) as total insert into Out; end;`;
    const route = planScaleOut(parseApp(`${TRADES}${ranges}`), 4).routes.get('Trades')!;
    expect(route.keyOf).toBeUndefined();
    expect([3, 7, 50, 200].map((price) => route.labelsOf!(['A', price, 1]))).toEqual([['low'], ['low', 'mid'], ['mid'], ['mid', 'high']]);
    const e = refusal(`${TRADES}${ranges}\n@info(name='copy') from Trades select symbol insert into Copies;`);
    expect(e.message).toContain("query 'copy': reads 'Trades', which a range partition sends to the partition of every label it matches");
    expect(e.line).toBe(4);
    expect(refusal(`${TRADES}${ranges}\npartition with (price < 20 as 'low' of Trades) begin from Trades select symbol insert into B; end;`).message)
      .toContain('two different keys');
  });

  it('refuses partitions the router cannot feed: derived streams, two keys, unpartitioned reads', () => {
    expect(refusal(`${TRADES}from Trades select symbol, price insert into Derived;
      partition with (symbol of Derived) begin from Derived#window.length(2) select symbol insert into Out; end;`).message)
      .toContain("'Derived' is produced by a query");
    expect(refusal(`${TRADES}partition with (symbol of Trades) begin from Trades select symbol insert into A; end;
      partition with (price of Trades) begin from Trades select symbol insert into B; end;`).message).toContain('two different keys');
    const e = refusal(`${TRADES}define stream Limits (symbol string, max double);
      partition with (symbol of Trades) begin
        @info(name='join') from Trades#window.length(1) join Limits#window.length(1) on Trades.symbol == Limits.symbol
        select Trades.symbol insert into Out;
      end;`);
    expect(e.message).toContain("query 'join': reads 'Limits', which this partition block does not partition");
  });

  it('refuses app-wide state: tables, named windows, triggers', () => {
    expect(refusal(`${TRADES}define table T (symbol string); from Trades select symbol insert into T;`).message).toContain("table 'T'");
    expect(refusal(`${TRADES}define trigger Tick at every 1 sec;`).message).toContain("trigger 'Tick'");
  });

  it('takes any app for one partition (failover only), and refuses a bad count', () => {
    const plan = planScaleOut(parseApp(`${TRADES}from Trades#window.length(5) select sum(volume) as v insert into Out;`), 1);
    expect(plan.partitions).toBe(1);
    expect(refusal(TRADES, 0).message).toContain('positive integer');
  });
});
