// On-demand queries ported from the reference's store/OnDemandQueryTableTestCase and
// OnDemandQueryWindowTestCase: reads (on, select, having, group by, order by, limit),
// writes (insert, delete, update, update or insert with set) and refusals, with the
// rows and counts those tests assert. Where the reference returns null (no events) we return [].

import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../src/index.js';

const STOCK = 'define stream StockStream (symbol string, price float, volume long); ';
const INTO_TABLE = "@info(name = 'query1') from StockStream insert into StockTable ;";
const TABLE = `${STOCK}define table StockTable (symbol string, price float, volume long); ${INTO_TABLE}`;
const PK_TABLE = `${STOCK}@PrimaryKey('symbol') define table StockTable (symbol string, price float, volume long); ${INTO_TABLE}`;
const ID_TABLE =
  'define stream StockStream (id int, symbol string, volume int); define table StockTable (id int, symbol string, volume int); ' + INTO_TABLE;

function started(app: string, rows: readonly (readonly unknown[])[]) {
  const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
  rt.start();
  const send = rt.getInputHandler('StockStream');
  rows.forEach((r, i) => send.send([...r], 1000 + i));
  const q = (text: string) => rt.query(text).map((e) => [...e.data]);
  return { rt, q };
}

const THREE = [['WSO2', 55.6, 100], ['IBM', 75.6, 100], ['WSO2', 57.6, 100]] as const;
const RISING = [['WSO2', 55.6, 100], ['IBM', 75.6, 200], ['WSO2', 57.6, 300]] as const;
const f32 = (x: number) => Math.fround(x);

describe('OnDemandQueryTableTestCase', () => {
  it('test1: from, on a constant and on an expression', () => {
    const { q } = started(TABLE, THREE);
    expect(q('from StockTable ')).toHaveLength(3);
    expect(q('from StockTable on price > 75 ')).toHaveLength(1);
    expect(q('from StockTable on price > volume*3/4  ')).toHaveLength(1);
  });

  it('test2: select and having', () => {
    const { q } = started(TABLE, THREE);
    expect(q('from StockTable on price > 75 select symbol, volume ')).toEqual([['IBM', 100]]);
    expect(q('from StockTable select symbol, volume ')).toHaveLength(3);
    expect(q("from StockTable on price > 5 select symbol, volume having symbol == 'WSO2' ")).toEqual([['WSO2', 100], ['WSO2', 100]]);
  });

  it('test3: group by with and without having', () => {
    const { q } = started(TABLE, THREE);
    expect(q('from StockTable on price > 5 select symbol, sum(volume) as totalVolume group by symbol having totalVolume >150 ')).toEqual([['WSO2', 200]]);
    expect(q('from StockTable on price > 5 select symbol, sum(volume) as totalVolume group by symbol  ')).toHaveLength(2);
    expect(q('from StockTable on price > 5 select symbol, sum(volume) as totalVolume group by symbol,price  ')).toHaveLength(3);
  });

  it('test4, test5: an unknown attribute or table is refused', () => {
    const { q } = started(TABLE, THREE);
    expect(() => q('from StockTable on price > 5 select symbol1, sum(volume) as totalVolume group by symbol having totalVolume >150 ')).toThrow(/symbol1/);
    expect(() => q('from StockTable1 on price > 5 select symbol1, sum(volume) as totalVolume group by symbol having totalVolume >150 ')).toThrow(/StockTable1/);
  });

  it('test6: a select item without as is a syntax error', () => {
    const { q } = started(TABLE, THREE);
    expect(() => q('from StockTable1 on price > 5 select symbol1, sum(volume)  totalVolume group by symbol having totalVolume >150 ')).toThrow(/syntax/);
  });

  it('test7: on the primary key', () => {
    const { q } = started(PK_TABLE, THREE);
    expect(q("from StockTable on symbol == 'IBM' select symbol, volume ")).toEqual([['IBM', 100]]);
  });

  it('test9: order by and limit over a primary-key table', () => {
    // The second WSO2 row replaces nothing: a primary-key insert of an existing key is dropped.
    const { q } = started(PK_TABLE, THREE);
    expect(q('from StockTable on volume > 10 select symbol, price, volume order by price limit 2 ')).toEqual([
      ['WSO2', f32(55.6), 100],
      ['IBM', f32(75.6), 100],
    ]);
  });

  it('test10, test11: aggregates, run twice', () => {
    const { q } = started(PK_TABLE, THREE);
    for (let i = 0; i < 2; i++) {
      const all = q('from StockTable on volume > 10 select symbol, price, sum(volume) as totalVolume ');
      expect(all).toHaveLength(1);
      expect(all[0]![2]).toBe(200);
      const grouped = q('from StockTable on volume > 10 select symbol, price, sum(volume) as totalVolume group by symbol ');
      expect(grouped.map((r) => r[2])).toEqual([100, 100]);
    }
  });

  it('test14: update or insert with set updates the matching row only in the columns set', () => {
    const { q } = started(TABLE, RISING);
    const upsert =
      'select "newSymbol" as symbol, 123.45f as price, 123L as volume update or insert into StockTable ' +
      'set StockTable.symbol = symbol, StockTable.price=price on StockTable.volume == 100L ';
    for (let i = 0; i < 2; i++) {
      q(upsert);
      expect(q('from StockTable select * having volume == 100L;')).toEqual([['newSymbol', f32(123.45), 100]]);
    }
  });

  it('test15: update or insert with set inserts the whole row when nothing matches', () => {
    const { q } = started(TABLE, RISING);
    q(
      'select "newSymbol" as symbol, 123.45f as price, 123L as volume update or insert into StockTable ' +
        'set StockTable.symbol = symbol, StockTable.price=price on StockTable.volume == 500L ',
    );
    expect(q('from StockTable select *;')).toHaveLength(4);
    expect(q('from StockTable select * having volume == 123L;')).toEqual([['newSymbol', f32(123.45), 123]]);
  });

  it('test16, test17: delete, with and without a select, run twice', () => {
    for (const del of ['select 100L as vol delete StockTable on StockTable.volume == vol;', 'delete StockTable on StockTable.volume == 100L;']) {
      const { q } = started(TABLE, [['WSO2', 55.6, 100], ['IBM', 75.6, 200], ['GOOGLE', 57.6, 300]]);
      expect(q('from StockTable select *;')).toHaveLength(3);
      q(del);
      expect(q('from StockTable select *;')).toHaveLength(2);
      expect(q('from StockTable select * having volume == 100L')).toEqual([]);
      q(del);
      expect(q('from StockTable select * having volume == 100L')).toEqual([]);
    }
  });

  const IDS = [[1, 'WSO2', 100], [2, 'IBM', 200], [3, 'GOOGLE', 300]] as const;

  it('test18: insert, run twice', () => {
    const { q } = started(ID_TABLE, IDS);
    expect(q('from StockTable select *;')).toHaveLength(3);
    const insert = 'select 10 as id, "YAHOO" as symbol, 400 as volume insert into StockTable;';
    q(insert);
    expect(q('from StockTable select *;')).toHaveLength(4);
    expect(q('from StockTable select * having id == 10;')).toEqual([[10, 'YAHOO', 400]]);
    q(insert);
    expect(q('from StockTable select * having id == 10;')).toHaveLength(2);
  });

  it('test19, test20: update with set, from constants or from a select', () => {
    for (const update of [
      'update StockTable set StockTable.symbol="MICROSOFT", StockTable.volume=2000 on StockTable.id==2;',
      'select "MICROSOFT" as newSymbol, 2000 as newVolume update StockTable set StockTable.symbol=newSymbol, StockTable.volume=newVolume on StockTable.id==2;',
    ]) {
      const { q } = started(ID_TABLE, IDS);
      for (let i = 0; i < 2; i++) {
        q(update);
        expect(q('from StockTable select *;')).toHaveLength(3);
        expect(q('from StockTable select * having id == 2')).toEqual([[2, 'MICROSOFT', 2000]]);
      }
    }
  });
});

describe('OnDemandQueryWindowTestCase', () => {
  const window = (n: number) => `${STOCK}define window StockWindow (symbol string, price float, volume long) length(${n}); @info(name = 'query1') from StockStream insert into StockWindow ;`;

  it('test1: reads what the length window holds', () => {
    const { q } = started(window(2), THREE);
    expect(q('from StockWindow ')).toHaveLength(2);
    expect(q('from StockWindow on price > 75 ')).toHaveLength(1);
    expect(q('from StockWindow on price > volume*3/4  ')).toHaveLength(1);
  });

  it('test2, test3: select, having and group by', () => {
    const { q } = started(window(3), THREE);
    expect(q('from StockWindow on price > 75 select symbol, volume ')).toEqual([['IBM', 100]]);
    expect(q("from StockWindow on price > 5 select symbol, volume having symbol == 'WSO2' ")).toHaveLength(2);
    expect(q('from StockWindow on price > 5 select symbol, sum(volume) as totalVolume group by symbol having totalVolume >150 ')).toEqual([['WSO2', 200]]);
    expect(q('from StockWindow on price > 5 select symbol, sum(volume) as totalVolume group by symbol  ')).toHaveLength(2);
  });

  it('test5: an unknown window is refused', () => {
    const { q } = started(window(3), []);
    expect(() => q('from StockWindow1 on price > 5 select symbol1, sum(volume) as totalVolume group by symbol having totalVolume >150 ')).toThrow(/StockWindow1/);
  });
});
