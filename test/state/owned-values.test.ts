import { describe, expect, it } from 'vitest';
import { CheckpointManager, type StateCell } from '../../src/state/index.js';
import { adopt, owns } from '../../src/state/owned-values.js';

/** A cell whose state is a map it was handed (as a window row holds a map:create result). */
function holding(value: unknown): StateCell {
  return { kind: 'test.holder', version: 1, capture: () => [value], restore: () => {} };
}

const manager = (): CheckpointManager => new CheckpointManager({ appName: 'Owned', fingerprint: 'f' });

describe('engine-made maps and lists', () => {
  it('may change in place until a capture, which may hold them', () => {
    const inner = adopt([1]);
    const m = adopt(new Map<string, unknown>([['l', inner]]));
    const mgr = manager();
    mgr.register('a', holding(m));
    expect(owns(m)).toBe(true);
    mgr.capture('full');
    // Nested ones too: the capture holds them through `m`.
    expect([owns(m), owns(inner)]).toEqual([false, false]);
    expect(owns(adopt(new Map()))).toBe(true);
  });

  it('are disowned by the initial states kept at start and by a late cell registering after it', () => {
    const mgr = manager();
    const m = adopt(new Map());
    mgr.register('a', holding(m));
    mgr.markStarted();
    expect(owns(m)).toBe(false);
    const late = adopt([]);
    mgr.register('b', holding(late));
    expect(owns(late)).toBe(false);
  });
});
