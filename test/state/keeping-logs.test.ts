import { describe, expect, it } from 'vitest';
import { IDENTITY_CODEC, LoggedColumns, LoggedMap, LoggedQueue, keepingLogs, logsKept, type ColumnsCapture } from '../../src/state/index.js';
import { throughEnvelope } from './helpers.js';

// A capture inside keepingLogs (the checkpoint manager's dry capture at start) leaves each
// container's delta log alone: the next delta still holds what changed before it.

describe('keepingLogs', () => {
  it('is set only while its function runs, also when that throws', () => {
    expect(logsKept()).toBe(false);
    expect(keepingLogs(() => logsKept())).toBe(true);
    expect(() => keepingLogs(() => { throw new Error('x'); })).toThrow('x');
    expect(logsKept()).toBe(false);
  });

  it('LoggedQueue: the next delta still holds what was pushed and shifted before the kept capture', () => {
    const q = new LoggedQueue<number>(IDENTITY_CODEC);
    for (const v of [1, 2, 3, 4]) q.push(v);
    const replica = new LoggedQueue<number>(IDENTITY_CODEC);
    replica.restore(throughEnvelope(q.capture('full')));
    q.push(5);
    q.shift();
    expect(keepingLogs(() => q.capture('full'))).toEqual({ f: [2, 3, 4, 5] });
    q.push(6);
    const delta = q.capture('delta');
    expect(delta).toEqual({ drop: 1, add: [5, 6] });
    replica.restore(throughEnvelope(delta));
    expect(replica.toArray()).toEqual([2, 3, 4, 5, 6]);
  });

  it('LoggedMap: the next delta still holds the keys set and deleted before the kept capture', () => {
    const m = new LoggedMap<string, number>(IDENTITY_CODEC);
    for (const k of ['a', 'b', 'c', 'd']) m.set(k, 1);
    const replica = new LoggedMap<string, number>(IDENTITY_CODEC);
    replica.restore(throughEnvelope(m.capture('full')));
    m.set('a', 2);
    m.delete('b');
    keepingLogs(() => m.capture('full'));
    m.set('e', 3);
    const delta = m.capture('delta');
    expect(delta).toEqual({ set: [['a', 2], ['e', 3]], del: ['b'] });
    replica.restore(throughEnvelope(delta));
    expect([...replica.entries()]).toEqual([...m.entries()]);
  });

  it('LoggedColumns: the next delta still holds the rows appended before the kept capture', () => {
    const c = new LoggedColumns(['f64']);
    const push = (v: number) => c.setNumber(0, c.append(), v);
    for (const v of [1, 2, 3, 4]) push(v);
    const replica = new LoggedColumns(['f64']);
    replica.restore(throughEnvelope(c.capture('full') as unknown as ColumnsCapture));
    push(5);
    c.shift();
    keepingLogs(() => c.capture('full'));
    push(6);
    replica.restore(throughEnvelope(c.capture('delta') as unknown as ColumnsCapture));
    const values = (x: LoggedColumns) => Array.from({ length: x.length }, (_, i) => x.getNumber(0, x.slot(i)));
    expect(values(replica)).toEqual([2, 3, 4, 5, 6]);
    expect(values(c)).toEqual([2, 3, 4, 5, 6]);
  });
});
