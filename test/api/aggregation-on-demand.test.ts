// On-demand reads of `define aggregation` through runtime.query(), transcribed
// from the reference's Aggregation1TestCase (test names in each title), and the
// errors of bad `within` / `per` values.

import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../src/index.js';
import { SiddhiPlanError, SiddhiRuntimeError } from '../../src/errors.js';

const STOCK = 'define stream stockStream (symbol string, price float, lastClosingPrice float, volume long, quantity int, timestamp long);\n';
const AGG = `define aggregation stockAggregation from stockStream
  select symbol, avg(price) as avgPrice, sum(price) as totalPrice, (price * quantity) as lastTradeValue
  group by symbol aggregate by timestamp every sec...hour;`;

const EVENTS: unknown[][] = [
  ['WSO2', 50, 60, 90, 6, 1496289950000],
  ['WSO2', 70, null, 40, 10, 1496289950000],
  ['WSO2', 60, 44, 200, 56, 1496289952000],
  ['WSO2', 100, null, 200, 16, 1496289952000],
  ['IBM', 100, null, 200, 26, 1496289954000],
  ['IBM', 100, null, 200, 96, 1496289954000],
];

function started(events = EVENTS, extra: unknown[][] = []) {
  const rt = new SiddhiManager().createSiddhiAppRuntime(STOCK + AGG, { playback: true });
  rt.start();
  const send = rt.getInputHandler('stockStream');
  let t = 1000;
  for (const e of [...events, ...extra]) send.send(e, t++);
  return rt;
}

const rows = (events: { data: readonly unknown[] }[]) => events.map((e) => [...e.data]);
const CISCO = [['CISCO', 100, null, 200, 26, 1513578087000], ['CISCO', 100, null, 200, 96, 1513578087000]];

describe('runtime.query over an aggregation', () => {
  it('within a month pattern, per seconds (incrementalStreamProcessorTest5, Test24)', () => {
    // An event-time read comes out in the order of the reference's HashMap keyed 'start:-:symbol:-:'.
    const got = rows(started().query('from stockAggregation within "2017-06-** **:**:**" per "seconds"'));
    expect(got).toEqual([
      [1496289952000, 'WSO2', 80, 160, 1600],
      [1496289954000, 'IBM', 100, 200, 9600],
      [1496289950000, 'WSO2', 60, 120, 700],
    ]);
  });

  it('select * order by AGG_TIMESTAMP over a year pattern (incrementalStreamProcessorTest25, Test31)', () => {
    const rt = started(EVENTS, CISCO);
    expect(rows(rt.query('from stockAggregation within "2017-**-** **:**:**" per "seconds" select * order by AGG_TIMESTAMP'))).toEqual([
      [1496289950000, 'WSO2', 60, 120, 700],
      [1496289952000, 'WSO2', 80, 160, 1600],
      [1496289954000, 'IBM', 100, 200, 9600],
      [1513578087000, 'CISCO', 100, 200, 9600],
    ]);
  });

  it('day, hour, minute and second patterns, with and without a UTC offset (incrementalStreamProcessorTest32–35)', () => {
    const rt = started(EVENTS, CISCO);
    for (const within of ['2017-12-18 **:**:**', '2017-12-18 06:**:**', '2017-12-18 06:21:**', '2017-12-18 11:51:27 +05:30']) {
      expect(rows(rt.query(`from stockAggregation within "${within}" per "seconds" select * order by AGG_TIMESTAMP`)), within)
        .toEqual([[1513578087000, 'CISCO', 100, 200, 9600]]);
    }
  });

  it('on filters the rows; a month pattern with an offset (incrementalStreamProcessorTest11)', () => {
    const got = rows(started().query('from stockAggregation on symbol == "IBM" within "2017-06-** **:**:** +05:30" per "seconds"'));
    expect(got).toEqual([[1496289954000, 'IBM', 100, 200, 9600]]);
  });

  it('per hours rolls seconds up; per minutes with a start..end range', () => {
    const rt = started();
    expect(rows(rt.query('from stockAggregation within "2017-06-01 04:**:**" per "hours"'))).toEqual([
      [1496289600000, 'WSO2', 70, 280, 1600],
      [1496289600000, 'IBM', 100, 200, 9600],
    ]);
    expect(rows(rt.query("from stockAggregation within '2017-06-01 04:05:00', '2017-06-01 04:06:00' per 'min' select symbol, totalPrice"))).toEqual([
      ['IBM', 200],
      ['WSO2', 280],
    ]);
  });

  it('within 0L, end counts the buckets before end (incrementalStreamProcessorTest45)', () => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(`${STOCK}define aggregation stockAggregation from stockStream
      select symbol, sum(price) as totalPrice group by symbol aggregate by timestamp every sec...year;`, { playback: true });
    rt.start();
    const send = rt.getInputHandler('stockStream');
    const data = [
      ['WSO2', 50, 60, 90, 6, 1496289950000], ['IBM', 100, null, 200, 16, 1496289951011], ['IBM', 400, null, 200, 9, 1496289952000],
      ['IBM', 900, null, 200, 60, 1496289950000], ['WSO2', 500, null, 200, 7, 1496289951011], ['IBM', 100, null, 200, 26, 1496289953000],
      ['WSO2', 100, null, 200, 96, 1496289953000],
    ];
    data.forEach((d, i) => send.send(d, 1000 + i));
    expect(rt.query("from stockAggregation within 0L, 1496289953000L per 'seconds' select AGG_TIMESTAMP, symbol, totalPrice")).toHaveLength(5);
  });

  it('an aggregation without events reads nothing (incrementalStreamProcessorTest40)', () => {
    expect(started([]).query('from stockAggregation on symbol == "IBM" within "2017-06-** **:**:** +05:30" per "seconds"')).toEqual([]);
  });
});

describe('errors reading an aggregation', () => {
  const rt = started();
  const fails = (q: string, type: new (...a: never[]) => Error, fragment: string) => {
    expect(() => rt.query(q)).toThrow(type);
    expect(() => rt.query(q)).toThrow(fragment);
  };

  it('a duration the aggregation does not keep (incrementalStreamProcessorTest21)', () => {
    fails('from stockAggregation within "2017-06-** **:**:**" per "days"', SiddhiRuntimeError, 'does not aggregate per day');
  });

  it('per must be a duration string (incrementalStreamProcessorTest27)', () => {
    fails('from stockAggregation within "2017-06-** **:**:**" per 1000', SiddhiPlanError, "'per' must be a string");
    fails('from stockAggregation within "2017-06-** **:**:**" per "fortnights"', SiddhiPlanError, "'per fortnights' is not a duration");
  });

  it('start after end, bad patterns, a single long, mixed bounds (incrementalStreamProcessorTest28–30, 36, 37)', () => {
    fails('from stockAggregation within "2017-06-02 00:00:00", "2017-06-01 00:00:00" per "hours"', SiddhiPlanError, 'must be before its end');
    fails('from stockAggregation within "2017-06-** **:**:**:1000" per "hours"', SiddhiPlanError, 'is not');
    fails('from stockAggregation within "2017-06-** 12:**:**" per "hours"', SiddhiPlanError, 'is not');
    fails('from stockAggregation within 1513578087000L per "hours"', SiddhiPlanError, 'single');
    fails('from stockAggregation within "2017-12-18 11:51:27 +05:30", 156 per "hours"', SiddhiPlanError, 'must be before its end');
  });

  it('within and per are required, and only for aggregations', () => {
    fails('from stockAggregation', SiddhiPlanError, "needs 'within");
    fails('from stockAggregation within "2017-06-** **:**:**"', SiddhiPlanError, "needs 'per");
  });
});
