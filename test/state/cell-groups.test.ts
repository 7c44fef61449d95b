// Grouped cells (partition instances): a delta visits only the groups marked
// changed since the last capture, lists unregistered cells as dropped, and
// restoring the chain equals the live state.

import { describe, expect, it } from 'vitest';
import { CheckpointManager, InMemoryStore, decodeCheckpoint, markChanged, type CellGroup } from '../../src/state/index.js';
import { MapCell, QueueCell } from './helpers.js';

interface Instance {
  readonly group: CellGroup;
  readonly mgr: CheckpointManager;
  readonly q: QueueCell;
  readonly m: MapCell;
}

function register(mgr: CheckpointManager, key: string): Instance {
  const group: CellGroup = { changedIn: 0, cellIds: () => [`q1/0:window@${key}`, `q1/selector@${key}`] };
  const inst = { group, mgr, q: new QueueCell(), m: new MapCell() };
  mgr.register(`q1/0:window@${key}`, inst.q);
  mgr.register(`q1/selector@${key}`, inst.m);
  mgr.groupCell(`q1/0:window@${key}`, inst.group);
  mgr.groupCell(`q1/selector@${key}`, inst.group);
  return inst;
}

function touch(inst: Instance, i: number): void {
  markChanged(inst.mgr.changes, inst.group);
  inst.q.add([i], 3);
  inst.m.add(`s${i % 2}`, i);
}

async function lastIds(store: InMemoryStore): Promise<{ ids: string[]; dropped: readonly string[] | undefined }> {
  const revs = await store.list('A');
  const d = decodeCheckpoint((await store.load('A', revs[revs.length - 1]!))!);
  return { ids: d.cells.map((c) => c.id), dropped: d.header.dropped };
}

describe('grouped cells', () => {
  it('a delta carries only the changed groups and the dropped ids; the chain restores the live state', async () => {
    const mgr = new CheckpointManager({ appName: 'A', fingerprint: 'f' });
    const store = new InMemoryStore();
    const keys = ['a', 'b', 'c'];
    const live = new Map(keys.map((k) => [k, register(mgr, k)]));
    keys.forEach((k, i) => touch(live.get(k)!, i));
    await mgr.persist(store, { mode: 'full' });

    touch(live.get('b')!, 10);
    await mgr.persist(store, { mode: 'delta' });
    expect(await lastIds(store)).toEqual({ ids: ['q1/0:window@b', 'q1/selector@b'], dropped: [] });

    // Nothing reached any instance: an empty delta.
    await mgr.persist(store, { mode: 'delta' });
    expect(await lastIds(store)).toEqual({ ids: [], dropped: [] });

    // 'a' goes, 'd' comes, 'c' changes; then 'a' comes back empty.
    mgr.unregister('q1/0:window@a');
    mgr.unregister('q1/selector@a');
    live.delete('a');
    live.set('d', register(mgr, 'd'));
    touch(live.get('d')!, 20);
    touch(live.get('c')!, 21);
    await mgr.persist(store, { mode: 'delta' });
    const third = await lastIds(store);
    expect(third.ids.sort()).toEqual(['q1/0:window@c', 'q1/0:window@d', 'q1/selector@c', 'q1/selector@d']);
    expect([...third.dropped!].sort()).toEqual(['q1/0:window@a', 'q1/selector@a']);

    live.set('a', register(mgr, 'a'));
    touch(live.get('a')!, 30);
    await mgr.persist(store, { mode: 'delta' });
    expect((await lastIds(store)).dropped).toEqual([]);

    const fresh = new CheckpointManager({ appName: 'A', fingerprint: 'f' });
    const restored = new Map([...live.keys()].map((k) => [k, register(fresh, k)]));
    const report = await fresh.restoreLastRevision(store);
    expect(report!.chain).toHaveLength(5);
    expect(report!.gone).toEqual([]);
    expect(report!.missing).toEqual([]);
    for (const [k, inst] of live) {
      expect([...restored.get(k)!.q.queue], k).toEqual([...inst.q.queue]);
      expect(restored.get(k)!.q.count, k).toBe(inst.q.count);
      expect([...restored.get(k)!.m.map.entries()], k).toEqual([...inst.m.map.entries()]);
    }
  });

  it('a cell dropped along the chain is not restored: registered again, it is new to the checkpoint', async () => {
    const mgr = new CheckpointManager({ appName: 'A', fingerprint: 'f' });
    const store = new InMemoryStore();
    const a = register(mgr, 'a');
    touch(a, 1);
    await mgr.persist(store, { mode: 'full' });
    mgr.unregister('q1/0:window@a');
    mgr.unregister('q1/selector@a');
    await mgr.persist(store, { mode: 'delta' });

    const fresh = new CheckpointManager({ appName: 'A', fingerprint: 'f' });
    register(fresh, 'a');
    await expect(fresh.restoreLastRevision(store)).rejects.toThrow(/new in the app: 'q1\/0:window@a'/);
  });

  it('a delta capture visits only the marked groups; a capture that fails leaves them marked', async () => {
    const mgr = new CheckpointManager({ appName: 'A', fingerprint: 'f' });
    const visits = new Map<string, number>();
    const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
    const live = new Map(keys.map((k) => [k, register(mgr, k)]));
    for (const inst of live.values()) {
      for (const cell of [inst.q, inst.m]) {
        const capture = cell.capture.bind(cell);
        cell.capture = (mode) => {
          const id = `${cell === inst.q ? 'q' : 'm'}`;
          visits.set(id, (visits.get(id) ?? 0) + 1);
          return capture(mode);
        };
      }
    }
    keys.forEach((k, i) => touch(live.get(k)!, i));
    mgr.capture('full');
    expect(visits.get('q')).toBe(50);
    visits.clear();
    touch(live.get('k7')!, 1);
    touch(live.get('k7')!, 2);
    touch(live.get('k9')!, 3);
    expect(mgr.capture('delta').cells.map((c) => c.id)).toEqual(['q1/0:window@k7', 'q1/selector@k7', 'q1/0:window@k9', 'q1/selector@k9']);
    expect(visits.get('q')).toBe(2);

    const k3 = live.get('k3')!;
    touch(k3, 4);
    const capture = k3.q.capture.bind(k3.q);
    k3.q.capture = () => {
      throw new Error('boom');
    };
    expect(() => mgr.capture('delta')).toThrow(/boom/);
    k3.q.capture = capture;
    expect(mgr.capture('delta').cells.map((c) => c.id)).toEqual(['q1/0:window@k3', 'q1/selector@k3']);
    expect(mgr.capture('delta').cells).toEqual([]);
  });
});
