import { describe, expect, it } from 'vitest';
import { InMemoryStore, SiddhiManager, SiddhiStateError } from '../../src/index.js';
import type { Event, SiddhiAppRuntime } from '../../src/index.js';

// Two queries read S; a callback of the first runs before the second has seen the event.
const APP = `
@app:name('MidEvent')
define stream S (v long);
@info(name = 'first') from S select sum(v) as total insert into A;
@info(name = 'second') from S select sum(v) as total insert into B;
`;

function totals(rt: SiddhiAppRuntime, stream: string): unknown[] {
  const out: unknown[] = [];
  rt.addCallback(stream, (events: Event[]) => out.push(...events.map((e) => e.data[0])));
  return out;
}

describe('checkpoints asked for from a callback while an event is processed', () => {
  it('persist() captures once the event has gone through every query', async () => {
    const store = new InMemoryStore();
    const m = new SiddhiManager({ store });
    const a = m.createSiddhiAppRuntime(APP, { playback: true });
    let pending: Promise<string> | undefined;
    a.addCallback('A', (events) => {
      if (events[0]!.data[0] === 3) pending = a.persist({ mode: 'full' });
    });
    a.start();
    a.getInputHandler('S').send([1], 1);
    a.getInputHandler('S').send([2], 2);
    // Captured at the end of the send of 2 (both sums hold 3); later events are not in it.
    expect(pending).toBeDefined();
    a.getInputHandler('S').send([10], 3);
    await pending;

    const b = m.createSiddhiAppRuntime(APP, { playback: true });
    const first = totals(b, 'A');
    const second = totals(b, 'B');
    b.start();
    await b.restoreLastRevision();
    b.getInputHandler('S').send([1000], 5);
    expect(first).toEqual([1003]);
    expect(second).toEqual([1003]);
  });

  it('persist() from a timer-driven callback captures after that timer', async () => {
    const store = new InMemoryStore();
    const m = new SiddhiManager({ store });
    const app = `@app:name('MidTimer')
define stream S (v long);
@info(name = 'w') from S#window.time(1 sec) select sum(v) as total insert all events into A;
@info(name = 'x') from S#window.time(1 sec) select sum(v) as total insert all events into B;`;
    const a = m.createSiddhiAppRuntime(app, { playback: true });
    let pending: Promise<string> | undefined;
    a.addCallback('A', (events) => {
      if (events.some((e) => e.data[0] === null || e.data[0] === 0)) pending ??= a.persist({ mode: 'full' });
    });
    a.start();
    a.getInputHandler('S').send([5], 0);
    a.advanceTime(1500);
    expect(pending).toBeDefined();
    await pending;
    const b = m.createSiddhiAppRuntime(app, { playback: true });
    const second = totals(b, 'B');
    b.start();
    await b.restoreLastRevision();
    b.getInputHandler('S').send([7], 1600);
    // Each due timer is one unit of processing: the capture ran after the first
    // window's, so the second window's expiry (null) comes after the restore, as uninterrupted.
    expect(second).toEqual([null, 7]);
  });

  it('snapshot() and restore() are refused with a SiddhiStateError, and the event still completes', () => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true });
    const refusals: unknown[] = [];
    const good = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true });
    good.start();
    const bytes = good.snapshot();
    rt.addCallback('A', () => {
      for (const f of [() => rt.snapshot(), () => rt.restore(bytes)]) {
        try {
          f();
        } catch (e) {
          refusals.push(e);
        }
      }
    });
    const second = totals(rt, 'B');
    rt.start();
    rt.getInputHandler('S').send([4], 1);
    expect(refusals).toHaveLength(2);
    for (const e of refusals) {
      expect(e).toBeInstanceOf(SiddhiStateError);
      expect((e as Error).message).toMatch(/while an event is being processed/);
    }
    expect(second).toEqual([4]);
    // Outside the event both work again.
    expect(rt.snapshot().length).toBeGreaterThan(0);
  });
});
