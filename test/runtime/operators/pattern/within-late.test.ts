// `within` when a state's pending list is not in start order: a match that
// started earlier reaches the third state after one that started later, so
// dropping expired matches from the front stops before it. As the reference
// does, processing drops it instead of completing it.

import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../../../src/index.js';

const HEAD = 'define stream A (x int); define stream B (x int); define stream C (x int);\n';

function run(third: string): unknown[] {
  const rt = new SiddhiManager().createSiddhiAppRuntime(
    `${HEAD}from every e1=A -> e2=B[x == e1.x] -> e3=${third} within 10 sec select e1.x as x, e3.x as c insert into Out;`,
    { playback: true },
  );
  const out: unknown[] = [];
  rt.addCallback('Out', (es) => { for (const e of es) out.push([e.timestamp, ...e.data]); });
  rt.start();
  rt.getInputHandler('A').send([1], 0);
  rt.getInputHandler('A').send([2], 5000);
  // x=2 reaches the third state first, then x=1 (started 5 s earlier).
  rt.getInputHandler('B').send([2], 6000);
  rt.getInputHandler('B').send([1], 7000);
  // Completes nothing: moves both into the third state's pending list.
  rt.getInputHandler('C').send([0], 8000);
  // 11 s after x=1 started: only x=2 is still within 10 sec.
  rt.getInputHandler('C').send([9], 11_000);
  rt.getInputHandler('C').send([1], 11_500);
  rt.getInputHandler('C').send([2], 12_000);
  rt.shutdown();
  return out;
}

describe('within with a pending list out of start order', () => {
  it('drops the expired match behind a live one (plain state)', () => {
    expect(run('C[x > 5]')).toEqual([[11_000, 2, 9]]);
  });

  it('drops the expired match behind a live one (state keyed by e1.x)', () => {
    expect(run('C[x == e1.x]')).toEqual([[12_000, 2, 2]]);
  });
});
