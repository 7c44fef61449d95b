import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../../src/runtime/clock.js';
import type { StreamEvent } from '../../../src/runtime/event.js';
import { PeriodicTrigger } from '../../../src/runtime/operators/trigger.js';

describe('PeriodicTrigger', () => {
  it('fires one period after start, then every period (x-trigger-every-02)', () => {
    const s = new Scheduler(0);
    const fired: number[] = [];
    const out = { process: (events: readonly StreamEvent[]) => { for (const e of events) fired.push(e.data[0] as number); } };
    new PeriodicTrigger(500, s, out as never, () => {}).start();
    s.advanceTo(1100);
    expect(fired).toEqual([500, 1000]);
  });
});

describe('trigger definitions', () => {
  it('refuse a period of 0, which would fire forever at one instant', async () => {
    const { SiddhiManager, SiddhiPlanError } = await import('../../../src/index.js');
    const app = 'define trigger T at every 0 sec;\nfrom T select triggered_time insert into O;';
    expect(() => new SiddhiManager().createSiddhiAppRuntime(app, { playback: true })).toThrow(SiddhiPlanError);
    expect(() => new SiddhiManager().createSiddhiAppRuntime(app, { playback: true })).toThrow(/at least 1 millisecond, got 0/);
  });
});
