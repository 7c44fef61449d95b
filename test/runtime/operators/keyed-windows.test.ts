// Unit tests for the keyed windows (frequent, lossyFrequent, session) driven
// directly with a playback scheduler.

import { describe, expect, it } from 'vitest';
import { attrArg, constArg, expectRestartEquivalence, ms, randomSteps, Rig } from './window-rig.js';

const tags = (rig: Rig) => rig.chunks.map((c) => c.map((o) => (o.x ? 'x' : 'c') + String(o.d[0])).join(' '));

describe('frequent window', () => {
  it('decrements every count on a new key and expires those reaching zero (window-frequent-01)', () => {
    const rig = new Rig('frequent', [constArg(2)]);
    for (const [i, k] of ['A', 'B', 'C', 'D', 'A', 'B', 'C', 'D'].entries()) rig.send(1000 + i, k, 1.5);
    expect(tags(rig)).toEqual(['cA', 'cB', 'xA xB cC', 'cD', 'xC xD cA', 'cB', 'xA xB cC', 'cD']);
  });

  it('drops a new key when no count reaches zero', () => {
    const rig = new Rig('frequent', [constArg(1), attrArg(0, 'string')]);
    rig.send(1, 'A').send(2, 'A').send(3, 'B');
    expect(tags(rig)).toEqual(['cA', 'cA']);
    expect(rig.contentsData()).toEqual([['A']]);
  });

  it('survives checkpoint and restore at any point', () => {
    const steps = randomSteps(61, 40, (i, r) => [['A', 'B', 'C', 'D'][Math.floor(r() * 4)], i]);
    expectRestartEquivalence('frequent', [constArg(2), attrArg(0, 'string')], steps);
  });
});

describe('lossyFrequent window', () => {
  it('passes frequent keys and prunes an infrequent one (window-lossyfrequent-01)', () => {
    const rig = new Rig('lossyFrequent', [constArg(0.3), constArg(0.05), attrArg(0, 'string')]);
    const cards = ['3224', '3234', '3234', '1234', '3234', '3234', '3234', '1234'];
    const input = cards.slice(0, 4);
    for (let i = 0; i < 96; i++) input.push(['3234', '3234', '3234', '1234'][i % 4]!);
    input.push('3234');
    input.slice(0, 101).forEach((c, i) => rig.send(1000 + i * 10, c, 50));
    expect(rig.chunks.flat().length).toBe(102);
    expect(rig.chunks.flat().filter((o) => o.x).map((o) => o.d[0])).toEqual(['3224']);
  });

  it('survives checkpoint and restore at any point', () => {
    const steps = randomSteps(71, 60, (i, r) => [['A', 'A', 'B', 'C', 'D'][Math.floor(r() * 5)], i]);
    expectRestartEquivalence('lossyFrequent', [constArg(0.2), constArg(0.1), attrArg(0, 'string')], steps);
  });
});

describe('session window', () => {
  const user = attrArg(0, 'string', 'user');

  it('expires a session gap after its last event (window-session-02)', () => {
    const rig = new Rig('session', [ms(1000), user]);
    rig.send(1000, 'u0', 101).send(1010, 'u0', 102).send(2510, 'u0', 103).send(2520, 'u0', 104).advance(4000);
    expect(rig.chunks.map((c) => c.map((o) => (o.x ? 'x' : 'c') + String(o.d[1])).join(' '))).toEqual([
      'c101', 'c102', 'x101 x102', 'c103', 'c104', 'x103 x104',
    ]);
    expect(rig.times).toEqual([1000, 1010, 2010, 2510, 2520, 3520]);
  });

  it('starts a new session for an event exactly at the end time', () => {
    const rig = new Rig('session', [ms(1000)]);
    rig.send(1000, 'a').send(2000, 'b').advance(3000);
    expect(tags(rig)).toEqual(['ca', 'xa', 'cb', 'xb']);
  });

  it('keeps sessions per key', () => {
    const rig = new Rig('session', [ms(1000), user]);
    rig.send(1000, 'u0').send(1500, 'u1').send(1900, 'u0').advance(5000);
    expect(tags(rig)).toEqual(['cu0', 'cu1', 'cu0', 'xu1', 'xu0 xu0']);
    expect(rig.times.slice(3)).toEqual([2500, 2900]);
  });

  it('holds an ended session for the allowed latency (window-session-04)', () => {
    const rig = new Rig('session', [ms(2000), user, ms(1000)]);
    rig.send(1000, 'u0', 101).send(1010, 'u0', 102).send(3015, 'u0', 103).send(3025, 'u0', 104).advance(4100).advance(7000);
    expect(rig.chunks.map((c) => c.map((o) => (o.x ? 'x' : 'c') + String(o.d[1])).join(' '))).toEqual([
      'c101', 'c102', 'c103', 'c104', 'x101 x102', 'x103 x104',
    ]);
    expect(rig.times.slice(4)).toEqual([4010, 6025]);
  });

  it('restores open sessions and their timers (window-session-05)', () => {
    const a = new Rig('session', [ms(2000), user]);
    a.send(1000, 'u0', 101).send(1100, 'u0', 102);
    const b = new Rig('session', [ms(2000), user], 1100);
    b.restore(a.capture('full'));
    b.send(1200, 'u0', 103).advance(5000);
    expect(b.chunks.map((c) => c.map((o) => (o.x ? 'x' : 'c') + String(o.d[1])).join(' '))).toEqual([
      'c103', 'x101 x102 x103',
    ]);
  });

  it('survives checkpoint and restore at any point', () => {
    const steps = randomSteps(81, 40, (i, r) => [['u0', 'u1', 'u2'][Math.floor(r() * 3)], i]);
    expectRestartEquivalence('session', [ms(600), user], steps);
    expectRestartEquivalence('session', [ms(600), user, ms(300)], steps);
    expectRestartEquivalence('session', [ms(800)], steps);
  });
});
