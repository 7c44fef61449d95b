// Every stateful operator kind must hand its state to the checkpoint manager.
// Each registry entry needs a sample here, so a new kind cannot slip in
// without a cell: the test fails until it is listed and registers one.

import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../src/index.js';
import { decodeCheckpoint } from '../../src/state/index.js';
import { WINDOW_KINDS } from '../../src/runtime/operators/windows.js';
import { AGGREGATOR_KINDS } from '../../src/runtime/aggregators/index.js';

const STREAM = 'define stream S (symbol string, price double, volume long, ts long, flag bool);';

const WINDOW_SAMPLES: Record<string, string> = {
  length: 'length(3)',
  time: 'time(1 sec)',
  timeLength: 'timeLength(1 sec, 3)',
  externalTime: 'externalTime(ts, 1 sec)',
  sort: "sort(3, price, 'asc')",
  delay: 'delay(1 sec)',
  frequent: 'frequent(2, symbol)',
  lossyFrequent: 'lossyFrequent(0.1, 0.01, symbol)',
  lengthBatch: 'lengthBatch(3)',
  timeBatch: 'timeBatch(1 sec)',
  externalTimeBatch: 'externalTimeBatch(ts, 1 sec)',
  batch: 'batch()',
  session: 'session(1 sec, symbol)',
  expression: "expression('count() <= 2')",
  expressionBatch: "expressionBatch('sum(price) < 10.0', true)",
  'unique:ever': 'unique:ever(symbol)',
  'unique:first': 'unique:first(symbol)',
  'unique:length': 'unique:length(symbol, 2)',
  'unique:time': 'unique:time(symbol, 1 sec)',
  'unique:lengthBatch': 'unique:lengthBatch(symbol, 2)',
  'unique:firstLengthBatch': 'unique:firstLengthBatch(symbol, 2)',
  'unique:timeBatch': 'unique:timeBatch(symbol, 1 sec)',
  'unique:firstTimeBatch': 'unique:firstTimeBatch(symbol, 1 sec)',
  'unique:timeLengthBatch': 'unique:timeLengthBatch(symbol, 1 sec, 2)',
  'unique:externalTimeBatch': 'unique:externalTimeBatch(symbol, ts, 1 sec, 0, 2 sec)',
  cron: "cron('*/5 * * * * ?')",
};

const AGGREGATOR_SAMPLES: Record<string, string> = {
  sum: 'sum(price)', count: 'count()', avg: 'avg(price)', min: 'min(price)', max: 'max(price)',
  distinctCount: 'distinctCount(symbol)', stdDev: 'stdDev(price)', minForever: 'minForever(price)',
  maxForever: 'maxForever(price)', and: 'and(flag)', or: 'or(flag)', unionSet: 'unionSet(createSet(symbol))',
  'str:groupConcat': 'str:groupConcat(symbol)', 'math:percentile': 'math:percentile(price, 50.0)',
  'json:group': "json:group('{}')", 'json:groupAsObject': "json:groupAsObject('{}', 'all', true)",
  'map:collect': 'map:collect(symbol, price)', 'map:merge': 'map:merge(map:create(symbol, price))',
  'list:collect': 'list:collect(symbol, true)', 'list:merge': 'list:merge(list:create(symbol))',
};

function cellKinds(app: string): string[] {
  const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
  rt.start();
  rt.getInputHandler('S').send(['A', 1.5, 2, 1000, true], 1000);
  const kinds = decodeCheckpoint(rt.snapshot()).cells.map((c) => c.kind);
  rt.shutdown();
  return kinds;
}

describe('every stateful operator kind registers a state cell', () => {
  it.each(Object.keys(WINDOW_KINDS))('window %s', (name) => {
    const sample = WINDOW_SAMPLES[name];
    expect(sample, `add a sample call for window '${name}' to WINDOW_SAMPLES`).toBeDefined();
    const kinds = cellKinds(`${STREAM}\nfrom S#window.${sample} select symbol insert all events into O;`);
    expect(kinds).toContain(`window.${name}`);
  });

  it.each(Object.keys(AGGREGATOR_KINDS))('aggregator %s (with and without group by)', (name) => {
    const sample = AGGREGATOR_SAMPLES[name];
    expect(sample, `add a sample call for aggregator '${name}' to AGGREGATOR_SAMPLES`).toBeDefined();
    expect(cellKinds(`${STREAM}\nfrom S select ${sample} as v insert into O;`)).toContain('selector.aggregates');
    expect(cellKinds(`${STREAM}\nfrom S select ${sample} as v group by symbol insert into O;`)).toContain('selector.groupBy');
  });

  it.each([
    ['output last every 2 events', 'rate.'],
    ['output all every 1 sec', 'rate.'],
    ['output first every 1 sec', 'rate.'],
    ['output snapshot every 1 sec', 'rate.'],
  ])('rate limiter %s', (rate, prefix) => {
    const kinds = cellKinds(`${STREAM}\nfrom S select symbol ${rate} insert all events into O;`);
    expect(kinds.some((k) => k.startsWith(prefix))).toBe(true);
  });

  it('cron triggers', () => {
    expect(cellKinds(`${STREAM}\ndefine trigger T at '0/5 * * * * ?';`)).toContain('trigger.cron');
  });

  it('periodic triggers', () => {
    expect(cellKinds(`${STREAM}\ndefine trigger T at every 1 sec;`)).toContain('trigger.periodic');
  });
});
