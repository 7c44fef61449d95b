import { describe, expect, it } from 'vitest';
import { CURRENT, EXPIRED, Rig, asc, bin, call, k, out, selector, v } from './rig.js';

const STOCK = [['symbol', 'string'], ['price', 'float'], ['volume', 'int']] as [string, 'string' | 'float' | 'int'][];

describe('selector without aggregation', () => {
  it('projects every row of an emitted type', () => {
    const r = new Rig({ attributes: STOCK, selector: selector({ attributes: [out(v('symbol')), out(bin('*', v('volume'), k(2)), 'double')] }) });
    r.send([CURRENT, 1, 'IBM', 10, 1], [EXPIRED, 1, 'X', 1, 1], [CURRENT, 1, 'WSO2', 20, 3]);
    expect(r.rows()).toEqual([['IBM', 2], ['WSO2', 6]]);
    expect(r.planned.schema).toEqual([{ name: 'symbol', type: 'string' }, { name: 'double', type: 'int' }]);
    expect(r.cells.cells.size).toBe(0);
  });

  it('select * keeps the input schema; expired-only output keeps expired rows', () => {
    const r = new Rig({ attributes: STOCK, selector: selector({ star: true }), events: 'expired' });
    r.send([CURRENT, 1, 'IBM', 10, 1], [EXPIRED, 1, 'X', 1, 1]);
    expect(r.rows()).toEqual([['X', 1, 1, 'x']]);
    expect(r.planned.schema.map((a) => a.name)).toEqual(['symbol', 'price', 'volume']);
  });

  it('orders each run of one type, then applies offset and limit per chunk', () => {
    const r = new Rig({
      attributes: STOCK,
      selector: selector({ attributes: [out(v('symbol')), out(v('price'))], orderBy: [asc('price'), asc('volume', 'desc')], offset: k(1) }),
      events: 'all',
    });
    r.send([CURRENT, 1, 'a', 5, 1], [CURRENT, 1, 'b', 1, 2], [CURRENT, 1, 'c', 5, 3], [CURRENT, 1, 'd', 3, 4]);
    expect(r.rows()).toEqual([['d', 3], ['c', 5], ['a', 5]]);
    // limit-09: a sliding window emits one row per chunk, so offset 1 drops everything.
    const r2 = new Rig({ attributes: STOCK, selector: selector({ attributes: [out(v('symbol'))], orderBy: [asc('price')], limit: k(1), offset: k(1) }) });
    r2.send([EXPIRED, 1, 'a', 1, 1], [CURRENT, 1, 'b', 2, 2]);
    expect(r2.rows()).toEqual([]);
  });

  it('puts nulls after values in either direction', () => {
    const r = new Rig({ attributes: STOCK, selector: selector({ attributes: [out(v('symbol'))], orderBy: [asc('price', 'desc')] }) });
    r.send([CURRENT, 1, 'n', null, 1], [CURRENT, 1, 'a', 1, 1], [CURRENT, 1, 'b', 2, 1]);
    expect(r.rows()).toEqual([['b'], ['a'], ['n']]);
  });
});

describe('selector with aggregation, no group by', () => {
  it('emits the last row of each chunk with the aggregates as they stand after it', () => {
    const r = new Rig({ attributes: STOCK, selector: selector({ attributes: [out(v('symbol')), out(call('sum', v('volume')), 'total')] }), events: 'all' });
    r.add(1, 'a', 1, 10).add(2, 'b', 1, 20);
    r.send([EXPIRED, 3, 'a', 1, 10], [CURRENT, 3, 'c', 1, 5]);
    expect(r.rows()).toEqual([['a', 10], ['b', 30], ['c', 25]]);
    expect(r.planned.schema[1]).toEqual({ name: 'total', type: 'long' });
  });

  it('evaluates having per row: an early row of the chunk can be the one emitted', () => {
    // window-timebatch-08: expired rows count down 2,1,0 and only the first passes `count == 2`.
    const r = new Rig({
      attributes: STOCK,
      selector: selector({ attributes: [out(v('symbol')), out(call('count'), 'count')], having: bin('==', v('count'), k(2, 'long')) }),
      events: 'all',
    });
    r.add(1, 'W', 1, 1).add(2, 'I', 1, 1).add(3, 'W', 1, 1);
    r.send([EXPIRED, 4, 'W', 1, 1], [EXPIRED, 4, 'I', 1, 1], [EXPIRED, 4, 'W', 1, 1]);
    expect(r.rows()).toEqual([['I', 2], ['W', 2, 'x']]);
  });

  it('aggregates inside expressions, and limit has no further effect on a single row', () => {
    const r = new Rig({
      attributes: STOCK,
      selector: selector({ attributes: [out(bin('+', call('sum', v('price')), k(10)), 'p'), out(call('avg', v('volume')), 'a')], limit: k(2) }),
    });
    r.send([CURRENT, 1, 'a', 1.5, 1], [CURRENT, 1, 'a', 2.5, 3]);
    expect(r.rows()).toEqual([[14, 2]]);
    expect(r.planned.schema.map((a) => a.type)).toEqual(['double', 'double']);
  });

  it('nulls out aggregates of an emptied window; count is 0', () => {
    const r = new Rig({ attributes: STOCK, selector: selector({ attributes: [out(call('avg', v('price')), 'a'), out(call('count'), 'c')] }), events: 'expired' });
    r.add(1, 'a', 75, 1).expire(2, 'a', 75, 1);
    expect(r.rows()).toEqual([[null, 0, 'x']]);
  });

  it('RESET starts the aggregates over but keeps forever aggregators', () => {
    const r = new Rig({
      attributes: STOCK,
      selector: selector({ attributes: [out(call('sum', v('volume')), 's'), out(call('maxForever', v('volume')), 'm')] }),
    });
    r.add(1, 'a', 1, 7).reset(2).add(3, 'a', 1, 2);
    expect(r.rows()).toEqual([[7, 7], [2, 7]]);
  });
});

describe('selector with group by', () => {
  const grouped = () => selector({
    attributes: [out(v('symbol')), out(call('sum', v('volume')), 'total'), out(v('price'))],
    groupBy: [v('symbol')],
  });

  it('emits the last row per key in first-seen key order', () => {
    const r = new Rig({ attributes: STOCK, selector: grouped() });
    r.send([CURRENT, 1, 'IBM', 1, 1], [CURRENT, 1, 'WSO2', 2, 2], [CURRENT, 1, 'IBM', 3, 3], [CURRENT, 1, 'X', 4, 4]);
    expect(r.rows()).toEqual([['IBM', 4, 3], ['WSO2', 2, 2], ['X', 4, 4]]);
  });

  it('drops the state of a group whose rows all expired', () => {
    const r = new Rig({ attributes: STOCK, selector: grouped(), events: 'all' });
    r.add(1, 'IBM', 1, 5).add(2, 'W', 1, 1).expire(3, 'IBM', 1, 5).add(4, 'IBM', 1, 2);
    expect(r.rows()).toEqual([['IBM', 5, 1], ['W', 1, 1], ['IBM', null, 1, 'x'], ['IBM', 2, 1]]);
    const cell = r.cells.cells.get('q/selector')!;
    expect(cell.kind).toBe('selector.groupBy');
    r.expire(5, 'IBM', 1, 2);
    expect((cell.capture('full') as { g: { f: unknown[] } }).g.f.map((e) => (e as unknown[])[0])).toEqual(['W']);
  });

  it('groups by several attributes; order by an aggregate with limit', () => {
    const r = new Rig({
      attributes: STOCK,
      selector: selector({
        attributes: [out(v('symbol')), out(call('sum', v('price')), 'totalPrice'), out(v('volume'))],
        groupBy: [v('symbol'), v('volume')],
        orderBy: [asc('totalPrice', 'desc')],
        limit: k(2),
      }),
    });
    r.send([CURRENT, 1, 'A', 1, 1], [CURRENT, 1, 'A', 5, 2], [CURRENT, 1, 'B', 3, 1], [CURRENT, 1, 'A', 1, 1]);
    expect(r.rows()).toEqual([['A', 5, 2], ['B', 3, 1]]);
  });

  it('having sees the alias, which wins over the input attribute of the same name', () => {
    // filter-07
    const r = new Rig({
      attributes: STOCK,
      selector: selector({
        attributes: [out(v('symbol')), out(bin('+', call('sum', v('price')), k(10)), 'price')],
        groupBy: [v('symbol')],
        having: bin('>', v('price'), k(880)),
      }),
    });
    r.add(1, 'IBM', 700, 100).add(2, 'WSO2', 60.5, 200).add(3, 'IBM', 700, 100);
    expect(r.rows()).toEqual([['IBM', 1410]]);
  });
});

describe('selector checkpoints', () => {
  const make = () => new Rig({
    attributes: STOCK,
    selector: selector({
      attributes: [out(v('symbol')), out(call('sum', v('volume')), 's'), out(call('max', v('price')), 'm'), out(call('distinctCount', v('price')), 'd')],
      groupBy: [v('symbol')],
    }),
    events: 'all',
  });
  const before = (r: Rig) => r.add(1, 'A', 1, 1).add(2, 'B', 2, 2).add(3, 'A', 3, 3);
  const middle = (r: Rig) => r.add(4, 'C', 1, 1).expire(5, 'A', 1, 1);
  const after = (r: Rig) => r.expire(6, 'A', 3, 3).add(7, 'A', 2, 2).add(8, 'B', 9, 9).expire(9, 'C', 1, 1);

  it('full and delta captures restore into a fresh selector that continues identically', () => {
    const whole = make();
    before(whole); middle(whole); after(whole);

    const a = make();
    before(a);
    const full = a.cells.capture('full');
    middle(a);
    const delta = a.cells.capture('delta');
    const b = make();
    b.cells.restore(full);
    b.cells.restore(delta);
    after(b);
    expect(b.rows()).toEqual(whole.rows().slice(-4));

    const c = make();
    c.cells.restore(full);
    middle(c); after(c);
    expect(c.rows()).toEqual(whole.rows().slice(-6));
  });

  it('a delta ships only the groups that changed', () => {
    const a = make();
    before(a);
    a.cells.capture('full');
    a.add(4, 'A', 1, 1);
    const d = a.cells.capture('delta').get('q/selector') as { g: { set: unknown[][]; del: unknown[] } };
    expect(d.g.set.map((e) => e[0])).toEqual(['A']);
  });
});
