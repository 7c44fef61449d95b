import { afterEach, describe, expect, it, vi } from 'vitest';
import { SiddhiManager } from '../../../src/index.js';
import { compileOnce } from '../../../src/runtime/kernel/compile-once.js';

const S = 'define stream S (symbol string, price double, volume long);';

/** The rows of O, and of S when `watchInput` adds a callback on S after `watchAfter` sends. */
function run(app: string, sends: [unknown[], number | undefined][], o: { kernels?: 'off'; watchAfter?: number } = {}): { out: unknown[][]; input: unknown[][] } {
  if (o.kernels) process.env.SIDDHI_KERNELS = o.kernels;
  const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
  delete process.env.SIDDHI_KERNELS;
  const out: unknown[][] = [];
  const input: unknown[][] = [];
  rt.addCallback('O', (events) => out.push(...events.map((e) => [e.timestamp, ...e.data])));
  rt.start();
  const h = rt.getInputHandler('S');
  sends.forEach(([row, ts], i) => {
    if (i === o.watchAfter) rt.addCallback('S', (events) => input.push(...events.map((e) => [e.timestamp, ...e.data])));
    h.send(row, ts);
  });
  rt.shutdown();
  return { out, input };
}

afterEach(() => {
  delete process.env.SIDDHI_KERNELS;
});

describe('generated send', () => {
  it('is generated once started, for a stream read by a generated step, with the step inlined; not when only planned', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    process.env.SIDDHI_KERNELS = 'source';
    try {
      const rt = new SiddhiManager().createSiddhiAppRuntime(`${S} from S[price > 5] select symbol insert into O;`, { playback: true });
      expect(spy.mock.calls.some((c) => String(c[0]).includes('function send('))).toBe(false);
      rt.start();
      // Input handlers are made when first asked for; one asked for after start() gets its generated send() at once.
      rt.getInputHandler('S');
      const send = spy.mock.calls.map((c) => String(c[0])).find((s) => s.includes('function send('));
      expect(send).toContain('return function step(ts, d) {');
      expect(send).toContain('scheduler.moveQuietly(timestamp)');
    } finally {
      delete process.env.SIDDHI_KERNELS;
      spy.mockRestore();
    }
  });

  it('is the one send() a caller sees from the first event on (a call site that saw two is never inlined)', () => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(`${S} from S[price > 5] select symbol insert into O;`, { playback: true });
    rt.addCallback('O', () => {});
    const h = rt.getInputHandler('S');
    const planned = h.send;
    rt.start();
    const first = h.send;
    expect(first).not.toBe(planned);
    for (let i = 0; i < 3; i++) h.send(['a', 6 + i, 1], 10 + i);
    expect(h.send).toBe(first);
    rt.shutdown();
  });

  it('gives what the operators give off its fast path: no timestamp, rows to normalise, timers due, a reader added later', () => {
    const sends: [unknown[], number | undefined][] = [
      [['a', 1, 1], 1000], [['b', 2, 2], undefined], [['a', 3, 3n], 1500], [['c', null, 4], 1600],
      [['a', 5, 5], 2100], [['b', 6, 6], 2200], [['a', 7, 7], undefined], [['c', 8, 8], 4000], [['a', 9, 9], 4001],
    ];
    const apps = [
      `${S} from S[price > 2] select symbol, price, volume insert into O;`,
      `${S} from S#window.timeBatch(1 sec) select symbol, count() as c, sum(volume) as v group by symbol insert into O;`,
      `${S} from S#window.time(1 sec) select symbol, sum(price) as p group by symbol insert into O;`,
      `${S} from S#window.length(2) select symbol, avg(price) as p group by symbol insert into O;`,
    ];
    for (const app of apps) {
      for (const watchAfter of [undefined, 4]) {
        const fused = run(app, sends, watchAfter === undefined ? {} : { watchAfter });
        const interpreted = run(app, sends, { kernels: 'off', ...(watchAfter === undefined ? {} : { watchAfter }) });
        expect(fused, app).toEqual(interpreted);
        expect(fused.out.length, app).toBeGreaterThan(0);
      }
    }
  });

  it('counts accepted events and reports a failing step as a dropped event, as the general send does', () => {
    const app = `define function boom[javascript] return string { if (data[0] === 'x') throw new Error('bad input'); return data[0]; };
${S} from S select boom(symbol) as v insert into O;`;
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    const errors: string[] = [];
    const out: unknown[] = [];
    rt.onError((e) => errors.push(e.message));
    rt.addCallback('O', (events) => out.push(...events.map((e) => e.data[0])));
    rt.start();
    const h = rt.getInputHandler('S');
    for (const s of ['y', 'x', 'z']) h.send([s, 1, 1], 1000);
    expect(out).toEqual(['y', 'z']);
    expect(errors).toEqual([expect.stringMatching(/^stream 'S': .*boom.*bad input.*; event dropped$/)]);
    expect(h.accepted).toBe(3);
    expect(() => h.send(['a', 1, 1], 1.5)).toThrow(/timestamp must be an integer/);
    expect(() => h.send(['a', 'x', 1], 1)).toThrow(/expects double/);
    rt.shutdown();
    expect(() => h.send(['a', 1, 1], 2000)).toThrow(/not started/);
  });

  it('compiles each source once per process: runtimes of one query shape share the function', () => {
    const source = "return (x) => x + env.k;";
    const f = compileOnce<{ k: number }, (x: number) => number>(source);
    expect(compileOnce(source)).toBe(f);
    expect(f({ k: 1 })(1)).toBe(2);
    expect(f({ k: 2 })(1)).toBe(3);
  });
});
