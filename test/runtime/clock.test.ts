import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/runtime/clock.js';

describe('Scheduler', () => {
  it('fires due timers in time order, then insertion order, and sets now() to each due time', () => {
    const s = new Scheduler(0);
    const seen: string[] = [];
    const target = (name: string) => ({ onTimer: (t: number) => seen.push(`${name}@${t}/${s.now()}`) });
    s.schedule(30, target('c'));
    s.schedule(10, target('a'));
    s.schedule(10, target('b'));
    s.schedule(50, target('late'));
    s.advanceTo(30);
    expect(seen).toEqual(['a@10/10', 'b@10/10', 'c@30/30']);
    expect(s.now()).toBe(30);
    expect(s.peek()).toBe(50);
  });

  it('fires timers scheduled while firing when they are already due', () => {
    const s = new Scheduler(0);
    const seen: number[] = [];
    const t = { onTimer: (time: number) => { seen.push(time); if (time < 40) s.schedule(time + 10, t); } };
    s.schedule(10, t);
    s.advanceTo(35);
    expect(seen).toEqual([10, 20, 30]);
    expect(s.peek()).toBe(40);
  });

  it('never moves the clock backwards', () => {
    const s = new Scheduler(100);
    s.advanceTo(50);
    expect(s.now()).toBe(100);
  });

  it('keeps order across many random timers', () => {
    const s = new Scheduler(0);
    const fired: number[] = [];
    const times = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    for (const t of times) s.schedule(t, { onTimer: (x) => fired.push(x) });
    s.advanceTo(1000);
    expect(fired).toEqual([...times].sort((a, b) => a - b));
  });

  it('lets a periodic timer skip the periods of a clock jump in which nothing else happens', () => {
    const s = new Scheduler(0);
    const seen: number[] = [];
    const tick = { onTimer: (t: number) => { seen.push(t); s.schedule(s.nextPeriodic(t, 10), tick); } };
    s.schedule(10, tick);
    s.schedule(55, { onTimer: (t) => seen.push(-t) });
    s.advanceTo(1_000_005);
    // 10, then the first tick at or after the other timer (60); the next is the first after the jump's end.
    expect(seen).toEqual([10, -55, 60]);
    expect(s.peek()).toBe(1_000_010);
    expect(s.nextPeriodic(5, 10)).toBe(15);
  });

  it('fires the other due timers and reaches the time when one throws, then rethrows', () => {
    const s = new Scheduler(0);
    const seen: number[] = [];
    s.schedule(10, { onTimer: () => { throw new Error('boom'); } });
    s.schedule(20, { onTimer: (t) => seen.push(t) });
    expect(() => s.advanceTo(30)).toThrow('boom');
    expect(seen).toEqual([20]);
    expect(s.now()).toBe(30);
  });
});
