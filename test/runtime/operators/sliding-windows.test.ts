// Unit tests for the sliding windows (length, time, timeLength, externalTime,
// sort, delay) driven directly with a playback scheduler.

import { describe, expect, it } from 'vitest';
import type { WindowArg } from '../../../src/runtime/operators/window.js';
import { attrArg, constArg, expectRestartEquivalence, ms, randomSteps, Rig, runAll, schema } from './window-rig.js';

const sym = (i: number, r: () => number) => [['IBM', 'WSO2', 'ORCL'][i % 3], Math.floor(r() * 100), i];
/** sym's schema, so the columnar windows store by column in the restart checks. */
const SYM = schema('string', 'double', 'long');

describe('length window', () => {
  it('emits the oldest as expired before the new current once full', () => {
    const rig = new Rig('length', [constArg(2)]);
    rig.send(1000, 'a').send(1100, 'b').send(1200, 'c');
    expect(rig.chunks).toEqual([
      [{ t: 1000, x: false, d: ['a'] }],
      [{ t: 1100, x: false, d: ['b'] }],
      [
        { t: 1200, x: true, d: ['a'] },
        { t: 1200, x: false, d: ['c'] },
      ],
    ]);
    expect(rig.contentsData()).toEqual([['b'], ['c']]);
  });

  it('length(0) emits each event followed by its own expiry', () => {
    const rig = new Rig('length', [constArg(0)]);
    rig.send(1000, 'a');
    expect(rig.rows()).toEqual([
      [1000, 'c', 'a'],
      [1000, 'x', 'a'],
    ]);
  });

  it('survives checkpoint and restore at any point', () => {
    expectRestartEquivalence('length', [constArg(3)], randomSteps(7, 40, sym), SYM);
  });
});

describe('time window', () => {
  it('expires each event on its timer, before an event at the same time', () => {
    const rig = new Rig('time', [ms(2000)]);
    rig.send(1000, 'IBM').send(1010, 'WSO2').advance(3005).advance(5000);
    expect(rig.rows()).toEqual([
      [1000, 'c', 'IBM'],
      [1010, 'c', 'WSO2'],
      [3000, 'x', 'IBM'],
      [3010, 'x', 'WSO2'],
    ]);
    const r2 = new Rig('time', [ms(2000)]);
    r2.send(1000, 'a').send(1000, 'b').send(3000, 'c');
    expect(r2.chunks.map((c) => c.length)).toEqual([1, 1, 2, 1]);
    expect(r2.rows()).toEqual([
      [1000, 'c', 'a'],
      [1000, 'c', 'b'],
      [3000, 'x', 'a'],
      [3000, 'x', 'b'],
      [3000, 'c', 'c'],
    ]);
  });

  it('keeps one pending timer, and a stale timer call is harmless', () => {
    const rig = new Rig('time', [ms(1000)]);
    for (let t = 0; t < 500; t += 10) rig.send(t, t);
    expect(rig.scheduler.peek()).toBe(1000);
    (rig.window as unknown as { timer: { onTimer(t: number, seq: number): void } }).timer.onTimer(1234, 12_345);
    expect(rig.chunks.length).toBe(50);
  });

  it('re-arms its timers after a restore (checkpoint-window-02)', () => {
    const a = new Rig('time', [ms(10_000)]);
    a.send(1000, 'IBM', 100).send(1100, 'WSO2', 100);
    const blob = a.capture('full');
    const b = new Rig('time', [ms(10_000)], 1800);
    b.restore(blob);
    b.advance(11_050).advance(11_150).advance(16_000);
    expect(b.rows()).toEqual([
      [11_000, 'x', 'IBM', 100],
      [11_100, 'x', 'WSO2', 100],
    ]);
  });

  it('survives checkpoint and restore at any point', () => {
    expectRestartEquivalence('time', [ms(1000)], randomSteps(11, 40, sym), SYM);
  });
});

describe('timeLength window', () => {
  it('expires by time and by length (window-timelength-05)', () => {
    const rig = new Rig('timeLength', [ms(10_000), constArg(5)]);
    for (let i = 0; i < 8; i++) rig.send(1000 + i * 500, `e${i}`);
    rig.advance(9500);
    expect(rig.rows().map((r) => r.slice(1).join(''))).toEqual([
      'ce0', 'ce1', 'ce2', 'ce3', 'ce4', 'xe0', 'ce5', 'xe1', 'ce6', 'xe2', 'ce7',
    ]);
  });

  it('expires by time (window-timelength-01)', () => {
    const rig = new Rig('timeLength', [ms(2000), constArg(10)]);
    rig.send(1000, 'IBM').send(2200, 'WSO2').send(3400, 'G').send(4600, 'Y').advance(8600);
    expect(rig.rows().map((r) => r.slice(1).join(''))).toEqual(['cIBM', 'cWSO2', 'xIBM', 'cG', 'xWSO2', 'cY', 'xG', 'xY']);
  });

  it('survives checkpoint and restore at any point', () => {
    expectRestartEquivalence('timeLength', [ms(1500), constArg(3)], randomSteps(5, 40, sym), SYM);
  });
});

describe('externalTime window', () => {
  it('expires by the timestamp attribute (window-externaltime-01)', () => {
    const rig = new Rig('externalTime', [attrArg(0, 'long'), ms(5000)]);
    const ts = [1366335804341, 1366335804342, 1366335814341, 1366335814345, 1366335824341];
    ts.forEach((v, i) => rig.send(1000 + i * 10, v, `ip${i}`));
    rig.advance(2000);
    expect(rig.rows().map((r) => r[1] + String(r[3]))).toEqual([
      'cip0', 'cip1', 'xip0', 'xip1', 'cip2', 'cip3', 'xip2', 'xip3', 'cip4',
    ]);
    expect(rig.scheduler.peek()).toBeUndefined();
  });

  it('survives checkpoint and restore at any point', () => {
    const steps = randomSteps(3, 40, (i, r) => [i * 400 + Math.floor(r() * 300), i]);
    expectRestartEquivalence('externalTime', [attrArg(0, 'long'), ms(1000)], steps, schema('long', 'int'));
  });
});

describe('sort window', () => {
  it('keeps the n smallest; the evicted event follows the new one (window-sort-01)', () => {
    const rig = new Rig('sort', [constArg(2), attrArg(1, 'long'), constArg('asc')]);
    for (const [i, v] of [100, 300, 200, 20, 40].entries()) rig.send(1000 + i * 100, 'S', v);
    expect(rig.rows().map((r) => `${r[1]}${r[3]}`)).toEqual(['c100', 'c300', 'c200', 'x300', 'c20', 'x200', 'c40', 'x100']);
  });

  it('breaks ties with the next key, descending (window-sort-02)', () => {
    const rig = new Rig('sort', [constArg(2), attrArg(2, 'long'), constArg('asc'), attrArg(1, 'int'), constArg('desc')]);
    const input = [[50, 100], [20, 100], [40, 50], [100, 20], [50, 50]];
    input.forEach(([p, v], i) => rig.send(1000 + i, 'S', p, v));
    expect(rig.rows().map((r) => `${r[1]}${r[3]}/${r[4]}`)).toEqual([
      'c50/100', 'c20/100', 'c40/50', 'x20/100', 'c100/20', 'x50/100', 'c50/50', 'x40/50',
    ]);
  });

  it('evicts the most recent of equal events', () => {
    const rig = new Rig('sort', [constArg(2), attrArg(0, 'int')]);
    rig.send(1, 5, 'a').send(2, 5, 'b').send(3, 5, 'c');
    expect(rig.rows().at(-1)).toEqual([3, 'x', 5, 'c']);
  });

  it('survives checkpoint and restore at any point', () => {
    expectRestartEquivalence('sort', [constArg(3), attrArg(1, 'int'), constArg('desc')], randomSteps(9, 30, sym));
  });
});

describe('delay window', () => {
  it('re-emits events as current after the delay (window-delay-02)', () => {
    const rig = new Rig('delay', [ms(1000)]);
    rig.send(1000, 1000).send(1100, 1500);
    expect(rig.chunks).toEqual([]);
    expect(rig.contentsData()).toEqual([[1000], [1500]]);
    rig.advance(2050).advance(3000);
    expect(rig.rows()).toEqual([
      [2000, 'c', 1000],
      [2100, 'c', 1500],
    ]);
    expect(rig.contentsData()).toEqual([]);
  });

  it('survives checkpoint and restore at any point', () => {
    expectRestartEquivalence('delay', [ms(700)], randomSteps(13, 40, sym), SYM);
  });
});

describe('columnar event storage', () => {
  const withNulls = (i: number, r: () => number) => [
    r() < 0.2 ? null : ['IBM', 'WSO2'][i % 2],
    r() < 0.2 ? null : r() < 0.1 ? Number.NaN : r() * 100,
    r() < 0.2 ? null : i,
  ];
  const kinds: [string, WindowArg[]][] = [
    ['length', [constArg(3)]],
    ['time', [ms(1000)]],
    ['timeLength', [ms(1000), constArg(2)]],
    ['delay', [ms(500)]],
    ['lengthBatch', [constArg(2)]],
    ['timeBatch', [ms(800)]],
    ['batch', []],
  ];

  it('keeps nulls and NaN exact through expiry and restarts', () => {
    for (const [kind, args] of kinds) expectRestartEquivalence(kind, args, randomSteps(17, 30, withNulls), SYM);
  });

  it('emits the same as a window keeping whole rows', () => {
    const steps = randomSteps(19, 60, withNulls);
    for (const [kind, args] of kinds) expect(runAll(kind, args, steps, SYM), kind).toEqual(runAll(kind, args, steps));
  });
});
