import { describe, expect, it } from 'vitest';
import { AGGREGATOR_KINDS } from '../../../src/runtime/aggregators/index.js';
import { ExtremeSet } from '../../../src/runtime/aggregators/extreme-set.js';
import { roundTrip, run } from './helpers.js';

const { min, max, minForever, maxForever } = AGGREGATOR_KINDS;

describe('min / max', () => {
  it('keep the input type and reject non-numeric or several arguments', () => {
    expect(max!.resultType(['float'])).toBe('float');
    expect(min!.resultType(['long'])).toBe('long');
    expect(() => max!.resultType(['double', 'string'])).toThrow(/max\(\) takes exactly 1 argument, got 2/);
    expect(() => min!.resultType(['string'])).toThrow(/min\(\) does not accept string/);
  });

  it('stay right with repeated values and removals in any order', () => {
    let s = run(max!, [3, 7, 7, 1, null]);
    expect(max!.value(s)).toBe(7);
    s = max!.remove(s, 7);
    expect(max!.value(s)).toBe(7);
    s = max!.remove(s, 7);
    expect(max!.value(s)).toBe(3);
    s = max!.remove(s, 3);
    expect(max!.value(s)).toBe(1);
    s = max!.remove(s, 1);
    expect(max!.value(s)).toBeNull();
    expect(min!.value(run(min!, [5, 2, 9], [2]))).toBe(5);
  });

  it('round-trip their state', () => {
    const s = roundTrip(min!, run(min!, [4, 2, 2, 8], [2]));
    expect(min!.value(s)).toBe(2);
    expect(min!.value(min!.remove(s, 2))).toBe(4);
  });

  it('ExtremeSet compacts stale heap entries', () => {
    const s = new ExtremeSet(-1);
    for (let i = 0; i < 1000; i++) {
      s.add(i);
      if (i >= 10) s.remove(i - 10);
    }
    expect(s.top()).toBe(999);
    expect(s.size).toBe(10);
    expect((s as unknown as { heap: number[] }).heap.length).toBeLessThan(60);
  });
});

describe('minForever / maxForever', () => {
  it('never forget: removal is another sighting', () => {
    expect(maxForever!.forever).toBe(true);
    let s = run(maxForever!, [36, 37.88, 39, 36.88]);
    expect(maxForever!.value(s)).toBe(39);
    s = maxForever!.remove(s, 39);
    expect(maxForever!.value(s)).toBe(39);
    expect(minForever!.value(run(minForever!, [5, null, 3], [3]))).toBe(3);
    expect(minForever!.value(run(minForever!, []))).toBeNull();
    expect(maxForever!.value(roundTrip(maxForever!, s))).toBe(39);
  });
});
