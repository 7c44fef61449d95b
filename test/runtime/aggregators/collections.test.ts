import { describe, expect, it } from 'vitest';
import { AGGREGATOR_KINDS } from '../../../src/runtime/aggregators/index.js';
import { roundTrip, run } from './helpers.js';

const { distinctCount, unionSet, and, or } = AGGREGATOR_KINDS;

describe('distinctCount', () => {
  it('counts distinct values, null being one, and forgets values whose count drops to 0', () => {
    expect(distinctCount!.resultType(['string'])).toBe('long');
    expect(distinctCount!.value(run(distinctCount!, []))).toBe(0);
    expect(distinctCount!.value(run(distinctCount!, ['a', 'b', 'a', null, null]))).toBe(3);
    expect(distinctCount!.value(run(distinctCount!, ['a', 'b', 'a'], ['a']))).toBe(2);
    expect(distinctCount!.value(run(distinctCount!, ['a', 'b', 'a'], ['b']))).toBe(1);
    const s = roundTrip(distinctCount!, run(distinctCount!, ['a', 'a', null]));
    expect(distinctCount!.value(distinctCount!.remove(s, 'a'))).toBe(2);
  });
});

describe('unionSet', () => {
  it('needs an object argument and returns a fresh Set of every element held', () => {
    expect(unionSet!.resultType(['object'])).toBe('object');
    expect(() => unionSet!.resultType(['string'])).toThrow(/unionSet\(\) does not accept string/);
    let s = run(unionSet!, [new Set(['a', 'b']), new Set(['b', 'c'])]);
    const v1 = unionSet!.value(s) as Set<string>;
    expect([...v1].sort()).toEqual(['a', 'b', 'c']);
    s = unionSet!.remove(s, new Set(['a', 'b']));
    expect([...(unionSet!.value(s) as Set<string>)].sort()).toEqual(['b', 'c']);
    expect([...v1].sort()).toEqual(['a', 'b', 'c']);
    s = roundTrip(unionSet!, s);
    s = unionSet!.remove(s, new Set(['b', 'c']));
    expect((unionSet!.value(s) as Set<string>).size).toBe(0);
  });

  it('counts a value that is not a set as a set of itself, so add and remove never throw', () => {
    let s = run(unionSet!, [new Set(['a']), 'b', { x: 1 }]);
    expect((unionSet!.value(s) as Set<unknown>).size).toBe(3);
    s = unionSet!.remove(s, 'b');
    expect([...(unionSet!.value(s) as Set<unknown>)]).toEqual(['a', { x: 1 }]);
  });
});

describe('and / or', () => {
  it('and: true only when every held value is true; false when empty', () => {
    expect(and!.resultType(['bool'])).toBe('bool');
    expect(() => and!.resultType(['int'])).toThrow(/and\(\) does not accept int/);
    expect(and!.value(run(and!, []))).toBe(false);
    expect(and!.value(run(and!, [true, true]))).toBe(true);
    expect(and!.value(run(and!, [false, true, false, true]))).toBe(false);
    expect(and!.value(run(and!, [false, true], [false]))).toBe(true);
    expect(and!.value(roundTrip(and!, run(and!, [true, false])))).toBe(false);
  });

  it('or: true when some held value is true', () => {
    expect(or!.value(run(or!, [false, false]))).toBe(false);
    expect(or!.value(run(or!, [false, true]))).toBe(true);
    expect(or!.value(run(or!, [false, true], [true]))).toBe(false);
    expect(or!.value(run(or!, [null]))).toBe(false);
  });
});
