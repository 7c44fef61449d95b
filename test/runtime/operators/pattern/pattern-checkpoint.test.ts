// A pattern with 10k pending partial matches: a snapshot restores every one of
// them, and the restored runtime continues exactly like the uninterrupted one.

import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../../../src/index.js';
import type { Event, SiddhiAppRuntime } from '../../../../src/index.js';

const APP = `
define stream S (id int, price double);
define stream T (id int, price double);
@info(name = 'q')
from every e1=S[price > 10] -> e2=T[id == e1.id and price > e1.price] within 1 hour
select e1.id as id, e1.price as p1, e2.price as p2 insert into Out;`;

const PENDING = 10_000;

function started(): { rt: SiddhiAppRuntime; out: unknown[][] } {
  const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true });
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
});
