import { describe, expect, it } from 'vitest';
import { OutputRows, decodeRows } from '../../src/cluster/output-rows.js';

/** The line 'siddhi run' prints for an output event. */
const line = (stream: string, time: number, data: unknown[], expired: boolean) => JSON.stringify({ stream, time, data, expired });

describe('OutputRows', () => {
  it('decodes to the lines siddhi run prints, expired events and odd values included', () => {
    const rows = new OutputRows(['A', 'B'], () => undefined);
    const events: [number, number, unknown[], boolean][] = [
      [0, 1000, ['K1', 12.345678901234567, 7], false],
      [1, 1001, ['x"y\n\u2028', null, -0, 1e21, NaN, true], true],
      [0, 1002, [{ nested: [1, 'two'] }, 0.1 + 0.2], false],
    ];
    for (const [s, t, d, x] of events) rows.add(s, t, d, x);
    const taken = rows.take();
    expect(taken.count).toBe(3);
    const text = rows.encode(taken);
    expect(decodeRows(text)).toEqual(events.map(([s, t, d, x]) => line(['A', 'B'][s]!, t, d, x)));
    expect(rows.count).toBe(0);
  });

  it('writes a bigint as siddhi run does and leaves out (and reports) a row that is no JSON', () => {
    const reported: string[] = [];
    const rows = new OutputRows(['A'], (stream, time, message) => reported.push(`${stream}@${time}: ${message}`));
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    rows.add(0, 1, [10n, 2n ** 70n], false);
    rows.add(0, 2, [circular], false);
    rows.add(0, 3, ['ok'], false);
    const taken = rows.take();
    expect(taken.count).toBe(2);
    const text = rows.encode(taken);
    expect(decodeRows(text)).toEqual([line('A', 1, [10, (2n ** 70n).toString()], false), line('A', 3, ['ok'], false)]);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatch(/^A@2: /);
  });

  it('keeps the order and every row across groups serialised together, one with a bigint among them', () => {
    const rows = new OutputRows(['A', 'B'], () => undefined);
    const events: [number, number, unknown[], boolean][] = [];
    for (let i = 0; i < 1_000; i++) events.push([i % 2, i, [`k${i}`, i === 600 ? 6n : i / 7], i % 5 === 0]);
    for (const [s, t, d, x] of events.slice(0, 700)) rows.add(s, t, d, x);
    const first = rows.take();
    for (const [s, t, d, x] of events.slice(700)) rows.add(s, t, d, x);
    const expected = events.map(([s, t, d, x]) => line(['A', 'B'][s]!, t, d.map((v) => (typeof v === 'bigint' ? Number(v) : v)), x));
    expect(first.count).toBe(700);
    expect(decodeRows(rows.encode(first))).toEqual(expected.slice(0, 700));
    expect(rows.count).toBe(300);
    expect(decodeRows(rows.encode(rows.take()))).toEqual(expected.slice(700));
  });

  it('reuses the buffer of an answered commit, none of its old rows showing', () => {
    const rows = new OutputRows(['A'], () => undefined);
    rows.add(0, 1, ['an old row, longer than the next ones'], false);
    const first = rows.take();
    expect(decodeRows(rows.encode(first))).toEqual([line('A', 1, ['an old row, longer than the next ones'], false)]);
    rows.recycle(first);
    rows.add(0, 2, ['x'], false);
    rows.take();
    rows.add(0, 3, ['y'], false);
    const third = rows.take();
    expect(third.buffer).toBe(first.buffer);
    expect(decodeRows(rows.encode(third))).toEqual([line('A', 3, ['y'], false)]);
  });

  it('puts rows of a failed commit back before the rows added since', () => {
    const rows = new OutputRows(['A'], () => undefined);
    rows.add(0, 1, ['first'], false);
    const taken = rows.take();
    rows.add(0, 2, ['later'], false);
    rows.restore(taken);
    expect(rows.count).toBe(2);
    expect(decodeRows(rows.encode(rows.take()))).toEqual([line('A', 1, ['first'], false), line('A', 2, ['later'], false)]);
    expect(rows.encode(rows.take())).toHaveLength(0);
  });
});
