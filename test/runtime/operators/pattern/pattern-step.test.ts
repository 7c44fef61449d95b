// A pattern that is its stream's sole reader runs as a generated step inlined
// into the stream's generated send() (pattern-step.ts): it gives what the
// interpreted event path gives, on and off the send's fast path.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { SiddhiManager } from '../../../../src/index.js';
import { rowsOf, type Sends } from '../../../rows-of.js';

const S = 'define stream S (symbol string, price double, volume long);';

afterEach(() => {
  delete process.env.SIDDHI_KERNELS;
});

describe('generated pattern step', () => {
  it('is inlined into the send() of a stream the pattern alone reads, with the own-event tests, the key probe, the row-keeping state\'s work and its filter inlined', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    process.env.SIDDHI_KERNELS = 'source';
    try {
      const rt = new SiddhiManager().createSiddhiAppRuntime(
        `${S} from every e1=S[price > 90] -> e2=S[symbol == e1.symbol and price < 10] within 1 sec select e1.symbol, e2.price insert into O;`,
        { playback: true },
      );
      rt.start();
      rt.getInputHandler('S');
      const send = spy.mock.calls.map((c) => String(c[0])).find((s) => s.includes('function send('));
      expect(send).toContain('return function step(ts, d) {');
      expect(send).toContain('d[1] < 10');
      expect(send).toContain('.buckets.get(v)');
      expect(send).toContain('d[1] > 90');
      // The send's own copies of what every pattern's step shared as methods and filters (keyed-row-step.ts).
      expect(send).toContain('var f0 = (function () {');
      expect(send).toContain('if (!f0(m)) {');
      expect(send).toContain('x0.unlink(i, x0.head);');
      expect(send).not.toMatch(/\.(takeRow|restartRow|waitsFor|expireEvents)\(/);
      rt.shutdown();
    } finally {
      delete process.env.SIDDHI_KERNELS;
      spy.mockRestore();
    }
  });

  it('resets and updates each state of a sequence from its own call in the step (no loop shared by every sequence)', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    process.env.SIDDHI_KERNELS = 'source';
    try {
      const rt = new SiddhiManager().createSiddhiAppRuntime(
        `${S} from every e1=S, e2=S[price > e1.price]+, e3=S[price < e2[last].price] select e1.price as p1 insert into O;`,
        { playback: true },
      );
      rt.start();
      rt.getInputHandler('S');
      const send = spy.mock.calls.map((c) => String(c[0])).find((s) => s.includes('function send(')) ?? '';
      expect(send.match(/ r\d\.resetState\(\);/g)).toHaveLength(3);
      expect(send.match(/ u\d\.updateState\(\);/g)).toHaveLength(3);
      rt.shutdown();
    } finally {
      delete process.env.SIDDHI_KERNELS;
      spy.mockRestore();
    }
  });

  it('gives what the interpreted path gives, with sends off the fast path (no timestamp, a row to normalise, timers due)', () => {
    const sends: Sends = [
      [['a', 95, 1], 1000], [['b', 92, 2], 1100], [['a', 5, 3], 1200], [['b', 99, 4n], 1300], [['a', 96, 5], undefined],
      [['b', 3, 6], 1500], [['c', 91, 7], 1600], [['c', null, 8], 1700], [['a', 4, 9], 2500], [['c', 2, 10], 2550],
      [['a', 97, 11], 4000], [['b', 1, 12], 4100], [['a', 8, 13], 4200], [['b', 94, 14], 6000], [['b', 50, 15], 6100],
    ];
    const apps = [
      'from every e1=S[price > 90] -> e2=S[symbol == e1.symbol and price < 10] within 1 sec select e1.symbol, e1.price as p1, e2.price as p2 insert into O;',
      'from every e1=S[price > 90] -> e2=S[price < 10] select e1.symbol, e2.symbol as s2 insert into O;',
      'from e1=S[price > 90] -> e2=S[symbol == e1.symbol] select e1.price as p1, e2.price as p2 insert into O;',
      'from every e1=S[price > 90] -> e2=S[price > e1.price or price < 5]<1:3> -> e3=S[price < 10] within 2 sec select e1.price as p1, e2[last].price as p2, e3.price as p3 insert into O;',
      'from every e1=S[price > 90] -> not S[symbol == e1.symbol] for 1 sec select e1.symbol, e1.price as p insert into O;',
      'from every (e1=S[price > 90] or e2=S[price < 5]) -> e3=S[price > 50] select e1.price as p1, e2.price as p2, e3.price as p3 insert into O;',
      'from every e1=S, e2=S[price > e1.price]+, e3=S[price < e2[last].price] select e1.price as p1, e2[last].price as peak, e3.price as p3 insert into O;',
      'from every e1=S[price > 90], e2=S[price < 10] select e1.price as p1, e2.price as p2 insert into O;',
    ];
    for (const query of apps) {
      const app = `${S} ${query}`;
      const generated = rowsOf(app, sends);
      expect(generated, query).toEqual(rowsOf(app, sends, 'off'));
      expect(generated.length, query).toBeGreaterThan(0);
    }
  });
});
