// Issue 13, input validation: timestamps, event values, long range, start
// after shutdown, and callbacks that try to change the events they are handed.

import { describe, expect, it } from 'vitest';
import { SiddhiEventError, SiddhiManager, SiddhiRuntimeError } from '../../src/index.js';
import type { Event } from '../../src/index.js';
import { describeValue } from '../../src/runtime/describe-value.js';

const APP = `
define stream S (symbol string, price double, volume long);
@info(name = 'q1') from S#window.time(1 sec) select symbol, sum(volume) as total insert into Out;
@info(name = 'q2') from Out select symbol, total insert into Later;
`;

function started() {
  const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true });
  const out: unknown[][] = [];
  rt.addCallback('Later', (events) => out.push(...events.map((e) => [e.timestamp, ...e.data])));
  rt.start();
  return { rt, out, h: rt.getInputHandler('S') };
}

describe('timestamps', () => {
  const bad: unknown[] = [NaN, Infinity, -Infinity, 1.5, '1000', {}, 10n, null, 2 ** 53, -(2 ** 53)];
  it.each(bad.map((b) => [describeValue(b), b]))('refuses %s and changes nothing', (_, ts) => {
    const { rt, out, h } = started();
    h.send(['A', 1, 1], 1000);
    expect(() => h.send(['A', 1, 2], ts as number)).toThrow(SiddhiEventError);
    expect(rt.currentTime()).toBe(1000);
    h.send(['A', 1, 3], 1001);
    expect(out).toEqual([[1000, 'A', 1], [1001, 'A', 4]]);
    expect(rt.acceptedCounts().S).toBe(2);
  });

  it('accepts negative and zero times and the safe-integer bounds', () => {
    const { h } = started();
    expect(() => h.send(['A', 1, 1], -5)).not.toThrow();
    expect(() => h.send(['A', 1, 1], 0)).not.toThrow();
    expect(() => h.send(['A', 1, 1], Number.MAX_SAFE_INTEGER)).not.toThrow();
  });

  it('advanceTime refuses a time that is not an integer', () => {
    const { rt } = started();
    for (const t of [NaN, 1.5, '5', 5n]) expect(() => rt.advanceTime(t as number)).toThrow(SiddhiRuntimeError);
    expect(rt.currentTime()).toBe(0);
  });
});

describe('refused values are described briefly and safely', () => {
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  const cases: [string, unknown, RegExp][] = [
    ['bigint', 12n, /got bigint 12n/],
    ['circular object', circular, /got object Object/],
    ['throwing toJSON', { toJSON() { throw new Error('no'); } }, /got object Object/],
    ['NaN', NaN, /got number NaN/],
    ['symbol', Symbol('s'), /got symbol s/],
    ['function', function named() {}, /got function named/],
    ['undefined-prototype object', Object.create(null), /null prototype/],
    ['revoked proxy', (() => { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; })(), /got object/],
  ];
  it.each(cases)('%s', (_, value, message) => {
    const { h } = started();
    expect(() => h.send([value, 1, 1], 1)).toThrow(message);
  });

  it('a 10 MB string is previewed, not repeated', () => {
    const { h } = started();
    let message = '';
    try {
      h.send(['A', 'x'.repeat(10_000_000), 1], 1);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/expects double, got string "x+…" \(10000000 chars\)/);
    expect(message.length).toBeLessThan(200);
  });
});

describe('long range', () => {
  it.each([[1e300], [2 ** 63], [-(2 ** 63) * 2], [2n ** 70n], [2n ** 53n], [1.5]])('refuses %s', (v) => {
    const { h } = started();
    expect(() => h.send(['A', 1, v], 1)).toThrow(/attribute 'volume' expects long/);
  });

  it('accepts integral numbers in range and safe BigInts (converted to numbers)', () => {
    const { h, out } = started();
    h.send(['A', 1, 2n ** 53n - 1n], 1);
    h.send(['A', 1, -(2 ** 62)], 1);
    expect(out.map((r) => typeof r[2])).toEqual(['number', 'number']);
    expect(out[0]![2]).toBe(2 ** 53 - 1);
  });
});

describe('start() after shutdown()', () => {
  it('is refused with a hint', () => {
    const { rt } = started();
    rt.shutdown();
    expect(() => rt.start()).toThrow(/shut down and cannot be started again/);
    expect(() => rt.getInputHandler('S').send(['A', 1, 1], 1)).toThrow(/not started/);
  });
});

describe('events handed to callbacks', () => {
  it('are copies: a callback changing them changes nothing later queries or callbacks see', () => {
    const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true });
    const seen: unknown[][] = [];
    const vandal = (events: Event[]) => {
      for (const e of events) {
        (e.data as unknown[])[0] = 'CHANGED';
        (e.data as unknown[]).length = 0;
        (e as { timestamp: number }).timestamp = -1;
      }
      events.length = 0;
    };
    rt.addCallback('S', vandal);
    rt.addCallback('Out', vandal);
    rt.addQueryCallback('q1', (_, inEvents) => vandal(inEvents));
    rt.addCallback('Out', (events) => seen.push(...events.map((e) => ['Out', e.timestamp, ...e.data])));
    rt.addQueryCallback('q1', (_, inEvents) => seen.push(...inEvents.map((e) => ['q1', e.timestamp, ...e.data])));
    rt.addCallback('Later', (events) => seen.push(...events.map((e) => ['Later', e.timestamp, ...e.data])));
    rt.start();
    rt.getInputHandler('S').send(['A', 1, 5], 1);
    rt.getInputHandler('S').send(['A', 1, 2], 2);
    expect(seen).toEqual([
      ['q1', 1, 'A', 5], ['Out', 1, 'A', 5], ['Later', 1, 'A', 5],
      ['q1', 2, 'A', 7], ['Out', 2, 'A', 7], ['Later', 2, 'A', 7],
    ]);
  });
});

describe("the reference's other send forms", () => {
  it("takes Java's order send(time, data) and an event object, on both send paths", () => {
    const { out, h } = started();
    const send = h.send as unknown as (a: unknown, b?: unknown) => void;
    send(1000, ['A', 1, 1]);
    send({ timestamp: 1001, data: ['A', 1, 2] });
    h.send(['A', 1, 3], 1002);
    send(1003, ['A', 1, 4]); // after the generated send took over
    expect(out).toEqual([[1000, 'A', 1], [1001, 'A', 3], [1002, 'A', 6], [1003, 'A', 10]]);
  });

  it('still refuses what is neither, naming the forms it takes', () => {
    const { rt, h } = started();
    const send = h.send as unknown as (a: unknown, b?: unknown) => void;
    for (const [a, b] of [[1000, 'x'], [{ data: 'x' }, undefined], [{ data: ['A', 1, 1] }, 5], [{ timestamp: 's', data: ['A', 1, 1] }, undefined]]) {
      expect(() => send(a, b)).toThrow(SiddhiEventError);
    }
    expect(() => send(5)).toThrow(expect.objectContaining({ hint: expect.stringContaining('send([symbol, price, volume], time)') }));
    expect(rt.acceptedCounts().S).toBe(0);
  });
});

describe('input handlers made when first asked for', () => {
  it('keep the accepted counts a restore brought in before or after they are made', () => {
    const { rt, h } = started();
    for (let i = 0; i < 3; i++) h.send(['A', 1, i], 1000 + i);
    const bytes = rt.snapshot();
    for (const askFirst of [false, true]) {
      const fresh = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true });
      if (askFirst) fresh.getInputHandler('S');
      fresh.start();
      fresh.restore(bytes);
      expect(fresh.acceptedCounts()).toEqual({ S: 3, Out: 0, Later: 0 });
      fresh.getInputHandler('S').send(['A', 1, 9], 2000);
      expect(fresh.acceptedCounts().S).toBe(4);
      expect(new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true }).inputStreamNames).toEqual(['S', 'Out', 'Later']);
    }
  });
});

describe('streams named like Object.prototype members', () => {
  it('count their accepted events from 0, and restore them', () => {
    const app = `define stream constructor (a int); define stream valueOf (a int);
      from constructor select a insert into Out; from valueOf select a insert into Out;`;
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    rt.start();
    rt.getInputHandler('constructor').send([1], 1000);
    expect(rt.acceptedCounts()).toEqual({ constructor: 1, valueOf: 0, Out: 0 });
    const fresh = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
    fresh.start();
    fresh.restore(rt.snapshot());
    expect(fresh.acceptedCounts()).toEqual({ constructor: 1, valueOf: 0, Out: 0 });
    expect(fresh.getInputHandler('valueOf').accepted).toBe(0);
  });
});
