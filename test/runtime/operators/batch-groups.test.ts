// A timeBatch window keeping its batch per group (operators/batch-groups.ts)
// against the same window keeping every row, both in front of a grouping
// selector: the same output, row-form checkpoints (full, and full + deltas)
// restore into the per-group form, and the per-group form is refused by a
// window that needs rows.

import { pack, unpack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { SiddhiStateError } from '../../../src/errors.js';
import { COUNT, SUM } from '../../../src/runtime/aggregators/numeric.js';
import type { StreamEvent } from '../../../src/runtime/event.js';
import { AggregateCell, AggregateStore, type AggregatorSlot, type SelectorFrame } from '../../../src/runtime/operators/selector-groups.js';
import { Selector } from '../../../src/runtime/operators/selector.js';
import type { TimeBatchWindow } from '../../../src/runtime/operators/time-batch-window.js';
import type { CaptureMode } from '../../../src/state/cell.js';
import { ms, randomSteps, Rig, schema, type Step } from './window-rig.js';
import { expectEqual } from '../../expect-equal.js';

const SYM = schema('string', 'double', 'long');
const sym = (i: number, r: () => number) => [['IBM', 'WSO2', 'ORCL', null][Math.floor(r() * 4)], Math.floor(r() * 100), i];

/** `timeBatch(1 sec) select a0, count(), sum(a2) group by a0`, keeping rows or groups. */
class Query {
  readonly rig: Rig;
  private readonly selectorCell: AggregateCell;

  constructor(groups: boolean, start = 0) {
    this.rig = new Rig('timeBatch', [ms(1000)], start, SYM);
    const slots: AggregatorSlot[] = [{ kind: COUNT, arg: undefined }, { kind: SUM, arg: (r) => (r as StreamEvent).data[2] }];
    const frame: SelectorFrame = { values: [], out: [] };
    this.selectorCell = new AggregateCell('selector.groupBy', slots);
    const selector = new Selector({
      mode: 'groups',
      projections: [(r) => (r as StreamEvent).data[0], () => frame.values[0], () => frame.values[1]],
      frame,
      aggregates: new AggregateStore(slots, frame, this.selectorCell),
      groupKey: (r) => String((r as StreamEvent).data[0]),
      order: [],
      offset: 0,
      limit: Infinity,
      current: true,
      expired: false,
    });
    selector.next = this.rig.window.next;
    this.rig.window.next = selector;
    if (groups) (this.rig.window as TimeBatchWindow).keepGroups(selector);
  }

  capture(mode: CaptureMode): Buffer {
    const [window] = [...this.rig.cells.values()];
    return pack({ w: window!.capture(mode), s: this.selectorCell.capture(mode) });
  }

  restore(blob: Buffer): void {
    const { w, s } = unpack(blob) as { w: unknown; s: unknown };
    [...this.rig.cells.values()][0]!.restore(w);
    this.selectorCell.restore(s);
  }

  run(steps: readonly Step[]): this {
    for (const s of steps) this.rig.step(s);
    return this;
  }

  get out(): unknown[][] {
    return this.rig.rows();
  }
}

/** Runs `steps` on a `from` query capturing after each index of `at` (full, then deltas), and the rest on a fresh `to` query restored from them. */
function restarted(from: boolean, to: boolean, steps: readonly Step[], at: readonly number[]): unknown[][] {
  const a = new Query(from);
  const blobs: Buffer[] = [];
  for (let i = 0; i <= at[at.length - 1]!; i++) {
    a.run([steps[i]!]);
    if (at.includes(i)) blobs.push(a.capture(blobs.length === 0 ? 'full' : 'delta'));
  }
  const b = new Query(to, a.rig.scheduler.now());
  for (const blob of blobs) b.restore(blob);
  b.run(steps.slice(at[at.length - 1]! + 1));
  return [...a.out, ...b.out];
}

describe('timeBatch kept per group', () => {
  const events = randomSteps(31, 60, sym);
  // Then a flush with nothing after it: the emitted batch still arms the flush that expires it.
  const steps = [...events, { t: events[events.length - 1]!.t + 1000 }];
  const rows = new Query(false).run(steps);
  const expected = rows.out;

  it('emits what the window keeping every row emits through the same selector, and keeps the same timer', () => {
    expect(expected.length).toBeGreaterThan(10);
    const groups = new Query(true).run(steps);
    expect(groups.out).toEqual(expected);
    expect(groups.rig.scheduler.peek()).toBeDefined();
    expect(groups.rig.scheduler.peek()).toBe(rows.rig.scheduler.peek());
  });

  it('restores its own checkpoints, full and delta, at any point', () => {
    for (let i = 0; i < steps.length - 4; i++) {
      expectEqual(restarted(true, true, steps, [i]), expected, `full after step ${i}`);
      expectEqual(restarted(true, true, steps, [i, i + 2, i + 4]), expected, `full + deltas from step ${i}`);
    }
  });

  it('takes over checkpoints of the row form, full and full + deltas, at any point', () => {
    for (let i = 0; i < steps.length - 4; i++) {
      expectEqual(restarted(false, true, steps, [i]), expected, `full after step ${i}`);
      expectEqual(restarted(false, true, steps, [i, i + 2, i + 4]), expected, `full + deltas from step ${i}`);
    }
  });

  it('is refused by a window that keeps rows, which could not rebuild them', () => {
    const a = new Query(true).run(steps.slice(0, 10));
    expect(() => new Query(false).restore(a.capture('full'))).toThrow(SiddhiStateError);
  });
});
