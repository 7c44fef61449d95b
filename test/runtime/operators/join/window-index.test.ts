// WindowIndex: follows a window's output (current in, expired out, reset
// clears) and rebuilds from the window's contents when invalidated by a restore.

import { describe, expect, it } from 'vitest';
import { CURRENT, EXPIRED, RESET, StreamEvent } from '../../../../src/runtime/event.js';
import { WindowIndex } from '../../../../src/runtime/operators/join/window-index.js';
import { SiddhiManager } from '../../../../src/index.js';

const ev = (data: unknown[], type: StreamEvent['type'] = CURRENT) => new StreamEvent(1, data, type);
const values = (list: readonly StreamEvent[] | undefined) => (list ?? []).map((e) => e.data[1]);

describe('WindowIndex', () => {
  it('follows current, expired and reset events', () => {
    let contents: StreamEvent[] = [];
    const index = new WindowIndex(0, () => contents);
    expect(index.lookup('A')).toBeUndefined();
    index.follow([ev(['A', 1]), ev(['B', 2]), ev(['A', 3])]);
    expect(values(index.lookup('A'))).toEqual([1, 3]);
    index.follow([ev(['A', 1], EXPIRED)]);
    expect(values(index.lookup('A'))).toEqual([3]);
    index.follow([ev(['B', 2], EXPIRED)]);
    expect(index.lookup('B')).toBeUndefined();
    index.follow([ev(['A', 3], RESET)]);
    expect(index.lookup('A')).toBeUndefined();
    contents = [ev(['C', 9])];
    index.invalidate();
    index.follow([ev(['D', 1])]); // ignored while stale: the rebuild reads the window
    expect(values(index.lookup('C'))).toEqual([9]);
    expect(index.lookup('D')).toBeUndefined();
  });

  it('a restored join finds the restored window rows through the rebuilt index', () => {
    const app = `define stream A (k string, v int); define stream B (k string, w int);
from A#window.length(3) join B#window.length(3) on A.k == B.k select A.v, B.w insert into O;`;
    const open = () => {
      const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
      const out: unknown[][] = [];
      rt.addCallback('O', (es) => es.forEach((e) => out.push([...e.data])));
      rt.start();
      return { rt, out };
    };
    const first = open();
    first.rt.getInputHandler('A').send(['x', 1], 1);
    first.rt.getInputHandler('B').send(['x', 10], 2);
    const bytes = first.rt.snapshot();
    first.rt.getInputHandler('A').send(['x', 2], 3);
    const second = open();
    second.rt.restore(bytes);
    second.rt.getInputHandler('B').send(['x', 20], 4);
    second.rt.getInputHandler('A').send(['x', 3], 5);
    expect(first.out).toEqual([[1, 10], [2, 10]]);
    expect(second.out).toEqual([[1, 20], [3, 10], [3, 20]]);
  });
});
