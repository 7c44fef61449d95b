// KeyIndex: follows a window's output (current in, expired out, reset
// empties) or the kernel's own writes (entered/leaving), finds rows by
// position in the queue, and rebuilds from the queue when invalidated by a
// restore or when the queue changed in a way it did not see.

import { describe, expect, it } from 'vitest';
import { CURRENT, EXPIRED, RESET, StreamEvent } from '../../../../src/runtime/event.js';
import { EventQueue } from '../../../../src/runtime/event-queue.js';
import { KeyIndex } from '../../../../src/runtime/operators/join/key-index.js';
import { SiddhiManager } from '../../../../src/index.js';

const ev = (data: unknown[], type: StreamEvent['type'] = CURRENT) => new StreamEvent(1, data, type);

function rig() {
  const queue = new EventQueue([{ type: 'string' }, { type: 'int' }]);
  const index = new KeyIndex(0, () => queue);
  const found = (key: unknown) => {
    const out: unknown[] = [];
    index.each(key, (e) => out.push(e.data[1]));
    return out;
  };
  /** What a window does: its queue changes, then the index follows its output. */
  const window = (chunk: StreamEvent[]) => {
    for (const e of chunk) {
      if (e.type === CURRENT) queue.push(e);
      else if (e.type === EXPIRED) queue.dropHead();
      else queue.clear();
    }
    index.follow(chunk);
  };
  return { queue, index, found, window };
}

describe('KeyIndex', () => {
  it('follows current, expired and reset events', () => {
    const { index, found, window } = rig();
    expect(found('A')).toEqual([]);
    window([ev(['A', 1]), ev(['B', 2]), ev(['A', 3])]);
    expect(found('A')).toEqual([1, 3]);
    window([ev(['A', 1], EXPIRED)]);
    expect(found('A')).toEqual([3]);
    window([ev(['B', 2], EXPIRED), ev(['B', 4])]);
    expect(found('B')).toEqual([4]);
    window([ev(['A', 3], RESET)]);
    expect(found('A')).toEqual([]);
    window([ev(['C', 5])]);
    expect(found('C')).toEqual([5]);
    expect(index.head).toBe(4);
  });

  it('a queue change it did not see (an expiry that is not its head) makes it rebuild from the queue', () => {
    const { queue, found, window } = rig();
    window([ev(['A', 1]), ev(['B', 2]), ev(['A', 3])]);
    queue.dropHead();
    window([ev(['B', 2], EXPIRED)]);
    expect(found('A')).toEqual([3]);
    expect(found('B')).toEqual([]);
  });

  it('rebuilds from the queue after invalidate; it ignores output while stale', () => {
    const { queue, index, found, window } = rig();
    window([ev(['A', 1])]);
    queue.clear();
    queue.push(ev(['C', 9]));
    index.invalidate();
    index.follow([ev(['D', 1])]);
    expect(found('C')).toEqual([9]);
    expect(found('D')).toEqual([]);
  });

  it("kernel writes: entered after a push, leaving before the head's drop; positions are seq minus head", () => {
    const { queue, index } = rig();
    index.sync();
    for (let i = 0; i < 300; i++) {
      if (queue.length >= 5) {
        index.leaving();
        queue.dropHead();
      }
      const key = `K${i % 3}`;
      queue.pushRow(i, [key, i], CURRENT);
      index.entered(key);
    }
    const rows = index.find('K0')!;
    const values = rows.seqs.slice(rows.start, rows.end).map((s) => queue.valueAt(s - index.head, 1));
    expect(values).toEqual([297]);
    expect(index.find('K2')!.seqs.slice(index.find('K2')!.start, index.find('K2')!.end).map((s) => queue.valueAt(s - index.head, 1))).toEqual([296, 299]);
  });

  it('emptied values are swept out once there are many (unbounded key sets do not grow the map)', () => {
    const { queue, index } = rig();
    index.sync();
    for (let i = 0; i < 10_000; i++) {
      if (queue.length >= 2) {
        index.leaving();
        queue.dropHead();
      }
      queue.pushRow(i, [`id${i}`, i], CURRENT);
      index.entered(`id${i}`);
    }
    const live = [...Array(10_000).keys()].filter((i) => index.find(`id${i}`) !== undefined).length;
    // Emptied values are kept a while (EMPTIES_KEPT) before a sweep.
    expect(live).toBeLessThan(200);
    expect(index.find('id9999')!.end - index.find('id9999')!.start).toBe(1);
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
