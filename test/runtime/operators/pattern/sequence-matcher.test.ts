// Sequences of plain and `+` states on one stream run over a ring of events
// (sequence-matcher.ts) when kernels are on: over random input (null prices,
// which the generated send hands to the general path, timestamps that step
// back) they give what the interpreted run gives, with a selector that
// projects at once or keeps its input, partitioned, and restarted from a
// checkpoint taken by either path into either path, whole or as a chain of deltas;
// also when a state's filter or the selector throws, and when the output feeds S.

import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { create, run, sendsOf, type Send } from './kernel-runs.js';
import { SequenceMatcher } from '../../../../src/runtime/operators/pattern/sequence-matcher.js';
import { expectEqual } from '../../../expect-equal.js';

const S = 'define stream S (symbol string, price double, volume long);';
const RISE = 'every e1=S, e2=S[price > e1.price]+, e3=S[price < e2[last].price]';
/** Sequences the matcher runs. */
const APPS = [
  `${S} from ${RISE} select e1.price as p1, e2[0].price as f, e2[last].price as peak, e3.price as p3 insert into O;`,
  `${S} from every e1=S[price > 30], e2=S[price >= e1.price]<1:2>, e3=S[volume == e1.volume] select e1.price as p1, e2[0].price as a, e2[1].price as b, e3.price as p3 insert into O;`,
  `${S} from every e1=S, e2=S[price > e1.price], e3=S[price > e2.price] select e1.price as p1, e2.price as p2, e3.price as p3 insert into O;`,
  `${S} from every e1=S[volume == 1], e2=S select e1.price as p1, e2.price as p2 insert into O;`,
  `${S} from every e1=S, e2=S[price > e1.price]+, e3=S[price < e2[last].price]+, e4=S[volume != e3[last].volume] select e1.price as p1, e2[last].price as a, e3[0].price as b, e4.price as p4 insert into O;`,
  `${S} from every e1=S, e2=S[price > e1.price]<1:1>, e3=S[price <= e2[0].price] select e1.price as p1, e2[0].price as p2, e3.price as p3 insert into O;`,
  `${S} from every e1=S[eventTimestamp() % 100 != 50 or price > 50], e2=S[price > e1.price and eventTimestamp() > 10100]+, e3=S[price < e2[last].price] select e1.price as p1, e3.price as p3, eventTimestamp() as t insert into O;`,
  `${S} from ${RISE} select e1.price as p1, e3.price as p3 having p1 > 20 insert into O;`,
  `${S} from ${RISE} select e1.symbol as s, count() as c group by e1.symbol insert into O;`,
  `${S} from ${RISE} select e1.price as p1, e3.price as p3 output last every 2 events insert into O;`,
  `${S} partition with (symbol of S) begin from ${RISE} select e1.price as p1, e2[last].price as peak, e3.price as p3 insert into O; end;`,
];
/**
 * Filters reading each case of the ring's positions (pattern-scope.ts ringSource), with `!=` (an `is null`
 * leaves the filter on the view path): an index past a plain state's one event, a later state (empty while
 * the filter runs), a counting state's own events before the candidate, and last-N of a counting state.
 */
const RING_APPS = [
  `${S} from every e1=S, e2=S[price != e1[1].price and price > e1.price], e3=S[price != e2[last-1].price] select e1.price as p1, e2.price as p2, e3.price as p3 insert into O;`,
  `${S} from every e1=S, e2=S[price != e3.price and price > e1.price], e3=S select e1.price as p1, e2.price as p2, e3.price as p3 insert into O;`,
  `${S} from every e1=S[price != e2[0].price], e2=S[price > e1.price]+, e3=S[price < e2[last].price] select e1.price as p1, e2[0].price as f, e3.price as p3 insert into O;`,
  `${S} from every e1=S, e2=S[price != e2[1].price]+, e3=S[price < e2[last].price] select e1.price as p1, e2[1].price as s, e3.price as p3 insert into O;`,
  `${S} from every e1=S, e2=S[price > e1.price]+, e3=S[price != e2[last-1].price and price < e2[last].price] select e1.price as p1, e2[last].price as peak, e3.price as p3 insert into O;`,
];

const sends = sendsOf({ symbols: ['a', 'b'], step: 10, steps: 10, nullFreq: 15, maxVolume: 2, dtMin: -2, dtMax: 6, maxLength: 50 });

afterEach(() => {
  delete process.env.SIDDHI_KERNELS;
});

/** O's rows for `input` (events whose processing failed are dropped, as the engine reports them). */
function runThrowing(app: string, input: readonly Send[], kernels: boolean): unknown[][] {
  const out: unknown[][] = [];
  const rt = create(app, kernels);
  rt.addCallback('O', (events) => out.push(...events.map((e) => [e.timestamp, ...e.data])));
  rt.start();
  const handler = rt.getInputHandler('S');
  for (const [row, ts] of input) {
    try {
      handler.send(row, ts);
    } catch {
      // The failed event is dropped; the next one goes on.
    }
  }
  rt.shutdown();
  return out;
}

/** Throws on volume 3 (the generator below sends it one time in eight). */
const BAD = "define function bad[javascript] return bool { if (data[0] == 3) { throw new Error('boom'); } return true; };";
/** The sequences of APPS with `bad(…)` in one state's filter or in the selector. */
const THROWING = [
  `${BAD} ${S} from every e1=S[bad(volume)], e2=S[price > e1.price]+, e3=S[price < e2[last].price] select e1.price as p1, e2[last].price as peak, e3.price as p3 insert into O;`,
  `${BAD} ${S} from every e1=S, e2=S[price > e1.price and bad(volume)]+, e3=S[price < e2[last].price] select e1.price as p1, e2[0].price as f, e2[last].price as peak, e3.price as p3 insert into O;`,
  `${BAD} ${S} from every e1=S, e2=S[price > e1.price]+, e3=S[price < e2[last].price and bad(volume)] select e1.price as p1, e2[last].price as peak, e3.price as p3 insert into O;`,
  `${BAD} ${S} from every e1=S, e2=S[price > e1.price]+, e3=S[price < e2[last].price] select e1.price as p1, e2[last].price as peak, e3.price as p3, bad(e3.volume) as ok insert into O;`,
  `${BAD} ${S} from every e1=S, e2=S[price > e1.price]<1:2>, e3=S[bad(volume)], e4=S[price > e1.price] select e1.price as p1, e2[0].price as a, e3.price as p3, e4.price as p4 insert into O;`,
  `${BAD} ${S} from every e1=S, e2=S[price > e1.price and bad(volume)]<1:2>, e3=S, e4=S[price > e1.price] select e1.price as p1, e2[last].price as a, e3.price as p3, e4.price as p4, bad(e4.volume) as ok insert into O;`,
  `${BAD} ${S} partition with (symbol of S) begin from every e1=S, e2=S[price > e1.price and bad(volume)]+, e3=S[price < e2[last].price] select e1.price as p1, e2[last].price as peak, e3.price as p3, bad(e3.volume) as ok insert into O; end;`,
];
const throwingSends = fc.array(
  fc.record({
    symbol: fc.constantFrom('a', 'b'),
    price: fc.integer({ min: 0, max: 10 }).map((x) => 10 * x),
    volume: fc.integer({ min: 1, max: 8 }),
    dt: fc.integer({ min: 0, max: 3 }).map((x) => 50 * x),
  }),
  { maxLength: 40 },
).map((xs): Send[] => {
  let t = 10_000;
  return xs.map((x) => [[x.symbol, x.price, x.volume], (t += x.dt)]);
});

const RISE_OUT = 'select e1.price as p1, e2[0].price as f, e2[last].price as peak, e3.price as p3';

describe('a sequence run over a ring of events', () => {
  it('takes the events of the shapes it fits when kernels are on, and of no other', async () => {
    // A matcher's first event loads the states' matches.
    const spy = vi.spyOn(SequenceMatcher.prototype, 'load');
    const input: Send[] = [[['a', 5, 1], 1000], [['a', 7, 1], 1001], [['a', 6, 1], 1002]];
    try {
      expect(await run(APPS[0]!, input, true)).toEqual([[1002, 5, 7, 7, 6]]);
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockClear();
      for (const other of [
        `${S} from every e1=S, e2=S[price > e1.price]*, e3=S[price < 6] select e1.price as p1 insert into O;`,
        `${S} from every e1=S, e2=S[price > e1.price]+, e3=S[price < e2[last].price] within 1 sec select e1.price as p1 insert into O;`,
        `${S} from e1=S, e2=S[price > e1.price]+, e3=S[price < e2[last].price] select e1.price as p1 insert into O;`,
        `${S} from every e1=S, e2=S[price > e1.price]+ select e1.price as p1 insert into O;`,
        `${S} from every e1=S -> e2=S[price > e1.price] select e1.price as p1 insert into O;`,
      ]) {
        await run(other, input, true);
      }
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });

  it('gives what the interpreted run gives over random input, restarted from a checkpoint of either path into either path', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(APPS.length - 1), sends, fc.nat(), fc.boolean(), fc.boolean(), fc.boolean(), async (a, input, at, before, after, chain) => {
        const app = APPS[a]!;
        const expected = await run(app, input, false);
        expectEqual(await run(app, input, true), expected);
        expectEqual(await run(app, input, before, after, input.length === 0 ? -1 : at % input.length, chain), expected);
      }),
      { numRuns: 300 },
    );
  });

  it('reads the events of each state over the ring as the interpreted run reads them', async () => {
    for (const app of RING_APPS) {
      await fc.assert(
        fc.asyncProperty(sends, async (input) => {
          expectEqual(await run(app, input, true), await run(app, input, false));
        }),
        { numRuns: 60 },
      );
    }
  });

  it('keeps a long rising run whole while its ring grows, and the matches after it while the ring shrinks', async () => {
    const input: Send[] = [];
    for (let i = 0; i < 200; i++) input.push([['a', i, 1], 1000 + i]);
    input.push([['a', 0, 1], 2000]);
    // Short rises and drops after the run: the ring shrinks while these matches live in it.
    const zigzag = [5, 8, 12, 3, 9, 15, 20, 4, 6, 2, 7, 11, 1];
    for (let i = 0; i < 40; i++) input.push([['a', zigzag[i % zigzag.length]!, 1], 2001 + i]);
    const expected = await run(APPS[0]!, input, false);
    expect(expected.length).toBeGreaterThan(0);
    expect(await run(APPS[0]!, input, true)).toEqual(expected);
    for (const at of [150, 205, 225]) {
      expect(await run(APPS[0]!, input, true, false, at)).toEqual(expected);
      expect(await run(APPS[0]!, input, false, true, at)).toEqual(expected);
      expect(await run(APPS[0]!, input, true, true, at, true)).toEqual(expected);
    }
  });

  it('gives back the ring a long run grew once the run is over', () => {
    const spy = vi.spyOn(SequenceMatcher.prototype, 'load');
    try {
      const input: Send[] = [];
      for (let i = 0; i < 500; i++) input.push([['a', i, 1], 1000 + i]);
      for (let i = 0; i < 3; i++) input.push([['a', 0, 1], 2000 + i]);
      const sizes: number[] = [];
      const rt = create(APPS[0]!, true);
      rt.start();
      for (const [row, ts] of input) {
        rt.getInputHandler('S').send(row, ts);
        sizes.push((spy.mock.contexts[0] as unknown as { ring: unknown[] }).ring.length);
      }
      rt.shutdown();
      expect(Math.max(...sizes)).toBeGreaterThanOrEqual(500);
      expect(sizes.at(-1)).toBeLessThanOrEqual(64);
    } finally {
      spy.mockRestore();
    }
  });

  it('loses the matches an event reached when a filter throws on it, as the interpreted run does', () => {
    const app = `${BAD.replace('data[0] == 3', 'data[0] == 13')} ${S} from every e1=S, e2=S[price > e1.price and bad(price)]+, e3=S[price < e2[last].price] ${RISE_OUT} insert into O;`;
    const input: Send[] = [5, 7, 13, 9, 6].map((p, i) => [['a', p, 1], 1000 + i]);
    expect(runThrowing(app, input, false)).toEqual([]);
    expect(runThrowing(app, input, true)).toEqual([]);
  });

  it('hands a match to the selector before the lower states take the event, as the interpreted run does', () => {
    const app = `${BAD.replace('data[0] == 3', 'data[0] == 6')} ${S} from ${RISE} ${RISE_OUT}, bad(e3.price) as ok insert into O;`;
    const input: Send[] = [5, 7, 6, 8, 4].map((p, i) => [['a', p, 1], 1000 + i]);
    expect(runThrowing(app, input, false)).toEqual([]);
    expect(runThrowing(app, input, true)).toEqual([]);
  });

  it('arms the start anew after a filter throws on an event, as the interpreted run does', () => {
    // The start's filter reads its armed match's time: -1 when armed anew (after a failed offer or a throw), else the last start's.
    const app = `${BAD} ${S} from every e1=S[eventTimestamp() < 0], e2=S[price > e1.price and bad(volume)] select e1.price as p1, e2.price as p2 insert into O;`;
    const input: Send[] = [[['a', 5, 1], 1000], [['a', 7, 3], 1001], [['a', 6, 1], 1002], [['a', 8, 1], 1003]];
    const expected = runThrowing(app, input, false);
    expect(expected).toEqual([[1003, 6, 8]]);
    expect(runThrowing(app, input, true)).toEqual(expected);
  });

  it('gives what the interpreted run gives when a filter or the selector throws', () => {
    fc.assert(
      fc.property(fc.nat(THROWING.length - 1), throwingSends, (a, input) => {
        expectEqual(runThrowing(THROWING[a]!, input, true), runThrowing(THROWING[a]!, input, false));
      }),
      { numRuns: 300 },
    );
  });

  it('gives what the interpreted run gives when its output feeds its stream again', () => {
    const feeds = [
      `${S} from ${RISE} ${RISE_OUT} insert into O; from O[p3 > 20] select 'x' as symbol, p3 - 25 as price, 2L as volume insert into S;`,
      `${S} from every e1=S, e2=S[price > e1.price]<1:3>, e3=S[price < e2[last].price] select e1.price as p1, e3.price as p3 insert into O; from O[p3 >= 0] select 'x' as symbol, p1 + 5 as price, 2L as volume insert into S;`,
      `${S} partition with (symbol of S) begin from ${RISE} ${RISE_OUT} insert into O; end; from O[p3 > 20] select 'a' as symbol, p3 - 25 as price, 2L as volume insert into S;`,
    ];
    fc.assert(
      fc.property(fc.nat(feeds.length - 1), throwingSends, (a, input) => {
        expectEqual(runThrowing(feeds[a]!, input, true), runThrowing(feeds[a]!, input, false));
      }),
      { numRuns: 200 },
    );
  });
});
