import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../src/index.js';

describe('grouped batch output', () => {
  it('emits the last row per key in first-seen order, also with many keys in one chunk', () => {
    const app = `define stream S (k string, v int);
from S#window.lengthBatch(30) select k, sum(v) as total group by k insert into O;`;
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    const out: unknown[][] = [];
    rt.addCallback('O', (events) => out.push(...events.map((e) => [...e.data])));
    rt.start();
    const keys = Array.from({ length: 12 }, (_, i) => `k${(i * 5) % 12}`);
    const expected = new Map<string, number>();
    for (let i = 0; i < 30; i++) {
      const k = keys[i % keys.length]!;
      rt.getInputHandler('S').send([k, i], 1000 + i);
      expected.set(k, (expected.get(k) ?? 0) + i);
    }
    expect(out).toEqual([...expected].map(([k, v]) => [k, v]));
  });
});
