// Unit tests for the batching windows (lengthBatch, timeBatch,
// externalTimeBatch, batch) driven directly with a playback scheduler.

import { describe, expect, it } from 'vitest';
import { CURRENT, StreamEvent } from '../../../src/runtime/event.js';
import { attrArg, constArg, expectRestartEquivalence, ms, randomSteps, Rig, schema } from './window-rig.js';

const sym = (i: number, r: () => number) => [['IBM', 'WSO2', 'ORCL'][i % 3], Math.floor(r() * 100), i];
/** sym's schema, so the columnar windows store by column in the restart checks. */
const SYM = schema('string', 'double', 'long');
const tags = (rig: Rig) => rig.chunks.map((c) => c.map((o) => (o.x ? 'x' : 'c') + String(o.d[0])).join(' '));

describe('lengthBatch window', () => {
  it('emits [expired previous batch…, batch…] as one chunk per full batch', () => {
    const rig = new Rig('lengthBatch', [constArg(2)]);
    for (let i = 1; i <= 5; i++) rig.send(1000 + i, i);
    expect(tags(rig)).toEqual(['c1 c2', 'x1 x2 c3 c4']);
    expect(rig.contentsData()).toEqual([[3], [4]]);
  });

  it('streams current events and expires the batch on the (n+1)th (window-lengthbatch-08)', () => {
    const rig = new Rig('lengthBatch', [constArg(2), constArg(true)]);
    for (let i = 1; i <= 5; i++) rig.send(1000 + i, i);
    expect(tags(rig)).toEqual(['c1', 'c2', 'x1 x2 c3', 'c4', 'x3 x4 c5']);
  });

  it('lengthBatch(0) emits each event with its own expiry', () => {
    const rig = new Rig('lengthBatch', [constArg(0)]);
    rig.send(1, 'a').send(2, 'b');
    expect(tags(rig)).toEqual(['ca xa', 'cb xb']);
  });

  it('survives checkpoint and restore at any point', () => {
    expectRestartEquivalence('lengthBatch', [constArg(3)], randomSteps(21, 40, sym), SYM);
    expectRestartEquivalence('lengthBatch', [constArg(3), constArg(true)], randomSteps(22, 30, sym), SYM);
  });
});

describe('timeBatch window', () => {
  const input = (rig: Rig) =>
    rig.send(1000, 'a').send(2100, 'b').send(2110, 'c').send(2120, 'd').send(3220, 'e').send(3230, 'f');

  it('flushes at first event + t, every t; empty flushes emit nothing (window-timebatch-02)', () => {
    const rig = new Rig('timeBatch', [ms(1000)]);
    input(rig).advance(4100).advance(5300).advance(9000);
    expect(tags(rig)).toEqual(['ca', 'xa cb cc cd', 'xb xc xd ce cf', 'xe xf']);
    expect(rig.times).toEqual([2000, 3000, 4000, 5000]);
    expect(rig.scheduler.peek()).toBeUndefined();
  });

  it('streams current events with stream.current.event (window-timebatch-06)', () => {
    const rig = new Rig('timeBatch', [ms(1000), constArg(true)]);
    input(rig).advance(4430);
    expect(tags(rig)).toEqual(['ca', 'xa', 'cb', 'cc', 'cd', 'xb xc xd', 'ce', 'cf', 'xe xf']);
  });

  it('puts an event on the boundary into the next batch and keeps the alignment after a gap', () => {
    const rig = new Rig('timeBatch', [ms(1000)]);
    rig.send(1000, 'a').send(2000, 'b').advance(9000).send(9500, 'c').advance(10_000);
    expect(tags(rig)).toEqual(['ca', 'xa cb', 'xb', 'cc']);
    expect(rig.times).toEqual([2000, 3000, 4000, 10_000]);
  });

  it('aligns periods to start.time', () => {
    const rig = new Rig('timeBatch', [ms(1000), constArg(300, 'long')]);
    rig.send(1000, 'a').advance(2300);
    expect(rig.times).toEqual([1300, 2300]);
  });

  it('restores its next flush time and timers', () => {
    const a = new Rig('timeBatch', [ms(1000)]);
    a.send(1500, 'a').send(1700, 'b');
    const b = new Rig('timeBatch', [ms(1000)], 1700);
    b.restore(a.capture('full'));
    b.advance(5000);
    expect(tags(b)).toEqual(['ca cb', 'xa xb']);
    expect(b.times).toEqual([2500, 3500]);
  });

  it('survives checkpoint and restore at any point', () => {
    expectRestartEquivalence('timeBatch', [ms(1000)], randomSteps(31, 40, sym), SYM);
    expectRestartEquivalence('timeBatch', [ms(700), constArg(true)], randomSteps(32, 40, sym), SYM);
    expectRestartEquivalence('timeBatch', [ms(900), constArg(100, 'long'), constArg(false)], randomSteps(33, 30, sym), SYM);
  });
});

describe('externalTimeBatch window', () => {
  it('flushes a batch when an event at or past its end arrives (window-externaltimebatch-01)', () => {
    const rig = new Rig('externalTimeBatch', [attrArg(0, 'long'), ms(5000)]);
    const ts = [10000, 11000, 12000, 13000, 14000, 15000, 16500, 17000, 18000, 19000, 20000, 20500, 22000, 25000];
    ts.forEach((v, i) => rig.send(1000 + i * 100, v, i + 1));
    const current = rig.chunks.map((c) => c.filter((o) => !o.x).map((o) => o.d[1]));
    expect(current).toEqual([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13]]);
    expect(rig.chunks[1]!.filter((o) => o.x).map((o) => o.d[1])).toEqual([1, 2, 3, 4, 5]);
  });

  it('flushes early on timeout and re-sends the batch when it grows', () => {
    const rig = new Rig('externalTimeBatch', [attrArg(0, 'long'), ms(1000), constArg(0, 'long'), ms(500)]);
    rig.send(100, 0, 'a').send(200, 300, 'b').advance(700);
    expect(tags(rig)).toEqual(['c0 c300']);
    rig.send(800, 400, 'c').advance(1300);
    expect(tags(rig)).toEqual(['c0 c300', 'x0 x300 c0 c300 c400']);
    rig.send(1400, 1200, 'd');
    expect(rig.chunks.length).toBe(2);
  });

  it('replaces the timestamp attribute with the batch end when the 5th argument is true (x-window-externaltimebatch-13)', () => {
    const args = [attrArg(0, 'long'), ms(1000), constArg(0, 'long'), ms(100)];
    const on = new Rig('externalTimeBatch', [...args, constArg(true)]);
    const off = new Rig('externalTimeBatch', [...args, constArg(false)]);
    for (const rig of [on, off]) rig.send(1000, 4341, 'a').send(1000, 4342, 'b').send(1000, 5341, 'c').advance(1200);
    expect(on.chunks.map((c) => c.map((o) => `${o.x ? 'x' : 'c'}${String(o.d[0])}`).join(' '))).toEqual(['c5000 c5000', 'x5000 x5000 c6000']);
    expect(off.chunks.map((c) => c.map((o) => String(o.d[0])).join(' '))).toEqual(['4341 4342', '4341 4342 5341']);
  });

  it('survives checkpoint and restore at any point', () => {
    const steps = randomSteps(41, 40, (i, r) => [i * 300 + Math.floor(r() * 200), i]);
    expectRestartEquivalence('externalTimeBatch', [attrArg(0, 'long'), ms(1000)], steps, schema('long', 'int'));
    expectRestartEquivalence('externalTimeBatch', [attrArg(0, 'long'), ms(1000), constArg(0, 'long'), ms(600)], steps, schema('long', 'int'));
    expectRestartEquivalence('externalTimeBatch', [attrArg(0, 'long'), ms(1000), constArg(0, 'long'), ms(600), constArg(true)], steps, schema('long', 'int'));
  });
});

describe('batch window', () => {
  it('emits each chunk and expires it with the next (window-batch-02/03)', () => {
    const rig = new Rig('batch', []);
    rig.send(1000, 'a').send(1100, 'b').send(1200, 'c');
    expect(tags(rig)).toEqual(['ca', 'xa cb', 'xb cc']);
  });

  it('cuts a chunk into pieces of n', () => {
    const rig = new Rig('batch', [constArg(2)]);
    rig.scheduler.advanceTo(10);
    rig.window.process(['a', 'b', 'c'].map((d) => new StreamEvent(10, [d], CURRENT)));
    rig.window.process([new StreamEvent(20, ['d'], CURRENT)]);
    expect(tags(rig)).toEqual(['ca cb', 'cc', 'xa xb xc cd']);
  });

  it('survives checkpoint and restore at any point', () => {
    expectRestartEquivalence('batch', [], randomSteps(51, 30, sym), SYM);
  });
});
