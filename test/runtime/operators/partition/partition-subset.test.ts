// Restoring a subset of a partition's keys (RestoreOptions.keys): what a
// process taking its share of another's keys does. Public API, playback clock.

import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, InMemoryStore, SiddhiManager } from '../../../../src/index.js';

const manager = new SiddhiManager();

const APP = `@app:name('split')
define stream S (symbol string, price int);
partition with (symbol of S)
begin
  @info(name='q1') from S#window.length(2) select symbol, sum(price) as total insert into O;
end;`;

function run(store?: InMemoryStore) {
  const rt = manager.createSiddhiAppRuntime(APP, { playback: true, ...(store ? { store } : {}) });
  const rows: unknown[][] = [];
  rt.addCallback('O', (events) => rows.push(...events.map((e) => [...e.data])));
  rt.start();
  const send = (symbol: string, price: number, time: number) => rt.getInputHandler('S').send([symbol, price], time);
  const keys = () => [...new Set(decodeCheckpoint(rt.snapshot()).cells.flatMap((c) => (c.id.includes('@', 1) ? [c.id.split('@')[1]] : [])))].sort();
  return { rt, rows, send, keys };
}

const FIRST: [string, number][] = [['IBM', 10], ['WSO2', 1], ['ORCL', 5], ['IBM', 20], ['WSO2', 2]];
const THEN: [string, number][] = [['IBM', 30], ['WSO2', 3], ['ORCL', 6], ['AAPL', 9]];

describe('restoring a subset of partition keys', () => {
  it('re-creates only the accepted keys with their state; the others start afresh and are reported as left out', () => {
    const a = run();
    FIRST.forEach(([s, p], i) => a.send(s, p, 1000 + i));
    const bytes = a.rt.snapshot();

    const b = run();
    const report = b.rt.restore(bytes, { keys: (k) => k !== 'WSO2' });
    expect(b.keys()).toEqual(['IBM', 'ORCL']);
    expect(report.leftOut.length).toBeGreaterThan(0);
    expect(report.leftOut.every((id) => id.endsWith('@WSO2'))).toBe(true);
    expect(report.restored).toContain('partition1:keys');
    expect(report.gone).toEqual([]);
    THEN.forEach(([s, p], i) => b.send(s, p, 2000 + i));
    // IBM's window holds 10, 20 → 20, 30; WSO2 had nothing restored.
    expect(b.rows).toEqual([['IBM', 50], ['WSO2', 3], ['ORCL', 11], ['AAPL', 9]]);
  });

  it('drops live keys the subset does not take', () => {
    const a = run();
    FIRST.forEach(([s, p], i) => a.send(s, p, 1000 + i));
    const bytes = a.rt.snapshot();
    const b = run();
    b.send('WSO2', 100, 500);
    b.send('AAPL', 7, 501);
    b.rt.restore(bytes, { keys: (k) => k === 'IBM' });
    expect(b.keys()).toEqual(['IBM']);
    b.rows.length = 0;
    b.send('WSO2', 3, 2000);
    b.send('AAPL', 1, 2001);
    expect(b.rows).toEqual([['WSO2', 3], ['AAPL', 1]]);
  });

  it('splitting a checkpoint chain (base and deltas) between two processes continues every key as one process would', async () => {
    const store = new InMemoryStore();
    const a = run(store);
    FIRST.forEach(([s, p], i) => a.send(s, p, 1000 + i));
    await a.rt.persist({ mode: 'full' });
    a.send('ORCL', 50, 1100);
    a.send('NEW', 4, 1101);
    await a.rt.persist({ mode: 'delta' });
    a.rows.length = 0;
    THEN.forEach(([s, p], i) => a.send(s, p, 2000 + i));
    a.send('NEW', 1, 2010);

    const odd = (k: string) => k.length % 2 === 1;
    const [x, y] = [run(store), run(store)];
    await x.rt.restoreLastRevision({ keys: odd });
    await y.rt.restoreLastRevision({ keys: (k) => !odd(k) });
    expect([...x.keys(), ...y.keys()].sort()).toEqual(['IBM', 'NEW', 'ORCL', 'WSO2']);
    for (const [s, p] of [...THEN, ['NEW', 1] as [string, number]]) (odd(s) ? x : y).send(s, p, 2000);
    expect([...x.rows, ...y.rows].sort()).toEqual([...a.rows].sort());
  });
});
