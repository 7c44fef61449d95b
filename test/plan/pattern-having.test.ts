// `having` over a pattern reads a counting state's unindexed attribute as its
// first event (the reference resolves having with event index 0), while
// `select` reads it as the list of all its events' values.

import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../src/index.js';

function run(query: string): { out: unknown[][]; errors: string[] } {
  const rt = new SiddhiManager().createSiddhiAppRuntime(
    `define stream S (price double); define stream T (price double);\n${query}`, { playback: true });
  const out: unknown[][] = [];
  const errors: string[] = [];
  rt.addCallback('O', (es) => es.forEach((e) => out.push([...e.data])));
  rt.onError((e) => errors.push(String(e)));
  rt.start();
  for (const [s, p] of [['S', 25], ['S', 10], ['T', 1]] as const) rt.getInputHandler(s).send([p], 1);
  rt.shutdown();
  return { out, errors };
}

describe('having over a counting pattern state', () => {
  it("reads e1.price as the state's first event", () => {
    expect(run('from e1=S<2:> -> e2=T select e2.price as p having e1.price > 20.0 insert into O;')).toEqual({ out: [[1]], errors: [] });
    expect(run('from e1=S<2:> -> e2=T select e2.price as p having e1.price < 20.0 insert into O;')).toEqual({ out: [], errors: [] });
  });

  it('while select still reads it as the list of every event', () => {
    expect(run('from e1=S<2:> -> e2=T select e1.price as ps, e2.price as p having e1[last].price < 20.0 insert into O;').out)
      .toEqual([[[25, 10], 1]]);
  });
});
