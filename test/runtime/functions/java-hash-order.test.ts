// java.util.HashMap iteration order, checked against orders the reference's own tests print.

import { describe, expect, it } from 'vitest';
import { inJavaHashOrder, javaMapEntries } from '../../../src/runtime/functions/ext/java-hash-order.js';

describe('inJavaHashOrder', () => {
  it("orders String keys as a HashMap iterates them (siddhi-execution-json ToStringFunctionTestCase, -map ToJSONFunctionExtensionTestCase)", () => {
    expect(inJavaHashOrder(['name', 'age', 'citizen', 'bar'])).toEqual(['citizen', 'bar', 'name', 'age']);
    expect(inJavaHashOrder(['symbol', 'price', 'volume', 'last5val'])).toEqual(['volume', 'symbol', 'price', 'last5val']);
  });

  it('keeps small Integer keys ascending and insertion order within a bucket', () => {
    expect(inJavaHashOrder([3, 1, 2])).toEqual([1, 2, 3]);
    // 1 and 17 share bucket 1 of a 16-slot table: the first put stays first.
    expect(inJavaHashOrder([17, 1, 0])).toEqual([0, 17, 1]);
  });

  it('uses the table a HashMap grows to: 12 keys fit 16 slots, 13 need 32', () => {
    const twelve = [16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    // 16 and 0 share bucket 0 of 16 slots (16 put first); with 32 slots 16 has its own bucket after 0..11.
    expect(inJavaHashOrder(twelve)).toEqual(twelve);
    expect(inJavaHashOrder([...twelve, 11])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16]);
  });

  it('lists a Map in that order', () => {
    expect(javaMapEntries(new Map<string, unknown>([['symbol', 'wso2'], ['volume', 100], ['price', 200]]))).toEqual([['volume', 100], ['symbol', 'wso2'], ['price', 200]]);
  });
});

describe('listing a big map', () => {
  const hashOf = (s: string) => {
    let h = 0;
    for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    return h;
  };
  /** The order written out directly: by bucket of the grown table, then insertion. */
  const naive = (keys: string[]) => {
    let table = 16;
    while (keys.length > table * 0.75) table *= 2;
    const bucket = (k: string) => (hashOf(k) ^ (hashOf(k) >>> 16)) & (table - 1);
    return keys.map((k, i) => [k, i] as const).sort((a, b) => bucket(a[0]) - bucket(b[0]) || a[1] - b[1]).map(([k]) => k);
  };

  it('orders as the bucket rule says at every size (insertion sort, counting sort)', () => {
    for (const n of [2, 13, 24, 25, 97, 1000, 5000]) {
      const keys = Array.from({ length: n }, (_, i) => `k${(i * 7919) % 100003}`);
      expect(inJavaHashOrder(keys)).toEqual(naive(keys));
    }
  });

  it('lists a map again after it changes, however it changed (the order is reused only while the keys are the same)', () => {
    const m = new Map(Array.from({ length: 200 }, (_, i) => [`key${i}`, i] as [string, number]));
    const listed = () => javaMapEntries(m).map(([k]) => k);
    expect(listed()).toEqual(naive([...m.keys()]));
    m.set('key5', -1);
    expect(listed()).toEqual(naive([...m.keys()]));
    m.set('new', 1);
    expect(listed()).toEqual(naive([...m.keys()]));
    m.delete('key0');
    m.set('key0', 0);
    expect(listed()).toEqual(naive([...m.keys()]));
    m.delete('new');
    m.set('new2', 0);
    expect(listed()).toEqual(naive([...m.keys()]));
  });
});
