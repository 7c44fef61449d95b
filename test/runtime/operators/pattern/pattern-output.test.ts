// A pattern query with a plain selector projects its matches itself and hands
// the rows to the output as a fused kernel does (PatternRuntime.connect): the
// same output as the selector's path (SIDDHI_KERNELS=off), with `having`, query
// callbacks, several stream callbacks, rate limiting and absent-state timers.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { SiddhiManager } from '../../../../src/index.js';
import { Selector } from '../../../../src/runtime/operators/selector.js';

const S = 'define stream S (symbol string, price double, volume long);';

interface Watch {
  readonly query?: boolean;
  readonly twice?: boolean;
}

function run(app: string, sends: [unknown[], number][], watch: Watch, kernels?: 'off'): unknown[][] {
  if (kernels) process.env.SIDDHI_KERNELS = kernels;
  const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
  delete process.env.SIDDHI_KERNELS;
  const out: unknown[][] = [];
  rt.addCallback('O', (events) => out.push(...events.map((e) => ['O', e.timestamp, e.isExpired, ...e.data])));
  if (watch.twice) rt.addCallback('O', (events) => out.push(...events.map((e) => ['O2', e.timestamp, ...e.data])));
  if (watch.query) rt.addQueryCallback('q', (ts, inEvents, removed) => out.push(['q', ts, inEvents.length, removed.length]));
  rt.start();
  const h = rt.getInputHandler('S');
  for (const [row, ts] of sends) h.send(row, ts);
  rt.shutdown();
  return out;
}

afterEach(() => {
  delete process.env.SIDDHI_KERNELS;
  vi.restoreAllMocks();
});

const SENDS: [unknown[], number][] = [
  [['a', 95, 1], 1000], [['b', 92, 2], 1100], [['a', 5, 3], 1200], [['b', 99, 4], 1300], [['a', 96, 5], 1400],
  [['b', 3, 6], 1500], [['c', 91, 7], 1600], [['a', 4, 9], 2500], [['c', 2, 10], 2550], [['a', 97, 11], 4000],
  [['b', 1, 12], 4100], [['a', 8, 13], 4200], [['b', 94, 14], 6000], [['b', 50, 15], 9000],
];

describe('pattern output', () => {
  it('does not go through the selector when the selector only projects', () => {
    const process = vi.spyOn(Selector.prototype, 'process');
    const out = run(`${S} @info(name = 'q') from every e1=S[price > 90] -> e2=S[symbol == e1.symbol and price < 10] select e1.symbol, e2.price insert into O;`, SENDS, {});
    expect(out.length).toBeGreaterThan(0);
    expect(process).not.toHaveBeenCalled();
  });

  it('gives what the selector gives', () => {
    const queries = [
      'from every e1=S[price > 90] -> e2=S[symbol == e1.symbol and price < 10] within 1 sec select e1.symbol, e1.price as p1, e2.price as p2 insert into O;',
      'from every e1=S[price > 90] -> e2=S[price < 10] select e1.symbol, e2.price as p2 having p2 > 2 insert into O;',
      'from every e1=S[price > 90] -> e2=S[price < 10] select e1.symbol, e2.price * 2 as p2 output last every 2 events insert into O;',
      'from every e1=S[price > 90] -> e2=S[price < 10] select e1.symbol, e2.price as p2 insert all events into O;',
      'from every e1=S[price > 90] -> e2=S[price < 10] select e1.symbol, count() as n insert into O;',
      'from every e1=S[price > 90] -> not S[symbol == e1.symbol] for 1 sec select e1.symbol, e1.price as p insert into O;',
      'from every e1=S, e2=S[price > e1.price]+, e3=S[price < e2[last].price] select e1.price as p1, e2[last].price as peak, e3.price as p3 insert into O;',
    ];
    for (const query of queries) {
      const app = `${S} @info(name = 'q') ${query}`;
      for (const watch of [{}, { query: true }, { twice: true }]) {
        const direct = run(app, SENDS, watch);
        expect(direct, `${query} ${JSON.stringify(watch)}`).toEqual(run(app, SENDS, watch, 'off'));
        expect(direct.length, query).toBeGreaterThan(0);
      }
    }
  });
});
