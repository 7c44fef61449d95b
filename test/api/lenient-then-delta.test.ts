import { describe, expect, it } from 'vitest';
import { InMemoryStore, SiddhiManager } from '../../src/index.js';

// A lenient restore into an edited app fills the cells the chain lacks from their initial state: the chain has no
// full state of them, so the deltas persisted after it must carry them whole, or no later restore can use those deltas.

const V1 = `@app:name('Edited')
define stream S (v int);
define table Tab (v int);
from S select v insert into Tab;
`;
const V2 = `${V1}
define table Tab2 (v int);
from S[v > 3] select v insert into Tab2;
`;

function runtime(text: string, store: InMemoryStore) {
  return new SiddhiManager().createSiddhiAppRuntime(text, { playback: true, store });
}

const rows = (rt: ReturnType<typeof runtime>, table: string): unknown[] => rt.query(`from ${table} select v`).map((e) => e.data[0]);

describe('deltas after a lenient restore into an edited app', () => {
  for (const order of ['restore then start', 'start then restore'] as const) {
    it(`carry the cells the chain lacked whole, so a fresh runtime restores them (${order})`, async () => {
      const store = new InMemoryStore();
      const v1 = runtime(V1, store);
      v1.start();
      v1.getInputHandler('S').send([3], 1000);
      await v1.persist({ mode: 'full' });
      v1.shutdown();

      const v2 = runtime(V2, store);
      if (order === 'start then restore') v2.start();
      await v2.restoreLastRevision({ lenient: true });
      expect(v2.lastRestoreReport?.missing).toContain('Tab2:table');
      if (order === 'restore then start') v2.start();
      v2.getInputHandler('S').send([4], 2000);
      await v2.persist({ mode: 'delta' });
      v2.getInputHandler('S').send([5], 3000);
      await v2.persist({ mode: 'delta' });
      v2.shutdown();

      const fresh = runtime(V2, store);
      await fresh.restoreLastRevision();
      expect(fresh.lastRestoreReport?.skipped).toEqual([]);
      fresh.start();
      expect(rows(fresh, 'Tab')).toEqual([3, 4, 5]);
      expect(rows(fresh, 'Tab2')).toEqual([4, 5]);
    });
  }
});
