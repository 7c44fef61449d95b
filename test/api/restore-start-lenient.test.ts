import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../src/index.js';
import type { SiddhiAppRuntime } from '../../src/index.js';

// Restored before it starts, started, then restored leniently from a checkpoint of an edited app that lacks some
// cells: those cells go back to their state at start, started (a periodic trigger keeps firing, a pattern keeps
// matching, aggregation purging goes on) and as they were then, whatever later events wrote into them.

const OLD = `
@app:name('RestoreStartLenient')
define stream S (v long);
define table Tab (v long);
from S select v insert into Tab;
`;

const NEW = `${OLD}
define trigger E at every 1 sec;
define table Fired (t long);
from E select triggered_time as t insert into Fired;
define stream P (v long);
@info(name = 'pat') from every e1=S -> e2=P[v > e1.v] select e1.v as a, e2.v as b insert into Matched;
define stream A (symbol string, price double);
@purge(enable='true', interval='10 sec', @retentionPeriod(sec='120 sec', min='all'))
define aggregation Agg from A select symbol, sum(price) as total group by symbol aggregate every sec...min;
define window W (v long) length(6000);
from S select v insert into W;
`;

function create(text: string): SiddhiAppRuntime {
  return new SiddhiManager().createSiddhiAppRuntime(text, { playback: true });
}

const column = (rt: SiddhiAppRuntime, q: string): unknown[] => rt.query(q).map((e) => e.data[0]);

let checkpoints: { newBytes: Uint8Array; oldBytes: Uint8Array } | undefined;

/** A checkpoint of NEW (W: 5000 rows, 1000..5999) and one of OLD; taken once. */
function takeCheckpoints(): { newBytes: Uint8Array; oldBytes: Uint8Array } {
  if (checkpoints) return checkpoints;
  const source = create(NEW);
  source.start();
  for (let i = 0; i < 5000; i++) source.getInputHandler('S').send([1000 + i], 1000 + i);
  const newBytes = source.snapshot();
  source.shutdown();
  const old = create(OLD);
  old.start();
  old.getInputHandler('S').send([7], 6000);
  const oldBytes = old.snapshot();
  old.shutdown();
  return (checkpoints = { newBytes, oldBytes });
}

/** NEW restored from its own checkpoint before it starts, started, then restored leniently from OLD's. */
function restoredThenLenient(): SiddhiAppRuntime {
  const { newBytes, oldBytes } = takeCheckpoints();
  const rt = create(NEW);
  rt.restore(newBytes);
  rt.start();
  // Later events write into the cells (W slides past its restored rows) before the lenient restore.
  for (let i = 0; i < 3000; i++) rt.getInputHandler('S').send([9000 + i], 7000 + i);
  const report = rt.restore(oldBytes, { lenient: true });
  expect(report.missing).toEqual(expect.arrayContaining(['E:trigger', 'W:window.length', 'Agg/purge', 'pat/pattern']));
  return rt;
}

describe('restored before the start, then leniently from an edited app', () => {
  it('a periodic trigger the checkpoint lacks keeps firing', () => {
    const rt = restoredThenLenient();
    const before = column(rt, 'from Fired select t').length;
    rt.advanceTime(20_000);
    const fired = column(rt, 'from Fired select t').slice(before);
    expect(fired.length).toBeGreaterThanOrEqual(10);
    expect(fired.at(-1)).toBeGreaterThan(19_000);
  });

  it('a pattern the checkpoint lacks still matches', () => {
    const rt = restoredThenLenient();
    const matched: (readonly unknown[])[] = [];
    rt.addCallback('Matched', (events) => matched.push(...events.map((e) => e.data)));
    rt.getInputHandler('S').send([1], 20_000);
    rt.getInputHandler('P').send([5], 20_001);
    expect(matched).toContainEqual([1, 5]);
  });

  it('aggregation purging the checkpoint lacks goes on', () => {
    const rt = restoredThenLenient();
    const a = rt.getInputHandler('A');
    a.send(['IBM', 1], 20_000);
    a.send(['IBM', 2], 21_000);
    const seconds = () => column(rt, "from Agg within 0L, 99999999L per 'seconds' select AGG_TIMESTAMP");
    expect(seconds()).toEqual([20_000, 21_000]);
    a.send(['IBM', 4], 200_000);
    rt.advanceTime(215_000);
    expect(seconds()).toEqual([200_000]);
  });

  it('a window the checkpoint lacks holds its rows at start again, each time, whatever was written since', () => {
    const rt = restoredThenLenient();
    const atStart = Array.from({ length: 5000 }, (_, i) => 1000 + i);
    expect(column(rt, 'from W select v')).toEqual(atStart);
    for (let i = 0; i < 5000; i++) rt.getInputHandler('S').send([20_000 + i], 20_000 + i);
    expect(column(rt, 'from W select v')).toHaveLength(6000);
    const old = create(OLD);
    old.start();
    const again = rt.restore(old.snapshot(), { lenient: true });
    expect(again.missing).toContain('W:window.length');
    expect(column(rt, 'from W select v')).toEqual(atStart);
    rt.getInputHandler('S').send([1], 40_000);
    expect(column(rt, 'from W select v')).toEqual([...atStart, 1]);
  });
});
