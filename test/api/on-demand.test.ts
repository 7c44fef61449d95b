// On-demand queries through runtime.query(): reads with filters, aggregation
// and group by over tables and named windows; table writes; errors with locations.

import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../src/index.js';
import { SiddhiParseError, SiddhiPlanError } from '../../src/errors.js';

const APP = `
define stream S (symbol string, price float, volume long);
@PrimaryKey('symbol')
define table T (symbol string, price float, volume long);
define window W (symbol string, price float, volume long) length(2);
from S insert into T;
from S insert into W;
`;

function started() {
  const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true });
  rt.start();
  const send = rt.getInputHandler('S');
  send.send(['IBM', 75.5, 100], 1000);
  send.send(['WSO2', 57.5, 200], 1010);
  send.send(['GOOG', 20.5, 300], 1020);
  return rt;
}

const rows = (events: { data: readonly unknown[] }[]) => events.map((e) => [...e.data]);

describe('runtime.query', () => {
  it('reads a table with on, select, order by and limit', () => {
    const rt = started();
    expect(rows(rt.query('from T on price > 50 select symbol, price order by price'))).toEqual([['WSO2', 57.5], ['IBM', 75.5]]);
    expect(rows(rt.query('from T select symbol limit 1'))).toEqual([['IBM']]);
    expect(rows(rt.query("from T on T.symbol == 'GOOG'"))).toEqual([['GOOG', 20.5, 300]]);
    expect(rows(rt.query('from T as t on t.volume >= 200 select t.symbol'))).toEqual([['WSO2'], ['GOOG']]);
  });

  it('aggregates, with and without group by', () => {
    const rt = started();
    expect(rows(rt.query('from T select sum(volume) as total, count() as n'))).toEqual([[600, 3]]);
    expect(rows(rt.query("from T on volume > 100 select symbol, sum(volume) as v group by symbol"))).toEqual([['WSO2', 200], ['GOOG', 300]]);
    expect(rows(rt.query('from T on volume > 1000 select count() as n'))).toEqual([]);
  });

  it('reads a named window', () => {
    const rt = started();
    expect(rows(rt.query('from W select symbol'))).toEqual([['WSO2'], ['GOOG']]);
  });

  it('deletes, updates and upserts', () => {
    const rt = started();
    expect(rt.query("delete T on T.symbol == 'IBM'")).toEqual([]);
    expect(rows(rt.query('from T select symbol'))).toEqual([['WSO2'], ['GOOG']]);
    rt.query("update T set T.volume = T.volume + 1 on T.symbol == 'WSO2'");
    rt.query("select 'GOOG' as symbol, 1.5f as price update T on T.symbol == symbol");
    expect(rows(rt.query('from T'))).toEqual([['WSO2', 57.5, 201], ['GOOG', 1.5, 300]]);
    rt.query("select 'MSFT' as symbol, 10f as price, 5L as volume update or insert into T on T.symbol == symbol");
    rt.query("select 'MSFT' as symbol, 11f as price, 6L as volume update or insert into T on T.symbol == symbol");
    rt.query("select 'ORCL' as symbol, 12f as price, 7L as volume insert into T");
    expect(rows(rt.query("from T on volume < 10"))).toEqual([['MSFT', 11, 6], ['ORCL', 12, 7]]);
  });

  it('on-demand writes are in the next checkpoint', () => {
    const rt = started();
    rt.query("delete T on T.volume > 100");
    const bytes = rt.snapshot();
    const again = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true });
    again.start();
    again.restore(bytes);
    expect(rows(again.query('from T select symbol'))).toEqual([['IBM']]);
  });

  it('reports syntax and plan errors with line and column', () => {
    const rt = started();
    const err = (q: string) => {
      try {
        rt.query(q);
      } catch (e) {
        return e as SiddhiParseError & SiddhiPlanError;
      }
      throw new Error('expected an error');
    };
    const p = err('from T on > 1 select symbol');
    expect(p).toBeInstanceOf(SiddhiParseError);
    expect(p.line).toBe(1);
    const q = err('from T on prize > 1 select symbol');
    expect(q).toBeInstanceOf(SiddhiPlanError);
    expect(q.message).toContain("table 'T' has no attribute 'prize'");
    expect([q.line, q.column]).toEqual([1, 11]);
    expect(err('from S select *').message).toContain("'S' is a stream, which keeps no events");
    expect(err("select 1 as x delete S on x == 1").message).toContain("on-demand queries write to tables only");
    expect(err('select 1 as x').message).toContain("needs 'from <table>' or a table write");
  });
  it("calls the app's define function and the manager's setFunction functions", () => {
    const m = new SiddhiManager();
    m.setFunction('plus1', { returnType: 'long', parameters: ['long'], fn: (v) => (v as number) + 1 });
    const rt = m.createSiddhiAppRuntime(`define function twice[javascript] return long { return data[0] * 2; };\n${APP}`, { playback: true });
    rt.start();
    rt.getInputHandler('S').send(['IBM', 75.5, 100], 1000);
    expect(rows(rt.query('from T select twice(volume) as w, plus1(volume) as p'))).toEqual([[200, 101]]);
    expect(() => rt.query('from T select thrice(volume) as w')).toThrow(/unknown function 'thrice'/);
  });
});
