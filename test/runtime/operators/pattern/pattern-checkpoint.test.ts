// A pattern with 10k pending partial matches: a snapshot restores every one of
// them, and the restored runtime continues exactly like the uninterrupted one;
// an incremental checkpoint after touching a few of them ships only those.

import { describe, expect, it } from 'vitest';
import { InMemoryStore, SiddhiManager } from '../../../../src/index.js';
import type { Event, SiddhiAppRuntime } from '../../../../src/index.js';

const APP = `
define stream S (id int, price double);
define stream T (id int, price double);
@info(name = 'q')
from every e1=S[price > 10] -> e2=T[id == e1.id and price > e1.price] within 1 hour
select e1.id as id, e1.price as p1, e2.price as p2 insert into Out;`;

const PENDING = 10_000;

function started(store?: InMemoryStore): { rt: SiddhiAppRuntime; out: unknown[][] } {
  const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true, ...(store ? { store } : {}) });
  const out: unknown[][] = [];
  rt.addCallback('Out', (events: Event[]) => { for (const e of events) out.push([e.timestamp, ...e.data]); });
  rt.start();
  return { rt, out };
}

function feedPartials(rt: SiddhiAppRuntime): void {
  const s = rt.getInputHandler('S');
  for (let i = 0; i < PENDING; i++) s.send([i % 500, 11 + (i % 7)], 1000 + i);
}

function feedCompletions(rt: SiddhiAppRuntime): void {
  const t = rt.getInputHandler('T');
  for (let i = 0; i < 500; i++) t.send([i, 15], 20_000 + i);
  for (let i = 0; i < 500; i++) t.send([i, 30], 30_000 + i);
}

describe('pattern checkpoint with 10k pending matches', () => {
  it('restores all of them and continues identically', () => {
    const straight = started();
    feedPartials(straight.rt);
    feedCompletions(straight.rt);

    const before = started();
    feedPartials(before.rt);
    const bytes = before.rt.snapshot();
    before.rt.shutdown();

    const after = started();
    after.rt.restore(bytes);
    feedCompletions(after.rt);

    expect(straight.out.length).toBe(PENDING);
    expect(after.out).toEqual(straight.out);
  });

  it('an incremental checkpoint ships the touched matches only, and the chain restores', async () => {
    const store = new InMemoryStore();
    const live = started(store);
    const s = live.rt.getInputHandler('S');
    const t = live.rt.getInputHandler('T');
    // Distinct ids: each T event below completes exactly one pending match.
    for (let i = 0; i < PENDING; i++) s.send([i, 11 + (i % 7)], 1000 + i);
    await live.rt.persist({ mode: 'full' });
    t.send([17, 50], 20_000);
    await live.rt.persist({ mode: 'delta' });
    for (let i = 0; i < 100; i++) t.send([1000 + i, 50], 20_001 + i);
    await live.rt.persist({ mode: 'delta' });
    const [full, one, hundred] = live.rt.checkpointMetrics().map((m) => m.rawBytes);
    expect(one! * 200).toBeLessThan(full!);
    // Each completed match costs its number in the state's and in the matches' cell.
    expect(hundred!).toBeGreaterThan(one! + 99 * 4);
    expect(hundred! * 20).toBeLessThan(full!);

    const restored = started(store);
    await restored.rt.restoreLastRevision();
    for (const rt of [live.rt, restored.rt]) {
      for (let i = 0; i < PENDING; i += 97) rt.getInputHandler('T').send([i, 60], 40_000 + i);
    }
    // 104 probes, one of them (1067) on a match completed before.
    expect(live.out.length).toBe(101 + 103);
    expect(restored.out).toEqual(live.out.slice(101));
  });
});
