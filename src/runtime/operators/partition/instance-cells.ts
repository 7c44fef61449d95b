// The cell registry and clock a partition instance's operators get: cells are
// registered under `<id>@<key>` in one group (a delta skips them unless an
// event or timer reached the instance) and dropped together; timers of a
// dropped instance fire into nothing.

import type { CellGroup, CellRegistry, StateCell } from '../../../state/cell.js';
import type { Scheduler, TimerTarget } from '../../clock.js';

export class InstanceCells implements CellRegistry {
  private readonly ids: string[] = [];
  /** Set by whatever reaches the instance (partition.ts, instanceScheduler); cleared by each capture. */
  readonly group: CellGroup = { changed: false };

  constructor(
    private readonly base: CellRegistry,
    private readonly key: string,
    /** The partition's own signature (its keys), added to each cell's. */
    private readonly signature?: string,
  ) {}

  register(id: string, cell: StateCell, own?: string): void {
    const keyed = `${id}@${this.key}`;
    const signature = own !== undefined && this.signature !== undefined ? `${own}/${this.signature}` : own;
    this.base.register(keyed, cell, signature);
    this.base.groupCell?.(keyed, this.group);
    this.ids.push(keyed);
  }

  unregister(id: string): void {
    this.base.unregister(`${id}@${this.key}`);
  }

  dropAll(): void {
    for (const id of this.ids) this.base.unregister(id);
    this.ids.length = 0;
  }
}

/** The app's scheduler, except that timers fire only while `alive()`, and mark `group` changed. */
export function instanceScheduler(base: Scheduler, alive: () => boolean, group: CellGroup): Scheduler {
  const s = Object.create(base) as Scheduler;
  s.schedule = (time: number, target: TimerTarget, seq?: number) =>
    base.schedule(time, {
      onTimer: (t, n) => {
        if (!alive()) return;
        group.changed = true;
        target.onTimer(t, n);
      },
    }, seq);
  return s;
}
