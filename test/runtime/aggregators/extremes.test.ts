import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGGREGATOR_KINDS } from '../../../src/runtime/aggregators/index.js';
import { ExtremeSet } from '../../../src/runtime/aggregators/extreme-set.js';
import { roundTrip, run } from './helpers.js';
import { expectEqual } from '../../expect-equal.js';

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

  it('ExtremeSet compacts stale heap entries once large', () => {
    const s = new ExtremeSet(-1);
    for (let i = 0; i < 5000; i++) {
      s.add(i);
      if (i >= 500) s.remove(i - 500);
    }
    expect(s.top()).toBe(4999);
    expect(s.size).toBe(500);
    expect((s as unknown as { heap: number[] }).heap.length).toBeLessThan(2 * 500 + 33);
  });

  it('ExtremeSet keeps a small set as one sorted array and a large one as counts and a heap, both ways', () => {
    const s = new ExtremeSet(1);
    const form = () => ((s as unknown as { sorted?: number[] }).sorted !== undefined ? 'sorted' : 'heap');
    for (let i = 0; i < 200; i++) s.add(i % 150);
    expect(form()).toBe('heap');
    for (let i = 0; i < 190; i++) s.remove(i % 150);
    expect(form()).toBe('sorted');
    expect([s.top(), s.size]).toEqual([40, 10]);
    s.add(Number.NaN);
    expect(form()).toBe('heap');
  });

  it('ExtremeSet equals recomputation under any removal order, across sizes, forms and round trips', () => {
    const op = fc.tuple(fc.integer({ min: -300, max: 300 }), fc.nat(), fc.integer({ min: 0, max: 20 }));
    fc.assert(
      fc.property(fc.array(op, { minLength: 300, maxLength: 700 }), fc.integer({ min: 1, max: 300 }), fc.constantFrom(1 as const, -1 as const),
        (ops, size, sign) => {
          let s = new ExtremeSet(sign);
          const held: number[] = [];
          ops.forEach(([v, pick, saveAt], i) => {
            s.add(v);
            held.push(v);
            // Every 200 rows shrink well below the size, so a large set turns small again.
            const keep = i % 200 === 199 ? Math.floor(size / 8) : size;
            while (held.length > keep) s.remove(held.splice(pick % held.length, 1)[0]!);
            if (saveAt === 0) s = ExtremeSet.load(sign, s.save());
            const want = held.length === 0 ? null : sign === 1 ? Math.min(...held) : Math.max(...held);
            expectEqual(s.top(), want);
          });
        }),
      { numRuns: 60 },
    );
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
