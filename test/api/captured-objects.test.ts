import { describe, expect, it } from 'vitest';
import { InMemoryStore, SiddhiManager } from '../../src/index.js';
import type { SiddhiAppRuntime } from '../../src/index.js';

// Maps the engine made (map:create) are changed in place by map:put. A state the
// checkpoint manager holds on to (a checkpoint encoded after its pause, the state
// kept at start for lenient restores) must not see such changes made after it was taken.

const plain = (v: unknown): unknown => (v instanceof Map ? Object.fromEntries([...v].map(([k, x]) => [k, plain(x)])) : Array.isArray(v) ? v.map(plain) : v);
const rows = (rt: SiddhiAppRuntime, q: string): unknown[] => rt.query(q).map((e) => plain(e.data));

describe('the state kept at start', () => {
  const APP = `
@app:name('KeptObjects')
define stream S (id long);
define stream U (id long);
define trigger T at 'start';
define window W (id long, m object) length(10);
from T select 0L as id, map:create('k', 0) as m insert into W;
from S select id, map:create('k', id) as m insert into W;
from U join W on W.id == U.id select map:put(W.m, 'k', -1) as r insert into O;
`;
  // An edited app that lacks W: a lenient restore from it puts W back as it was at start.
  const EDIT = `@app:name('KeptObjects')
define stream S (id long);`;
  const create = (text: string): SiddhiAppRuntime => new SiddhiManager().createSiddhiAppRuntime(text, { playback: true });
  const edited = (): Uint8Array => {
    const e = create(EDIT);
    e.start();
    return e.snapshot();
  };

  for (const before of [false, true]) {
    it(`does not change with a map:put on a row it holds${before ? ' (restored before the start)' : ''}`, () => {
      const src = create(APP);
      src.start();
      for (let i = 1; i <= 3; i++) src.getInputHandler('S').send([i], 1000 + i);
      const rt = create(APP);
      if (before) rt.restore(src.snapshot());
      rt.start();
      const atStart = rows(rt, 'from W select id, m');
      expect(atStart[0]).toEqual([0, { k: 0 }]);
      for (let i = 0; i <= 3; i++) rt.getInputHandler('U').send([i], 2000 + i);
      const ce = edited();
      rt.restore(ce, { lenient: true });
      expect(rows(rt, 'from W select id, m')).toEqual(atStart);
      for (let i = 0; i <= 3; i++) rt.getInputHandler('U').send([i], 3000 + i);
      rt.restore(ce, { lenient: true });
      expect(rows(rt, 'from W select id, m')).toEqual(atStart);
    });
  }
});

describe('a persisted checkpoint', () => {
  // One map, made once per S event, held by a window, a table, a pattern's first state and an aggregator.
  const APP = `
@app:name('PersistedObjects')
define stream S0 (id long);
define stream S (id long, m object);
define stream U (id long);
define stream P (id long);
from S0 select id, map:create('k', id) as m insert into S;
define window W (id long, m object) length(10);
from S insert into W;
define table T (id long, m object);
from S insert into T;
from every e1=S -> e2=P select e1.id as id, e1.m as m insert into Matched;
from S#window.length(10) select list:collect(m) as l insert into Collected;
from U join W on W.id == U.id select map:put(W.m, 'k', -1) as r insert into O;
`;

  it('holds the values of its pause, not a map:put made before it is saved', async () => {
    const store = new InMemoryStore();
    const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true, store });
    rt.start();
    rt.getInputHandler('S0').send([1], 1000);
    const saved = rt.persist({ mode: 'full' });
    // Runs before the checkpoint is encoded: changes the map every cell above holds, in place.
    rt.getInputHandler('U').send([1], 1001);
    await saved;

    const back = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true, store });
    await back.restoreLastRevision();
    const matched: unknown[] = [];
    const collected: unknown[] = [];
    back.addCallback('Matched', (evs) => matched.push(...evs.map((e) => plain(e.data))));
    back.addCallback('Collected', (evs) => collected.push(...evs.map((e) => plain(e.data))));
    back.start();
    expect(rows(back, 'from W select id, m')).toEqual([[1, { k: 1 }]]);
    expect(rows(back, 'from T select id, m')).toEqual([[1, { k: 1 }]]);
    back.getInputHandler('P').send([9], 2000);
    expect(matched).toEqual([[1, { k: 1 }]]);
    back.getInputHandler('S0').send([2], 2001);
    expect(collected).toEqual([[[{ k: 1 }, { k: 2 }]]]);
  });

  it('leaves map:put on a map it holds giving the changed map', async () => {
    const store = new InMemoryStore();
    const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true, store });
    rt.start();
    rt.getInputHandler('S0').send([1], 1000);
    await rt.persist({ mode: 'full' });
    const out: unknown[] = [];
    rt.addCallback('O', (evs) => out.push(...evs.map((e) => plain(e.data))));
    rt.getInputHandler('U').send([1], 1001);
    expect(out).toEqual([[{ k: -1 }]]);
  });
});
