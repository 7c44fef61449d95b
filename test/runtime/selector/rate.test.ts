import { describe, expect, it } from 'vitest';
import { CURRENT, EXPIRED, Rig, call, every, out, per, selector, snapshot, v } from './rig.js';

const LOGIN = [['ts', 'long'], ['ip', 'string'], ['calls', 'int']] as [string, 'long' | 'string' | 'int'][];
const ips = (r: Rig) => r.rows().map((x) => x[0]);
const ipOnly = (grouped = false) => selector({ attributes: [out(v('ip'))], ...(grouped ? { groupBy: [v('ip')] } : {}) });

function feed(r: Rig, items: [number, string][]): Rig {
  for (const [t, ip] of items) r.add(t, t, ip, 1);
  return r;
}

describe('output every N events', () => {
  it('all: releases N at a time and holds the rest (ratelimit-event-01)', () => {
    const r = feed(new Rig({ attributes: LOGIN, selector: ipOnly(), rate: every('all', 2) }),
      [[1, 'a'], [2, 'a'], [3, 'b'], [4, 'a'], [5, 'c']]);
    expect(ips(r)).toEqual(['a', 'a', 'b', 'a']);
    expect(r.sizes()).toEqual([2, 2]);
  });

  it('first with group by: the first of each key within every N of that key (ratelimit-event-04)', () => {
    const r = feed(new Rig({ attributes: LOGIN, selector: ipOnly(true), rate: every('first', 5) }),
      [[1, '5'], [2, '5'], [3, '3'], [4, '9'], [5, '4'], [6, '4'], [7, '4'], [8, '30']]);
    expect(ips(r)).toEqual(['5', '3', '9', '4', '30']);
  });

  it('first / last without group by', () => {
    const items: [number, string][] = [[1, 'a'], [2, 'b'], [3, 'c'], [4, 'd'], [5, 'e']];
    expect(ips(feed(new Rig({ attributes: LOGIN, selector: ipOnly(), rate: every('first', 2) }), items))).toEqual(['a', 'c', 'e']);
    expect(ips(feed(new Rig({ attributes: LOGIN, selector: ipOnly(), rate: every('last', 2) }), items))).toEqual(['b', 'd']);
  });

  it('last with group by counts output events and keeps first-seen key order (ratelimit-event-05)', () => {
    const r = new Rig({
      attributes: LOGIN,
      selector: selector({ attributes: [out(v('ip')), out(call('count'), 'total')], groupBy: [v('ip')] }),
      rate: every('last', 5),
    });
    // lengthBatch(4) flushes: [expired previous batch…, current batch…] in one chunk.
    let previous: string[] = [];
    const batch = (ips: string[], t: number) => {
      r.send(
        ...previous.map((ip) => [EXPIRED, t, t, ip, 1] as [typeof EXPIRED, number, ...unknown[]]),
        ...ips.map((ip) => [CURRENT, t, t, ip, 1] as [typeof CURRENT, number, ...unknown[]]),
      );
      previous = ips;
    };
    batch(['5', '3', '3', '9'], 10);
    batch(['3', '4', '4', '4'], 20);
    batch(['30', '31', '32', '33'], 30);
    expect(r.rows()).toEqual([['5', 1], ['3', 1], ['9', 1], ['4', 3]]);
  });
});

describe('output every T', () => {
  const items: [number, string][] = [[10, '5'], [20, '3'], [1150, '9'], [1160, '4'], [2300, '30']];

  it('first: emits, then suppresses for T (ratelimit-time-02)', () => {
    const r = feed(new Rig({ attributes: LOGIN, selector: ipOnly(), rate: per('first', 1000) }), items).advance(3400);
    expect(ips(r)).toEqual(['5', '9', '30']);
  });

  it('last: releases the latest event of each period at ticks k·T (ratelimit-time-03)', () => {
    const r = feed(new Rig({ attributes: LOGIN, selector: ipOnly(), rate: per('last', 1000) }), items);
    expect(ips(r)).toEqual(['3', '4']);
    r.advance(3400);
    expect(ips(r)).toEqual(['3', '4', '30']);
  });

  it('all: releases everything held at each tick', () => {
    const r = feed(new Rig({ attributes: LOGIN, selector: ipOnly(), rate: per('all', 1000) }), items).advance(3400);
    expect(r.sizes()).toEqual([2, 2, 1]);
  });

  it('last with group by: the last event of every key seen in the period (ratelimit-time-04)', () => {
    const r = feed(new Rig({ attributes: LOGIN, selector: ipOnly(true), rate: per('last', 1000) }),
      [[10, '5'], [20, '5'], [30, '3'], [40, '9'], [50, '4'], [1150, '4'], [1160, '4'], [1170, '30']]).advance(2300);
    expect(ips(r)).toEqual(['5', '3', '9', '4', '4', '30']);
  });

  it('last: a clock jump costs one tick, and the ticks stay at k·T (epoch timestamps)', () => {
    const start = 1_700_000_000_000;
    const r = feed(new Rig({ attributes: LOGIN, selector: ipOnly(), rate: per('last', 1000) }),
      [[10, 'a'], [start + 10, 'b'], [start + 20, 'c'], [start + 1500, 'd']]);
    expect(ips(r)).toEqual(['a', 'c']);
    expect(r.scheduler.peek()).toBe(start + 2000);
  });

  it('first with group by: suppression per key', () => {
    const r = feed(new Rig({ attributes: LOGIN, selector: ipOnly(true), rate: per('first', 1000) }),
      [[10, 'a'], [20, 'b'], [30, 'a'], [1015, 'a'], [1016, 'b'], [1025, 'b']]);
    expect(ips(r)).toEqual(['a', 'b', 'a', 'b']);
  });
});

describe('output snapshot every T', () => {
  it('needs insert all events', () => {
    expect(() => new Rig({ attributes: LOGIN, selector: ipOnly(), rate: snapshot(1000) })).toThrow(/'output snapshot' needs 'insert all events into'/);
  });

  it('no window: re-emits the latest row at every tick (ratelimit-snapshot-01)', () => {
    const r = new Rig({ attributes: LOGIN, selector: ipOnly(), rate: snapshot(1000), events: 'all' });
    r.add(1200, 1200, 'a', 1).add(1700, 1700, 'b', 1).advance(3900);
    expect(ips(r)).toEqual(['b', 'b']);
  });

  it('no window, group by with sums: every group seen so far (ratelimit-snapshot-03)', () => {
    const r = new Rig({
      attributes: LOGIN,
      selector: selector({ attributes: [out(v('ip')), out(call('sum', v('calls')), 'total')], groupBy: [v('ip')] }),
      rate: snapshot(1000),
      events: 'all',
    });
    r.add(1100, 0, '5', 3).add(1110, 0, '3', 6).add(3300, 0, '5', 2).add(3310, 0, '3', 10).advance(4500);
    expect(r.rows()).toEqual([['5', 3], ['3', 6], ['5', 3], ['3', 6], ['5', 5], ['3', 16]]);
  });

  it('window, all outputs aggregated: nothing while the window is empty (ratelimit-snapshot-04)', () => {
    const r = new Rig({
      attributes: LOGIN,
      selector: selector({ attributes: [out(call('sum', v('calls')), 'total')] }),
      rate: snapshot(1000),
      events: 'all',
      windowed: true,
    });
    r.add(1100, 0, 'a', 3).add(1200, 0, 'b', 6).advance(2050);
    r.expire(2100, 0, 'a', 3).expire(2200, 0, 'b', 6).advance(3050);
    r.add(3400, 0, 'a', 2).add(3500, 0, 'b', 10).advance(4700);
    expect(r.rows()).toEqual([[9], [12]]);
  });

  it('window with some aggregation: the rows in the window with the latest aggregates', () => {
    const r = new Rig({
      attributes: LOGIN,
      selector: selector({ attributes: [out(v('ip')), out(call('sum', v('calls')), 'total')] }),
      rate: snapshot(1000),
      events: 'all',
      windowed: true,
    });
    r.add(100, 0, 'a', 1).add(200, 0, 'b', 2).add(300, 0, 'c', 4).expire(400, 0, 'b', 2).advance(1000);
    expect(r.rows()).toEqual([['a', 5], ['c', 5]]);
  });
});

describe('rate limiter checkpoints', () => {
  const cases = [
    ['all every 3 events', () => new Rig({ attributes: LOGIN, selector: ipOnly(), rate: every('all', 3) })],
    ['last every 3 events by ip', () => new Rig({ attributes: LOGIN, selector: ipOnly(true), rate: every('last', 3) })],
    ['first every 2 events by ip', () => new Rig({ attributes: LOGIN, selector: ipOnly(true), rate: every('first', 2) })],
    ['last every 1 sec', () => new Rig({ attributes: LOGIN, selector: ipOnly(), rate: per('last', 1000) })],
    ['all every 1 sec', () => new Rig({ attributes: LOGIN, selector: ipOnly(), rate: per('all', 1000) })],
    ['first every 1 sec by ip', () => new Rig({ attributes: LOGIN, selector: ipOnly(true), rate: per('first', 1000) })],
    ['snapshot by ip', () => new Rig({ attributes: LOGIN, selector: ipOnly(true), rate: snapshot(1000), events: 'all' })],
    ['snapshot windowed', () => new Rig({ attributes: LOGIN, selector: ipOnly(), rate: snapshot(1000), events: 'all', windowed: true })],
  ] as const;
  const before: [number, string][] = [[100, 'a'], [200, 'b'], [1100, 'a']];
  const middle: [number, string][] = [[1200, 'c'], [1300, 'a']];
  const after: [number, string][] = [[2100, 'b'], [2200, 'a'], [2300, 'd'], [3100, 'a'], [3200, 'b']];

  it.each(cases)('%s: full + delta restore into a fresh runtime continues identically', (_name, make) => {
    const whole = make();
    feed(whole, before); feed(whole, middle);
    const mark = whole.rows().length;
    feed(whole, after).advance(5000);

    const a = make();
    feed(a, before);
    const full = a.cells.capture('full');
    feed(a, middle);
    const delta = a.cells.capture('delta');
    // A fresh runtime at the checkpoint's time, its scheduler cleared before the restore.
    const b = make();
    b.scheduler.advanceTo(1300);
    b.scheduler.clear();
    b.cells.restore(full);
    b.cells.restore(delta);
    feed(b, after).advance(5000);
    expect(b.rows()).toEqual(whole.rows().slice(mark));
  });
});
