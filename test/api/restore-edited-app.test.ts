import { describe, expect, it } from 'vitest';
import { SiddhiManager, SiddhiStateError } from '../../src/index.js';
import type { Event, SiddhiAppRuntime } from '../../src/index.js';

// Restores into edited apps: a cell loads only where what its state depends on is unchanged.

const BASE = `
define stream S (symbol string, price double, volume long);
@info(name = 'q1') from S#window.length(5) select symbol, sum(volume) as total group by symbol insert into Out;
`;

function runOld(text: string, events: [string, number, number][]): Uint8Array {
  const rt = new SiddhiManager().createSiddhiAppRuntime(text, { playback: true });
  rt.start();
  events.forEach((e, i) => rt.getInputHandler('S').send(e, 1000 + i));
  return rt.snapshot();
}

function started(text: string): { rt: SiddhiAppRuntime; out: unknown[][] } {
  const rt = new SiddhiManager().createSiddhiAppRuntime(text, { playback: true });
  const out: unknown[][] = [];
  if (rt.streamNames.includes('Out')) rt.addCallback('Out', (events: Event[]) => out.push(...events.map((e) => [...e.data])));
  rt.start();
  return { rt, out };
}

const SIX: [string, number, number][] = [1, 2, 3, 4, 5, 6].map((v) => ['A', 10, v]);

describe('restore into an edited app', () => {
  it('reports a window whose parameters changed and starts it empty (lenient), refuses it (strict)', () => {
    const bytes = runOld(BASE, SIX);
    const edited = BASE.replace('length(5)', 'length(3)');
    expect(() => started(edited).rt.restore(bytes)).toThrow(/changed .*'q1\/0:window.length'/);
    const { rt, out } = started(edited);
    const report = rt.restore(bytes, { lenient: true });
    expect(report.changed.sort()).toEqual(['q1/0:window.length', 'q1/selector']);
    expect(report.restored).not.toContain('q1/0:window.length');
    rt.getInputHandler('S').send(['A', 10, 100], 2000);
    // Neither 5 old events in a 3-event window nor a sum built over them.
    expect(out).toEqual([['A', 100]]);
  });

  it.each([
    ['an added aggregator', BASE.replace('sum(volume) as total', 'sum(volume) as total, count() as n'), ['q1/selector']],
    ['a swapped aggregator', BASE.replace('sum(volume)', 'max(volume)'), ['q1/selector']],
    ['a changed group-by key', BASE.replace('group by symbol', 'group by price'), ['q1/selector']],
    ['an added stream attribute', BASE.replace('volume long)', 'volume long, venue string)'), ['q1/0:window.length', 'q1/selector']],
    ['a retyped attribute', BASE.replace('price double', 'price float'), ['q1/0:window.length', 'q1/selector']],
  ])('reports %s as changed', (_what, edited, changed) => {
    const bytes = runOld(BASE, SIX);
    const { rt } = started(edited);
    expect(() => rt.restore(bytes)).toThrow(SiddhiStateError);
    const report = rt.restore(bytes, { lenient: true });
    expect(report.changed.sort()).toEqual(changed);
    expect(report.restored.sort()).toEqual(['@clock', '@inputs', ...['q1/0:window.length', 'q1/selector'].filter((c) => !changed.includes(c))]);
  });

  it('reports a window behind a changed filter as changed', () => {
    const app = BASE.replace('from S#', 'from S[price > 5]#');
    const bytes = runOld(app, SIX);
    const report = started(app.replace('price > 5', 'price > 50')).rt.restore(bytes, { lenient: true });
    expect(report.changed.sort()).toEqual(['q1/1:window.length', 'q1/selector']);
  });

  it('keeps the old schedule out of a timeBatch whose period changed', () => {
    const app = `define stream S (symbol string, price double, volume long);
@info(name = 'q1') from S#window.timeBatch(1 sec) select sum(volume) as total insert into Out;`;
    const bytes = runOld(app, SIX);
    const { rt, out } = started(app.replace('1 sec', '10 sec'));
    expect(rt.restore(bytes, { lenient: true }).changed.sort()).toEqual(['q1/0:window.timeBatch', 'q1/selector']);
    rt.getInputHandler('S').send(['A', 10, 7], 3000);
    rt.advanceTime(9000);
    // The old batch (due at 2000) is gone: nothing until the new period ends.
    expect(out).toEqual([]);
    rt.advanceTime(13_000);
    expect(out).toEqual([[7]]);
  });

  it('refuses before restoring anything a per-group timeBatch whose query now needs rows or other aggregates', () => {
    // Kept per group (each group's count and last row), which `having` or another aggregator cannot use.
    const app = `define stream S (symbol string, price double, volume long);
@info(name = 'q1') from S#window.timeBatch(1 sec) select symbol, count() as n group by symbol insert into Out;
@info(name = 'q2') from S#window.length(3) select sum(volume) as total insert into Other;`;
    const bytes = runOld(app, SIX);
    for (const edited of [app.replace('group by symbol', 'group by symbol having n > 1'), app.replace('count() as n', 'count() as n, sum(volume) as v')]) {
      const strict = started(edited).rt;
      expect(() => strict.restore(bytes)).toThrow(/nothing was restored.*changed .*'q1\/0:window.timeBatch'/);
      const { rt, out } = started(edited);
      const report = rt.restore(bytes, { lenient: true });
      expect(report.changed).toContain('q1/0:window.timeBatch');
      expect(report.restored).toContain('q2/0:window.length');
      rt.getInputHandler('S').send(['B', 1, 1], 1500);
      rt.getInputHandler('S').send(['B', 1, 1], 1600);
      rt.advanceTime(3000);
      // The old batch (six A events) is gone: only the new events' group.
      expect(out.map((r) => r[0])).toEqual(['B']);
    }
  });

  it('an unnamed query inserted before others shifts the default names: the shifted cells are reported, not loaded', () => {
    const app = `define stream S (symbol string, price double, volume long);
from S#window.length(2) select sum(volume) as total insert into Out;`;
    const bytes = runOld(app, SIX);
    const edited = `define stream S (symbol string, price double, volume long);
from S#window.lengthBatch(4) select max(price) as top insert into Top;
from S#window.length(2) select sum(volume) as total insert into Out;`;
    const { rt, out } = started(edited);
    const report = rt.restore(bytes, { lenient: true });
    expect(report.changed.sort()).toEqual(['query1/selector']);
    expect(report.missing.sort()).toEqual(['query1/0:window.lengthBatch', 'query2/0:window.length', 'query2/selector']);
    expect(report.gone.sort()).toEqual(['query1/0:window.length']);
    rt.getInputHandler('S').send(['A', 10, 100], 2000);
    expect(out).toEqual([[100]]);
  });

  it('strict mode accepts whitespace, comments and a new query: it compares what the cells depend on', () => {
    const bytes = runOld(BASE, SIX);
    const edited = `-- a comment
define stream S (symbol string,   price double, volume long);

@info(name = 'q1')
from S#window.length( 5 )
  select symbol, sum(volume) as total
  group by symbol
  insert into Out;
@info(name = 'q2') from S#window.length(2) select count() as n insert into Counts;
`;
    const { rt, out } = started(edited);
    const report = rt.restore(bytes);
    expect(report.fingerprintChanged).toBe(true);
    expect(report.changed).toEqual([]);
    expect(report.missing.sort()).toEqual(['q2/0:window.length', 'q2/selector']);
    rt.getInputHandler('S').send(['A', 10, 7], 2000);
    // The window held 2..6; 2 leaves as 7 arrives.
    expect(out).toEqual([[ 'A', 3 + 4 + 5 + 6 + 7 ]]);
  });

  it('strict mode refuses a removed query (its state would be dropped) and changes nothing', () => {
    const app = `${BASE}\n@info(name = 'q2') from S#window.length(2) select count() as n insert into Counts;`;
    const bytes = runOld(app, SIX);
    const { rt, out } = started(BASE);
    expect(() => rt.restore(bytes)).toThrow(/gone from the app: 'q2\/0:window.length', 'q2\/selector'/);
    rt.getInputHandler('S').send(['A', 10, 7], 2000);
    expect(out).toEqual([['A', 7]]);
  });

  it('tables change meaning with their attributes and primary key', () => {
    const app = `define stream S (symbol string, price double, volume long);
define table T (symbol string, volume long);
from S select symbol, volume insert into T;`;
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    rt.start();
    rt.getInputHandler('S').send(['A', 1, 2], 1);
    const bytes = rt.snapshot();
    const keyed = started(app.replace('define table', "@primaryKey('symbol') define table")).rt;
    expect(keyed.restore(bytes, { lenient: true }).changed).toEqual(['T:table']);
    const same = started(app.replace('define table T', '\n  define   table T')).rt;
    expect(same.restore(bytes).restored).toContain('T:table');
    expect(same.query('from T select symbol, volume').map((e) => [...e.data])).toEqual([['A', 2]]);
  });
});
