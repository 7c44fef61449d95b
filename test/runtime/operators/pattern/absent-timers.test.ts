// Absent-state deadlines go through TimerSlot: a restore puts each one back in
// its old place among timers due at the same instant (here a timeBatch window
// registered before the pattern, whose timer was asked for after the deadline).

import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../../../src/index.js';
import type { SiddhiAppRuntime } from '../../../../src/index.js';

const APP = `
define stream A (id long);
define stream B (id long);
define stream W (id int);
@info(name = 'batch')
from W#window.timeBatch(2 sec) select 'window' as who, count() as n insert into Out;
@info(name = 'absent')
from e1=A -> not B[id == e1.id] for 2 sec select 'pattern' as who, e1.id as n insert into Out;`;

function started(): { rt: SiddhiAppRuntime; out: unknown[] } {
  const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true });
  const out: unknown[] = [];
  rt.addCallback('Out', (es) => { for (const e of es) out.push([e.timestamp, ...e.data]); });
  rt.start();
  return { rt, out };
}

function before(rt: SiddhiAppRuntime): void {
  rt.getInputHandler('A').send([7], 1000);
  rt.getInputHandler('W').send([1], 1000);
}

describe('absent-state deadlines across a restore', () => {
  it('fire in the same order among simultaneous timers as without the restore', () => {
    const straight = started();
    before(straight.rt);
    straight.rt.advanceTime(5000);

    const first = started();
    before(first.rt);
    const bytes = first.rt.snapshot();
    first.rt.shutdown();
    const restored = started();
    restored.rt.restore(bytes);
    restored.rt.advanceTime(5000);

    expect(straight.out.slice(0, 2)).toEqual([[3000, 'pattern', 7], [1000, 'window', 1]]);
    expect(restored.out).toEqual(straight.out);
  });

});
