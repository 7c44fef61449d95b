// `within` when a state's pending list is not in start order: a match that
// started earlier reaches the third state after one that started later. The
// reference (Siddhi 5.1, since b738a157f "Support every containing multiple
// patterns elements with within") expires pending matches only from the front
// of the list, up to the first live one, and scans only the new list whole;
// processing no longer checks a match's age. So the expired match behind a
// live front stays and completes. Both the interpreted path and the
// generated step (kernels on) must do so.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../../../src/index.js';

const HEAD = 'define stream A (x int); define stream B (x int); define stream C (x int);\n';

afterEach(() => {
  delete process.env.SIDDHI_KERNELS;
});

type Send = [stream: string, row: unknown[], ts: number];

function run(app: string, sends: readonly Send[], kernels: boolean, checkpoint?: Uint8Array): unknown[] {
  if (kernels) delete process.env.SIDDHI_KERNELS;
  else process.env.SIDDHI_KERNELS = 'off';
  const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
  delete process.env.SIDDHI_KERNELS;
  const out: unknown[] = [];
  rt.addCallback('Out', (es) => { for (const e of es) out.push([e.timestamp, ...e.data]); });
  rt.start();
  if (checkpoint !== undefined) rt.restore(checkpoint);
  for (const [s, row, ts] of sends) rt.getInputHandler(s).send(row, ts);
  rt.shutdown();
  return out;
}

const THREE: Send[] = [
  ['A', [1], 0],
  ['A', [2], 5000],
  // x=2 reaches the third state first, then x=1 (started 5 s earlier).
  ['B', [2], 6000],
  ['B', [1], 7000],
  // Completes nothing: moves both into the third state's pending list, x=2 first.
  ['C', [0], 8000],
  // 11 s after x=1 started: expiry stops at x=2 (live), so x=1 stays.
  ['C', [9], 11_000],
  ['C', [1], 11_500],
  ['C', [2], 12_000],
];

function three(third: string): string {
  return `${HEAD}from every e1=A -> e2=B[x == e1.x] -> e3=${third} within 10 sec select e1.x as x, e3.x as c insert into Out;`;
}

const ONE = "@app:name('LateFlags')\ndefine stream S (symbol string, price double, volume long);\n@info(name = 'q')\n"
  + 'from every e1=S -> e2=S[e1.volume == volume and price > e1.price] within 300 millisec '
  + 'select e1.symbol, e2.symbol as s2, e2.price - e1.price as d insert into Out;\n';

describe.each([false, true])('within with a pending list out of start order (kernels %s)', (kernels) => {
  it('completes the expired match behind a live one (plain state)', () => {
    expect(run(three('C[x > 5]'), THREE, kernels)).toEqual([[11_000, 2, 9], [11_000, 1, 9]]);
  });

  it('completes the expired match behind a live one (state keyed by e1.x)', () => {
    expect(run(three('C[x == e1.x]'), THREE, kernels)).toEqual([[11_500, 1, 1], [12_000, 2, 2]]);
  });

  it('completes it on one stream, keyed (the rows the generated step keeps)', () => {
    // 9950 comes after 10000, so e2's list is out of start order; at 9650 expiry
    // stops at the match of 9950 (300 ms: live), leaving the one of 10000 (350 ms)
    // behind it, which completes. The match of the last 10000 is still new, and the
    // new list is scanned whole: it goes.
    const sends: Send[] = [
      ['S', ['a', 0, 2], 10_000],
      ['S', ['a', null, 1], 9950],
      ['S', ['a', 5, 2], 10_000],
      ['S', ['a', 1, 1], 10_000],
      ['S', ['a', 10, 2], 9650],
      ['S', ['a', 20, 1], 9650],
    ];
    expect(run(ONE, sends, kernels)).toEqual([[10_000, 'a', 'a', 5], [9650, 'a', 'a', 5]]);
  });

  it('restores a checkpoint that noted the start order (written before the change) and completes it', () => {
    // Written by 176aafb (interpreted) after the first four events above: e2's
    // flags are [initialized, unordered, lastStart]. Restored there, the match
    // of 10000 was dropped late at 9650 (no output).
    const bytes = new Uint8Array(readFileSync(join(import.meta.dirname, 'fixtures', 'late-flags-0886939.sdck')));
    const rest: Send[] = [['S', ['a', 10, 2], 9650], ['S', ['a', 20, 1], 9650]];
    expect(run(ONE, rest, kernels, bytes)).toEqual([[9650, 'a', 'a', 5]]);
  });
});
