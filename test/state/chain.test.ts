import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CheckpointManager, CheckpointMismatchError, InMemoryStore, readCheckpointHeader,
  type CheckpointManagerOptions, type PersistenceStore,
} from '../../src/state/index.js';
import { SiddhiStateError } from '../../src/errors.js';
import { MapCell, QueueCell } from './helpers.js';

function app(options: Partial<CheckpointManagerOptions> = {}) {
  let t = 1000;
  const mgr = new CheckpointManager({ appName: 'A', fingerprint: 'f', now: () => t++, ...options });
  const q = new QueueCell();
  const m = new MapCell();
  mgr.register('q', q);
  mgr.register('m', m);
  const feed = (i: number, keep = 6) => {
    q.add([i, `k${i % 5}`, i / 3], keep);
    m.add(`k${i % 7}`, i * 0.5);
  };
  const state = () => ({ q: q.queue.toArray(), n: q.count, m: [...m.map.entries()] });
  return { mgr, q, m, feed, state };
}

async function modes(store: InMemoryStore): Promise<string[]> {
  const out: string[] = [];
  for (const rev of await store.list('A')) out.push(readCheckpointHeader((await store.load('A', rev))!).mode);
  return out;
}

describe('incremental chains', () => {
  it('writes a full checkpoint every K deltas', async () => {
    const a = app({ fullEvery: 2, deltaRatio: 100 });
    const store = new InMemoryStore({ retain: Infinity });
    for (let i = 0; i < 7; i++) {
      a.feed(i);
      await a.mgr.persist(store);
    }
    expect(await modes(store)).toEqual(['full', 'delta', 'delta', 'full', 'delta', 'delta', 'full']);
    expect(a.mgr.metrics.map((m) => m.mode)).toEqual(['full', 'delta', 'delta', 'full', 'delta', 'delta', 'full']);
  });

  it('writes a full checkpoint once the deltas outgrow the base', async () => {
    const a = app({ fullEvery: 100, deltaRatio: 1 });
    const store = new InMemoryStore();
    a.feed(0);
    await a.mgr.persist(store, { compression: 'none' });
    for (let i = 1; i < 12; i++) {
      a.feed(i, 1000);
      await a.mgr.persist(store, { compression: 'none' });
    }
    const ms = await modes(store);
    expect(ms.filter((m) => m === 'full').length).toBeGreaterThan(1);
  });

  it('restoring a chain equals restoring a full snapshot and the live state', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(-1)), { minLength: 1, maxLength: 40 }),
        fc.constantFrom('none' as const, 'lz4' as const, 'zstd' as const),
        async (steps, compression) => {
          const a = app({ fullEvery: 4, compression });
          const store = new InMemoryStore();
          let i = 0;
          for (const s of steps) {
            if (s < 0) {
              await a.mgr.persist(store);
              continue;
            }
            for (let k = 0; k < s; k++) a.feed(i++);
          }
          await a.mgr.persist(store);
          const viaChain = app();
          const report = await viaChain.mgr.restoreLastRevision(store);
          expect(report!.restored).toEqual(['q', 'm']);
          const viaSnapshot = app();
          viaSnapshot.mgr.restore(a.mgr.snapshot());
          expect(viaChain.state()).toEqual(a.state());
          expect(viaSnapshot.state()).toEqual(a.state());
        },
      ),
      { numRuns: 60 },
    );
  });

  it('continues the chain after restoring from it', async () => {
    const a = app();
    const store = new InMemoryStore();
    for (let i = 0; i < 10; i++) a.feed(i);
    await a.mgr.persist(store);
    a.feed(10);
    const r2 = await a.mgr.persist(store);
    const b = app();
    const report = await b.mgr.restoreLastRevision(store);
    expect(report!.revision).toBe(r2);
    expect(report!.chain.length).toBe(2);
    for (let i = 11; i < 20; i++) b.feed(i);
    const r3 = await b.mgr.persist(store);
    const h = readCheckpointHeader((await store.load('A', r3))!);
    expect(h).toMatchObject({ mode: 'delta', parent: r2 });
    const c = app();
    await c.mgr.restoreLastRevision(store);
    expect(c.state()).toEqual(b.state());
  });

  it('falls back to the newest revision whose chain is intact, and says so', async () => {
    const a = app({ fullEvery: 10 });
    const store = new InMemoryStore();
    const revs: string[] = [];
    const states: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      a.feed(i);
      revs.push(await a.mgr.persist(store));
      states.push(a.state());
    }
    const damage = async (rev: string) => {
      const bytes = (await store.load('A', rev))!;
      bytes[bytes.length >> 1]! ^= 1;
      store.put('A', rev, bytes);
    };
    await damage(revs[2]!);
    let b = app();
    let report = await b.mgr.restoreLastRevision(store);
    expect(report!.revision).toBe(revs[1]);
    expect(report!.skipped.map((s) => s.revision)).toEqual([revs[2]]);
    expect(report!.skipped[0]!.reason).toMatch(/checksum/);
    expect(b.state()).toEqual(states[1]);

    await damage(revs[1]!);
    b = app();
    report = await b.mgr.restoreLastRevision(store);
    expect(report!.revision).toBe(revs[0]);
    expect(report!.skipped.map((s) => s.revision)).toEqual([revs[2], revs[1]]);
    expect(b.state()).toEqual(states[0]);

    await damage(revs[0]!);
    b = app();
    await expect(b.mgr.restoreLastRevision(store)).rejects.toThrow(/no usable checkpoint of app 'A'/);
    expect(b.q.restores + b.m.restores).toBe(0);
  });

  it('refuses a chain whose base is missing', async () => {
    const a = app();
    const store = new InMemoryStore();
    a.feed(1);
    const base = await a.mgr.persist(store);
    a.feed(2);
    await a.mgr.persist(store);
    await store.remove('A', base);
    await expect(app().mgr.restoreLastRevision(store)).rejects.toThrow(/missing from the store/);
  });

  it('does not fall back past a mismatch with the app', async () => {
    const a = app();
    const store = new InMemoryStore();
    a.feed(1);
    await a.mgr.persist(store);
    const b = new CheckpointManager({ appName: 'A', fingerprint: 'other' });
    b.register('q', new QueueCell());
    await expect(b.restoreLastRevision(store)).rejects.toBeInstanceOf(CheckpointMismatchError);
  });

  it('resolves to undefined for an empty store', async () => {
    expect(await app().mgr.restoreLastRevision(new InMemoryStore())).toBeUndefined();
  });

  it('starts a new full chain after a snapshot or a failed save', async () => {
    const a = app();
    const inner = new InMemoryStore();
    let fail = false;
    const store: PersistenceStore = {
      save: async (n, r, b) => {
        if (fail) throw new Error('disk full');
        await inner.save(n, r, b);
      },
      load: (n, r) => inner.load(n, r),
      list: (n) => inner.list(n),
      remove: (n, r) => inner.remove(n, r),
    };
    a.feed(1);
    await a.mgr.persist(store);
    a.mgr.snapshot();
    a.feed(2);
    await a.mgr.persist(store);
    fail = true;
    a.feed(3);
    const p1 = a.mgr.persist(store);
    a.feed(4);
    const p2 = a.mgr.persist(store); // a delta on top of p1, captured before p1 failed
    await expect(p1).rejects.toThrow(/disk full/);
    await expect(p2).rejects.toThrow(/parent .* failed to save/);
    fail = false;
    a.feed(5);
    await a.mgr.persist(store);
    expect(await modes(inner)).toEqual(['full', 'full', 'full']);
    const b = app();
    await b.mgr.restoreLastRevision(store);
    expect(b.state()).toEqual(a.state());
  });

  it('throws SiddhiStateError when the store holds only garbage', async () => {
    const store = new InMemoryStore();
    store.put('A', '1', new Uint8Array([1, 2, 3]));
    await expect(app().mgr.restoreLastRevision(store)).rejects.toBeInstanceOf(SiddhiStateError);
  });
});
