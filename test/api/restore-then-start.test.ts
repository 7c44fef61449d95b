import { describe, expect, it } from 'vitest';
import { InMemoryStore, SiddhiManager } from '../../src/index.js';
import type { SiddhiAppRuntime } from '../../src/index.js';

// A runtime restored before it starts: its start hooks ('at start' triggers) change restored cells,
// and the next checkpoint (a delta on the restored revision as well as a full one) carries those changes.

const APP = `
@app:name('RestoreThenStart')
define stream S (v long);
define trigger T at 'start';
define table Tab (v long);
from S select v insert into Tab;
from T select 1L as v insert into Tab;
define window W (v long) length(10);
from S select v insert into W;
from T select 2L as v insert into W;
define stream P (v long);
@info(name = 'pat') from every e1=T -> e2=P[v > 0] select e2.v as v insert into Matched;
`;

function rows(rt: SiddhiAppRuntime): unknown[] {
  return rt.query('from Tab select *').map((e) => e.data[0]);
}

function windowed(rt: SiddhiAppRuntime): unknown[] {
  return rt.query('from W select v').map((e) => e.data[0]);
}

/** A full checkpoint of a started runtime (Tab: the start row 1, then 3) in a new store. */
async function base(): Promise<SiddhiManager> {
  const m = new SiddhiManager({ store: new InMemoryStore() });
  const rt = m.createSiddhiAppRuntime(APP, { playback: true });
  rt.start();
  rt.getInputHandler('S').send([3], 10);
  expect(rows(rt)).toEqual([1, 3]);
  await rt.persist({ mode: 'full' });
  rt.shutdown();
  return m;
}

describe('a runtime restored before it starts', () => {
  it.each(['full', 'delta'] as const)('persists what the start hooks changed (%s)', async (mode) => {
    const m = await base();
    const a = m.createSiddhiAppRuntime(APP, { playback: true });
    await a.restoreLastRevision();
    a.start();
    // The 'at start' trigger fires on top of the restored state (as it does today).
    expect(rows(a)).toEqual([1, 3, 1]);
    await a.persist({ mode });
    expect(a.checkpointMetrics().at(-1)!.mode).toBe(mode);

    const b = m.createSiddhiAppRuntime(APP, { playback: true });
    const matched: unknown[] = [];
    b.addCallback('Matched', (events) => matched.push(...events.map((e) => e.data[0])));
    await b.restoreLastRevision();
    const restored = { table: rows(b), window: windowed(b) };
    // The pending matches of the base's start and of a's were checkpointed; b's start adds a third.
    b.start();
    b.getInputHandler('P').send([5], 20);
    expect({ restored, matched }).toEqual({ restored: { table: [1, 3, 1], window: [2, 3, 2] }, matched: [5, 5, 5] });
  });

  it.each(['full', 'delta'] as const)('a runtime started first and restored after keeps the restored state (%s)', async (mode) => {
    const m = await base();
    const a = m.createSiddhiAppRuntime(APP, { playback: true });
    a.start();
    expect(rows(a)).toEqual([1]);
    await a.restoreLastRevision();
    expect(rows(a)).toEqual([1, 3]);
    a.getInputHandler('S').send([4], 30);
    await a.persist({ mode });

    const b = m.createSiddhiAppRuntime(APP, { playback: true });
    await b.restoreLastRevision();
    expect(rows(b)).toEqual([1, 3, 4]);
  });

  it('a delta after a later event still carries the start rows', async () => {
    const m = await base();
    const a = m.createSiddhiAppRuntime(APP, { playback: true });
    await a.restoreLastRevision();
    a.start();
    a.getInputHandler('S').send([7], 40);
    await a.persist({ mode: 'delta' });
    a.getInputHandler('S').send([8], 50);
    await a.persist({ mode: 'delta' });

    const b = m.createSiddhiAppRuntime(APP, { playback: true });
    await b.restoreLastRevision();
    expect(rows(b)).toEqual([1, 3, 1, 7, 8]);
  });
});

const EVERY = `
@app:name('RestoreThenStartEvery')
define trigger E at every 1 sec;
define table Tab (t long);
from E select triggered_time as t insert into Tab;
`;

describe('a periodic trigger restored before the start', () => {
  it.each(['full', 'delta'] as const)('keeps its rhythm, and its firings after the start are persisted (%s)', async (mode) => {
    const m = new SiddhiManager({ store: new InMemoryStore() });
    const base = m.createSiddhiAppRuntime(EVERY, { playback: true });
    base.advanceTime(500);
    base.start();
    base.advanceTime(2700);
    await base.persist({ mode: 'full' });
    base.shutdown();

    const a = m.createSiddhiAppRuntime(EVERY, { playback: true });
    await a.restoreLastRevision();
    a.start();
    // Neither fired again by start() nor re-based on it: the next firing is the restored one.
    expect(rows(a)).toEqual([1500, 2500]);
    a.advanceTime(3600);
    expect(rows(a)).toEqual([1500, 2500, 3500]);
    await a.persist({ mode });

    const b = m.createSiddhiAppRuntime(EVERY, { playback: true });
    await b.restoreLastRevision();
    b.start();
    b.advanceTime(4500);
    expect(rows(b)).toEqual([1500, 2500, 3500, 4500]);
  });
});
