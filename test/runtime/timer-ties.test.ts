import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../src/index.js';
import type { SiddhiAppRuntime } from '../../src/runtime/app-runtime.js';

// Four timers due at 2000: the rate limiter's tick (armed at its 1000 tick,
// before the event), then the time window's, the timeBatch's and the session's
// (armed by the event at 1000, in subscription order). Re-arming them in the
// order their cells restore would fire the rate limiter (planned last) last.
const APP = `
@app:playback
define stream S (k string, v int);
@info(name='time') from S#window.time(1 sec) select 'time' as q, k, v insert all events into Out;
@info(name='batch') from S#window.timeBatch(1 sec) select 'batch' as q, k, v insert all events into Out;
@info(name='session') from S#window.session(1 sec, k) select 'session' as q, k, v insert all events into Out;
@info(name='rate') from S select 'rate' as q, k, v output last every 1 sec insert all events into Out;
`;

function start(): { rt: SiddhiAppRuntime; out: unknown[][] } {
  const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true });
  const out: unknown[][] = [];
  rt.addCallback('Out', (events) => out.push(...events.map((e) => [e.timestamp, ...e.data])));
  rt.start();
  return { rt, out };
}

function finish(rt: SiddhiAppRuntime): void {
  rt.getInputHandler('S').send(['b', 2], 2500);
  rt.advanceTime(4000);
}

describe('timers due at the same instant', () => {
  it('fire in the same order after a restore as without one', () => {
    const whole = start();
    whole.rt.getInputHandler('S').send(['a', 1], 1000);
    const cut = whole.out.length;
    finish(whole.rt);
    const expected = whole.out.slice(cut);
    expect(expected.slice(0, 4).map((r) => r[1])).toEqual(['rate', 'time', 'batch', 'session']);

    const first = start();
    first.rt.getInputHandler('S').send(['a', 1], 1000);
    const bytes = first.rt.snapshot();
    first.rt.shutdown();
    const resumed = start();
    resumed.rt.restore(bytes);
    finish(resumed.rt);
    expect(resumed.out).toEqual(expected);
  });
});
