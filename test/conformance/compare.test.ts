// The conformance comparison rules (FORMAT.md "Comparison"): tolerance,
// integer columns, expired flags, unordered multisets, and the diff text.

import { describe, expect, it } from 'vitest';
import { compareStream, valuesMatch } from './compare.js';

const row = (data: unknown[], expired = false) => ({ data, expired });
const opts = { tolerance: 1e-6, unordered: false };

describe('valuesMatch', () => {
  it('compares numbers with a relative tolerance', () => {
    expect(valuesMatch(55.6, Math.fround(55.6), undefined, 1e-6)).toBe(true);
    expect(valuesMatch(100, 100.001, undefined, 1e-6)).toBe(false);
  });

  it('requires integers in int and long columns', () => {
    expect(valuesMatch(123456789, 123456789.0001, 'double', 1e-6)).toBe(true);
    expect(valuesMatch(123456789, 123456789.0001, 'long', 1e-6)).toBe(false);
    expect(valuesMatch(5, 5n, 'long', 1e-6)).toBe(true);
  });

  it('compares null, strings and booleans exactly', () => {
    expect(valuesMatch(null, null, undefined, 1e-6)).toBe(true);
    expect(valuesMatch(null, undefined, undefined, 1e-6)).toBe(false);
    expect(valuesMatch(null, 0, undefined, 1e-6)).toBe(false);
    expect(valuesMatch('a', 'a', undefined, 1e-6)).toBe(true);
    expect(valuesMatch(true, 1, undefined, 1e-6)).toBe(false);
  });
  it('compares lists item by item, numbers with the tolerance', () => {
    expect(valuesMatch([29.6, null], [Math.fround(29.6), null], undefined, 1e-6)).toBe(true);
    expect(valuesMatch([29.6], [29.6, 1], undefined, 1e-6)).toBe(false);
    expect(valuesMatch([29.6], [30], undefined, 1e-6)).toBe(false);
    expect(valuesMatch(['a'], { 0: 'a' }, undefined, 1e-6)).toBe(false);
  });
});

describe('compareStream', () => {
  it('is empty when the events match', () => {
    expect(compareStream('Out', [row(['a', 1]), row(['a', 0], true)], [row(['a', 1]), row(['a', 0], true)], opts)).toEqual([]);
  });

  it('checks the expired flag', () => {
    expect(compareStream('Out', [row(['a', 1], true)], [row(['a', 1])], opts)).not.toEqual([]);
  });

  it('shows missing and extra rows side by side', () => {
    const diff = compareStream('Out', [row([1]), row([2])], [row([1]), row([3]), row([4], true)], opts).join('\n');
    expect(diff).toContain('2 expected, 3 actual; first difference at #1');
    expect(diff).toMatch(/x +1 +\[2\] +\[3\]/);
    expect(diff).toMatch(/\+ +2 +\[4\] expired/);
  });

  it('compares unordered streams as multisets', () => {
    const o = { ...opts, unordered: true };
    expect(compareStream('Out', [row([1]), row([2]), row([2])], [row([2]), row([1]), row([2])], o)).toEqual([]);
    const diff = compareStream('Out', [row([1]), row([2])], [row([2]), row([3])], o).join('\n');
    expect(diff).toContain('missing     [1]');
    expect(diff).toContain('unexpected  [3]');
  });

  it('compares timestamps when asked', () => {
    const a = [{ data: [1], expired: false, timestamp: 1 }];
    const b = [{ data: [1], expired: false, timestamp: 2 }];
    expect(compareStream('Out', a, b, opts)).toEqual([]);
    expect(compareStream('Out', a, b, { ...opts, timestamps: true })).not.toEqual([]);
  });
});
