import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CheckpointManager, FileStore, InMemoryStore, readCheckpointHeader, type PersistenceStore,
} from '../../src/state/index.js';
import { SiddhiStateError } from '../../src/errors.js';
import { QueueCell } from './helpers.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'siddhi-state-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function app(fullEvery = 2) {
  let t = 1000;
  const mgr = new CheckpointManager({ appName: 'A', fingerprint: 'f', now: () => t++, fullEvery, deltaRatio: 100 });
  const q = new QueueCell();
  mgr.register('q', q);
  return { mgr, q };
}

async function chainOf(store: PersistenceStore): Promise<string[]> {
  const out: string[] = [];
  for (const rev of await store.list('A')) {
    const h = readCheckpointHeader((await store.load('A', rev))!);
    out.push(h.mode === 'full' ? 'F' : 'd');
  }
  return out;
}

for (const [name, make] of [
  ['InMemoryStore', (retain?: number) => new InMemoryStore(retain === undefined ? {} : { retain })],
  ['FileStore', (retain?: number) => new FileStore(tempDir(), retain === undefined ? {} : { retain })],
] as const) {
  describe(name, () => {
    it('saves, lists newest last, loads and removes', async () => {
      const store = make();
      const bytes = new Uint8Array([1, 2, 3]);
      await store.save('A', '2', bytes);
      await store.save('A', '1', new Uint8Array([9]));
      await store.save('B', '3', new Uint8Array([7]));
      bytes[0] = 99; // the store keeps its own copy
      expect(await store.list('A')).toEqual(['1', '2']);
      expect(await store.load('A', '2')).toEqual(new Uint8Array([1, 2, 3]));
      expect(await store.load('A', '5')).toBeUndefined();
      await store.remove('A', '1');
      await store.remove('A', '1');
      expect(await store.list('A')).toEqual(['2']);
      expect(await store.list('nope')).toEqual([]);
    });

    it('keeps the last N revisions and every base their deltas need', async () => {
      const store = make(2);
      const a = app(3);
      const kept: string[][] = [];
      for (let i = 0; i < 9; i++) {
        a.q.add([i], 10);
        await a.mgr.persist(store);
        kept.push(await chainOf(store));
      }
      // Revisions: F d d d F d d d F
      expect(kept[1]).toEqual(['F', 'd']);
      expect(kept[2]).toEqual(['F', 'd', 'd']);
      expect(kept[3]).toEqual(['F', 'd', 'd', 'd']);
      // The kept delta just before the new base still needs its whole chain.
      expect(kept[4]).toEqual(['F', 'd', 'd', 'd', 'F']);
      expect(kept[5]).toEqual(['F', 'd']);
      expect(kept[6]).toEqual(['F', 'd', 'd']);
      expect(kept[8]).toEqual(['F', 'd', 'd', 'd', 'F']);
      const b = app();
      await b.mgr.restoreLastRevision(store);
      expect(b.q.queue.toArray()).toEqual(a.q.queue.toArray());
    });
  });
}

describe('FileStore', () => {
  it('writes atomically: no temp files remain, stray temp files are ignored', async () => {
    const dir = tempDir();
    const store = new FileStore(dir);
    await store.save('A', 'r1', new Uint8Array([1]));
    expect(readdirSync(join(dir, 'A'))).toEqual(['r1.sdck']);
    writeFileSync(join(dir, 'A', '.r2.sdck.123.0.tmp'), 'half a write');
    expect(await store.list('A')).toEqual(['r1']);
  });

  it('keeps app names inside its directory', async () => {
    const dir = tempDir();
    const store = new FileStore(join(dir, 'inner'));
    await store.save('..', 'r1', new Uint8Array([1]));
    await store.save('a/b', 'r1', new Uint8Array([2]));
    expect(readdirSync(dir)).toEqual(['inner']);
    expect(await store.load('..', 'r1')).toEqual(new Uint8Array([1]));
    await expect(store.save('A', '../x', new Uint8Array())).rejects.toBeInstanceOf(SiddhiStateError);
  });

  it('reports a failed write as a state error and leaves nothing behind', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'A'), 'a file where the app directory should be');
    const store = new FileStore(dir);
    await expect(store.save('A', 'r1', new Uint8Array([1]))).rejects.toBeDefined();
    expect(readdirSync(dir)).toEqual(['A']);
  });

  it('restores the last revision after a restart', async () => {
    const dir = tempDir();
    const a = app();
    const store = new FileStore(dir, { retain: 3 });
    for (let i = 0; i < 5; i++) {
      a.q.add([i, 'x', i / 7], 3);
      await a.mgr.persist(store);
    }
    const b = app();
    const store2 = new FileStore(dir, { retain: 1 });
    const report = await b.mgr.restoreLastRevision(store2);
    expect(report!.restored).toEqual(['q']);
    expect(b.q.queue.toArray()).toEqual(a.q.queue.toArray());
    // A new store instance prunes by reading the headers of files it did not write.
    b.q.add([99], 3);
    await b.mgr.persist(store2);
    expect(await chainOf(store2)).toEqual(['F', 'd', 'd']);
    const c = app();
    await c.mgr.restoreLastRevision(new FileStore(dir));
    expect(c.q.queue.toArray()).toEqual(b.q.queue.toArray());
  });
});

describe('FileStore temp files', () => {
  it('sweeps temp files of writers that are no longer running, and keeps live ones', async () => {
    const { mkdtemp, writeFile, readdir, mkdir } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { FileStore } = await import('../../src/state/file-store.js');
    const dir = await mkdtemp(join(tmpdir(), 'siddhi-sweep-'));
    await mkdir(join(dir, 'App'), { recursive: true });
    const dead = `.000-000.sdck.999999999.0.tmp`;
    const live = `.000-001.sdck.${process.ppid}.0.tmp`;
    await writeFile(join(dir, 'App', dead), 'x');
    await writeFile(join(dir, 'App', live), 'x');
    const store = new FileStore(dir);
    const { packCheckpoint, sealCheckpoint } = await import('../../src/state/index.js');
    const bytes = sealCheckpoint(packCheckpoint({ revision: '001-000000', parent: null, mode: 'full', createdAt: 1, cells: [] }, { appName: 'App', fingerprint: 'f' }));
    await store.save('App', '001-000000', bytes);
    const names = await readdir(join(dir, 'App'));
    expect(names).not.toContain(dead);
    expect(names).toContain(live);
    expect(await store.list('App')).toEqual(['001-000000']);
  });
});
