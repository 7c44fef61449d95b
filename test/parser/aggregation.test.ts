// `define aggregation` and `within … per …` reads as the parser builds them,
// and the syntax errors (with line, column and hint) of bad durations.

import { describe, expect, it } from 'vitest';
import { parseApp, parseOnDemandQuery } from '../../src/parser/index.js';
import { SiddhiParseError } from '../../src/errors.js';
import { elementsOf, str, v, withoutLoc } from './helpers.js';

const STREAM = 'define stream S (ts long, symbol string, price float);\n';

function aggregationOf(text: string) {
  const el = elementsOf(STREAM + text)[1]!;
  if (el.kind !== 'aggregation') throw new Error(`not an aggregation: ${el.kind}`);
  return el;
}

function syntaxError(text: string): SiddhiParseError {
  try {
    parseApp(text);
  } catch (e) {
    if (e instanceof SiddhiParseError) return e;
    throw e;
  }
  throw new Error('parsed');
}

describe('define aggregation', () => {
  it('a range of durations, aggregate by an attribute, group by, a filter and annotations', () => {
    const a = aggregationOf(`@purge(enable='true', interval='10 sec', @retentionPeriod(sec='120 sec', min='all'))
      define aggregation A from S[price > 0] select symbol, sum(price) as total group by symbol aggregate by ts every sec ... day`);
    expect(a.name).toBe('A');
    expect(a.durations).toEqual(['sec', 'min', 'hour', 'day']);
    expect(withoutLoc(a.by)).toEqual(v('ts'));
    expect(a.input.stream).toBe('S');
    expect(a.input.handlers.map((h) => h.kind)).toEqual(['filter']);
    expect(withoutLoc(a.selector.groupBy)).toEqual([v('symbol')]);
    expect(a.annotations[0]!.name).toBe('purge');
    expect(a.annotations[0]!.annotations[0]!.elements.map((e) => [e.key, e.value])).toEqual([['sec', '120 sec'], ['min', 'all']]);
  });

  it('a list of durations comes out finest first; without by, event time is the timestamp', () => {
    const a = aggregationOf('define aggregation A from S select sum(price) as total aggregate every day, sec, hours');
    expect(a.durations).toEqual(['sec', 'hour', 'day']);
    expect(a.by).toBeUndefined();
    expect(aggregationOf('define aggregation A from S select sum(price) as t aggregate every month').durations).toEqual(['month']);
    expect(aggregationOf('define aggregation A from S select sum(price) as t aggregate every min...year').durations)
      .toEqual(['min', 'hour', 'day', 'month', 'year']);
  });

  it('weeks and milliseconds are not durations; a reversed range and a repeated duration are errors', () => {
    const week = syntaxError(`${STREAM}define aggregation A from S select sum(price) as t aggregate every week`);
    expect(week.problems[0]).toMatchObject({ line: 2, column: 68, hint: 'use sec, min, hour, day, month, year' });
    expect(week.message).toContain("'week' is not an aggregation duration");
    expect(syntaxError(`${STREAM}define aggregation A from S select sum(price) as t aggregate every ms`).message).toContain("'ms' is not");
    expect(syntaxError(`${STREAM}define aggregation A from S select sum(price) as t aggregate every day ... sec`).message)
      .toContain('from the finer duration to the coarser');
    expect(syntaxError(`${STREAM}define aggregation A from S select sum(price) as t aggregate every sec, sec`).message)
      .toContain("duration 'sec' is listed twice");
  });

  it('aggregate every is required', () => {
    const e = syntaxError(`${STREAM}define aggregation A from S select sum(price) as t`);
    expect(e.problems[0]!.line).toBe(2);
  });

  it('aggregation, aggregate and per stay usable as names', () => {
    expect(() => parseApp('define stream aggregation (aggregate int, per string); from aggregation select aggregate, per insert into O;')).not.toThrow();
  });
});

describe('reading an aggregation on demand', () => {
  it('on, within with two bounds and per', () => {
    const q = parseOnDemandQuery("from A on symbol == 'IBM' within '2017-06-01 00:00:00', 1496300000000L per 'hours' select *");
    expect(withoutLoc(q.input!.within)).toEqual({
      start: str('2017-06-01 00:00:00'),
      end: { kind: 'constant', type: 'long', value: 1496300000000 },
      per: str('hours'),
    });
  });

  it('a single within pattern', () => {
    const q = parseOnDemandQuery('from A within "2017-06-** **:**:**" per "days"');
    expect(withoutLoc(q.input!.within)).toEqual({ start: str('2017-06-** **:**:**'), per: str('days') });
  });
});
