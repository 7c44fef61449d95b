import { describe, expect, it } from 'vitest';
import { AGGREGATOR_KINDS, AggregatorUsageError } from '../../../src/runtime/aggregators/index.js';
import { roundTrip, run } from './helpers.js';

const { sum, avg, count, stdDev } = AGGREGATOR_KINDS as Required<typeof AGGREGATOR_KINDS>;

describe('sum', () => {
  it('types: int/long → long, float/double → double, others rejected naming the allowed types', () => {
    expect(sum!.resultType(['int'])).toBe('long');
    expect(sum!.resultType(['long'])).toBe('long');
    expect(sum!.resultType(['float'])).toBe('double');
    expect(sum!.resultType(['double'])).toBe('double');
    expect(() => sum!.resultType(['string'])).toThrow(AggregatorUsageError);
    expect(() => sum!.resultType(['string'])).toThrow(/sum\(\) does not accept string; allowed argument types: int, long, float, double/);
    expect(() => sum!.resultType(['double', 'string'])).toThrow(/sum\(\) takes exactly 1 argument, got 2/);
  });

  it('adds, removes, ignores nulls and is null when empty', () => {
    expect(sum!.value(run(sum!, []))).toBeNull();
    expect(sum!.value(run(sum!, [1, null, 2]))).toBe(3);
    expect(sum!.value(run(sum!, [1, 2], [1]))).toBe(2);
    expect(sum!.value(run(sum!, [1, 2], [1, 2]))).toBeNull();
    expect(sum!.value(run(sum!, [null]))).toBeNull();
  });

  it('forgets rounding drift once empty', () => {
    const s = run(sum!, [0.1, 0.2], [0.1, 0.2]);
    expect(sum!.value(sum!.add(s, 0.3))).toBe(0.3);
  });

  it('round-trips its state', () => {
    const s = roundTrip(sum!, run(sum!, [1.5, 2.5]));
    expect(sum!.value(sum!.add(s, 1))).toBe(5);
  });
});

describe('avg', () => {
  it('is a double mean of non-null values, null when empty', () => {
    expect(avg!.resultType(['int'])).toBe('double');
    expect(() => avg!.resultType(['bool'])).toThrow(/avg\(\) does not accept bool/);
    expect(avg!.value(run(avg!, [1, 2, null, 6]))).toBe(3);
    expect(avg!.value(run(avg!, [1, 2], [1, 2]))).toBeNull();
    expect(avg!.value(roundTrip(avg!, run(avg!, [2, 4], [2])))).toBe(4);
  });
});

describe('count', () => {
  it('counts every event (nulls too), 0 when empty, takes 0 or 1 argument', () => {
    expect(count!.resultType([])).toBe('long');
    expect(count!.resultType(['string'])).toBe('long');
    expect(() => count!.resultType(['int', 'int'])).toThrow(/count\(\) takes at most 1 argument, got 2/);
    expect(count!.value(run(count!, []))).toBe(0);
    expect(count!.value(run(count!, [null, null, 1]))).toBe(3);
    expect(count!.value(run(count!, [1, 2], [1, 2]))).toBe(0);
    expect(count!.value(roundTrip(count!, run(count!, [1, 2, 3], [1])))).toBe(2);
  });
});

describe('stdDev', () => {
  it('is the population standard deviation, 0 for one value, null when empty', () => {
    expect(stdDev!.resultType(['float'])).toBe('double');
    expect(stdDev!.value(run(stdDev!, []))).toBeNull();
    expect(stdDev!.value(run(stdDev!, [5]))).toBe(0);
    expect(stdDev!.value(run(stdDev!, [10000, 10000.5, 10001]))).toBeCloseTo(0.408248290463863, 9);
    expect(stdDev!.value(run(stdDev!, [1, null, 1.5, 2]))).toBeCloseTo(0.408248290463863, 9);
  });

  it('removal matches the reference values over a sliding length(3)', () => {
    // agg-stddev-03: 23.3, 1003.2, 500.1, then 10.9 replaces 23.3, 234.5 replaces 1003.2.
    let s = run(stdDev!, [23.3, 1003.2, 500.1]);
    expect(stdDev!.value(s)).toBeCloseTo(400.0905258674453, 6);
    s = stdDev!.add(stdDev!.remove(s, 23.3), 10.9);
    expect(stdDev!.value(s)).toBeCloseTo(405.1180266978447, 6);
    s = stdDev!.add(stdDev!.remove(roundTrip(stdDev!, s), 1003.2), 234.5);
    expect(stdDev!.value(s)).toBeCloseTo(199.96026271903798, 6);
    s = run(stdDev!, [1, 2], [1, 2]);
    expect(stdDev!.value(s)).toBeNull();
  });
});
