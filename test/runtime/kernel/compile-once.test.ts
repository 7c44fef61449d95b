// The process-wide cache of compiled step sources: shared per text, bounded, least recently used evicted.

import { describe, expect, it } from 'vitest';
import { COMPILED_KEPT, compileOnce, compiledSources } from '../../../src/runtime/kernel/compile-once.js';

const source = (i: number): string => `return env + ${i} + 0.5; // compile-once.test ${i}`;

describe('compileOnce', () => {
  it('returns the same function for the same text', () => {
    expect(compileOnce(source(-1))).toBe(compileOnce(source(-1)));
    expect(compileOnce<number, number>(source(-1))(1)).toBe(0.5);
  });

  it('keeps at most COMPILED_KEPT sources, dropping the least recently used', () => {
    const kept = compileOnce(source(0));
    const dropped = compileOnce(source(1));
    for (let i = 2; i < COMPILED_KEPT; i++) {
      compileOnce(source(i));
      if (i % 100 === 0) compileOnce(source(0)); // used again: stays
    }
    compileOnce(source(0));
    for (let i = COMPILED_KEPT; i < COMPILED_KEPT + 10; i++) compileOnce(source(i));
    expect(compiledSources()).toBe(COMPILED_KEPT);
    expect(compileOnce(source(0))).toBe(kept);
    expect(compileOnce(source(1))).not.toBe(dropped);
  });
});
