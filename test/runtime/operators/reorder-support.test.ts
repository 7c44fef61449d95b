// Helpers of the reorder: stream processors and the unique: batch windows:
// Java's hashCode and HashMap order, the inverse normal CDF, the reorder buffer.

import { describe, expect, it } from 'vitest';
import { StreamEvent, CURRENT } from '../../../src/runtime/event.js';
import { javaHashCode, javaHashOrder, javaTableSize } from '../../../src/runtime/operators/java-hash-order.js';
import { ReorderBuffer } from '../../../src/runtime/operators/reorder-buffer.js';
import { inverseNormal, runtimeWindowCoverage } from '../../../src/runtime/operators/window-coverage.js';

describe('Java hashing', () => {
  it('computes hashCode as the JVM does for each SiddhiQL type', () => {
    expect(javaHashCode('IBM', 'string')).toBe(72276);
    expect(javaHashCode('a longer key to overflow', 'string')).toBe(1426001006);
    expect(javaHashCode(-7, 'int')).toBe(-7);
    expect(javaHashCode(2 ** 32, 'long')).toBe(1);
    expect(javaHashCode(-1, 'long')).toBe(0);
    expect(javaHashCode(1, 'float')).toBe(1065353216);
    expect(javaHashCode(1, 'double')).toBe(1072693248);
    expect(javaHashCode(true, 'bool')).toBe(1231);
  });

  it('orders entries by bucket, then by insertion, in a table that grows past 3/4 full', () => {
    const keys = ['IBM', 'WSO2', 'IBM1', 'IBM2', 'aa', 'uu', 'tt'];
    const order = javaHashOrder(keys, keys.map((k) => javaHashCode(k, 'string')), 16);
    expect(order).toEqual(['aa', 'uu', 'tt', 'IBM', 'WSO2', 'IBM2', 'IBM1']);
    expect([javaTableSize(12), javaTableSize(13), javaTableSize(2, 64)]).toEqual([16, 32, 64]);
  });
});

describe('alpha-K-slack statistics', () => {
  it('inverts the normal CDF to double precision', () => {
    expect(inverseNormal(0.025)).toBeCloseTo(-1.9599639845400538, 12);
    expect(inverseNormal(0.5)).toBeCloseTo(0, 12);
    expect(inverseNormal(0.995)).toBeCloseTo(2.5758293035489, 12);
  });

  it('measures coverage below now − l and trims timestamps out of the window', () => {
    const times = [1, 2, 8, 3, 9, 10];
    expect(runtimeWindowCoverage(10, times, 2, 6)).toBeCloseTo(1 / 3);
    expect(times).toEqual([8, 3, 9, 10]);
  });
});

describe('reorder buffer', () => {
  const ev = (n: number) => new StreamEvent(n, [n], CURRENT);

  it('keeps groups in key order and survives capture/restore', () => {
    const b = new ReorderBuffer();
    b.add(5, [ev(1)]);
    b.add(2, [ev(2)]);
    b.add(5, [ev(3)]);
    b.add(9, [ev(4)]);
    const copy = new ReorderBuffer();
    copy.restore(b.capture());
    expect(copy.shiftWhile((k) => k <= 5).map((e) => e.data[0])).toEqual([2, 1, 3]);
    expect(copy.firstKey).toBe(9);
    expect(b.removeWhere((k) => k !== 5).map((e) => e.data[0])).toEqual([2, 4]);
    expect(b.size).toBe(1);
  });
});
