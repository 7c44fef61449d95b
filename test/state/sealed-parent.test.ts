// Stores find a sealed file's parent without decoding its header (codec.ts
// sealedParent): the answer must be the one the header gives, for the bytes
// sealed, the copies a store keeps, and bytes changed since.

import { describe, expect, it } from 'vitest';
import { InMemoryStore, packCheckpoint, sealCheckpoint, type Captured } from '../../src/state/index.js';
import { parentOf } from '../../src/state/stores.js';

const app = { appName: 'A', fingerprint: 'f' };

function captured(revision: string, parent: string | null): Captured {
  return {
    revision, parent, mode: parent === null ? 'full' : 'delta', createdAt: 1,
    cells: [{ id: 'q/0:w', kind: 'window.length', version: 1, mode: parent === null ? 'full' : 'delta', state: { n: [1, 2, 3] } }],
  };
}

describe('parent of a sealed checkpoint', () => {
  it('is the header parent for the sealed bytes and a store copy; null for a full one', async () => {
    const delta = sealCheckpoint(packCheckpoint(captured('r2', 'r1'), app));
    expect(parentOf(delta)).toBe('r1');
    expect(parentOf(sealCheckpoint(packCheckpoint(captured('r1', null), app)))).toBeNull();
    const store = new InMemoryStore();
    await store.save('A', 'r2', delta);
    expect(parentOf((await store.load('A', 'r2'))!)).toBe('r1');
  });

  it('is read again from bytes whose header changed since sealing (null when it no longer checks)', () => {
    const delta = sealCheckpoint(packCheckpoint(captured('r2', 'r1'), app));
    delta[14] = delta[14]! ^ 0x01;
    expect(parentOf(delta)).toBeNull();
  });
});
