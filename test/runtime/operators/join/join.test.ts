// The join operator on its own: each join kind's rows for matched and
// unmatched probes, unidirectional sides, expired probes, resets and timers;
// and a window-less side's PassWindow.

import { describe, expect, it } from 'vitest';
import { CURRENT, EXPIRED, RESET, StateEvent, StreamEvent, TIMER } from '../../../../src/runtime/event.js';
import type { Finder } from '../../../../src/runtime/operators/find/findable.js';
import { Join } from '../../../../src/runtime/operators/join/join.js';
import { PassWindow } from '../../../../src/runtime/operators/join/pass-window.js';

const ev = (data: unknown[], type: StreamEvent['type'] = CURRENT, ts = 1) => new StreamEvent(ts, data, type);

/** Matches rows of `other` whose first attribute equals the probe's. */
const finderOver = (other: StreamEvent[]): Finder => (row, visit) => {
  for (const o of other) if (o.data[0] === (row as StreamEvent).data[0]) visit(o);
};

function rig(kind: 'inner' | 'left' | 'right' | 'full', unidirectional?: 'left' | 'right') {
  const left = [ev(['A', 1]), ev(['B', 2])];
  const right = [ev(['A', 10])];
  const chunks: StateEvent[][] = [];
  const join = new Join({
    finders: [unidirectional === 'right' ? undefined : finderOver(right), unidirectional === 'left' ? undefined : finderOver(left)],
    outer: [kind === 'left' || kind === 'full', kind === 'right' || kind === 'full'],
  });
  join.next = { process: (c) => void chunks.push(c as StateEvent[]) };
  const rows = () => chunks.map((c) => c.map((s) => [
    s.events.map((e) => (e === null ? null : (e as StreamEvent).data[1])), s.type,
  ]));
  return { join, rows };
}

describe('Join', () => {
  it('inner: only matches, one chunk per probing event, typed like the probe', () => {
    const { join, rows } = rig('inner');
    join.sides[0].process([ev(['A', 3]), ev(['C', 4]), ev(['A', 5], EXPIRED)]);
    join.sides[1].process([ev(['B', 20])]);
    expect(rows()).toEqual([[[[3, 10], CURRENT]], [[[5, 10], EXPIRED]], [[[2, 20], CURRENT]]]);
  });

  it('left outer: unmatched left probes emit with a null right; right probes only match', () => {
    const { join, rows } = rig('left');
    join.sides[0].process([ev(['C', 4])]);
    join.sides[1].process([ev(['C', 30])]);
    expect(rows()).toEqual([[[[4, null], CURRENT]]]);
  });

  it('right outer and full outer', () => {
    const right = rig('right');
    right.join.sides[0].process([ev(['C', 4])]);
    right.join.sides[1].process([ev(['C', 30], EXPIRED)]);
    expect(right.rows()).toEqual([[[[null, 30], EXPIRED]]]);
    const full = rig('full');
    full.join.sides[0].process([ev(['C', 4])]);
    full.join.sides[1].process([ev(['D', 40])]);
    expect(full.rows()).toEqual([[[[4, null], CURRENT]], [[[null, 40], CURRENT]]]);
  });

  it('unidirectional: the other side never triggers', () => {
    const { join, rows } = rig('inner', 'left');
    join.sides[1].process([ev(['A', 20])]);
    join.sides[0].process([ev(['A', 3])]);
    expect(rows()).toEqual([[[[3, 10], CURRENT]]]);
  });

  it('passes resets on as a row of their own and skips timer events', () => {
    const { join, rows } = rig('inner');
    join.sides[1].process([ev(['A', 0], TIMER), ev(['A', 7], RESET)]);
    expect(rows()).toEqual([[[[null, 7], RESET]]]);
  });
});

describe('PassWindow', () => {
  it('emits each current event, its expiry stamped now (when wanted), then a reset', () => {
    const out: StreamEvent[][] = [];
    const w = new PassWindow(true, () => 99);
    w.next = { process: (c) => void out.push(c as StreamEvent[]) };
    w.process([ev(['A', 1]), ev(['B', 2], EXPIRED)]);
    expect(out.map((c) => c.map((e) => [e.data[0], e.type, e.timestamp]))).toEqual([[['A', CURRENT, 1], ['A', EXPIRED, 99], ['A', RESET, 99]]]);
    const quiet: StreamEvent[][] = [];
    const v = new PassWindow(false, () => 5);
    v.next = { process: (c) => void quiet.push(c as StreamEvent[]) };
    v.process([ev(['A', 1])]);
    expect(quiet[0]!.map((e) => e.type)).toEqual([CURRENT, RESET]);
  });
});
