// The cell registry and clock a partition instance's operators get: cells are
// registered under `<id>@<key>` and dropped together; timers of a dropped
// instance fire into nothing.

import type { CellRegistry, StateCell } from '../../../state/cell.js';
import type { Scheduler, TimerTarget } from '../../clock.js';

export class InstanceCells implements CellRegistry {
  private readonly ids: string[] = [];

  constructor(
    private readonly base: CellRegistry,
    private readonly key: string,
  ) {}

  register(id: string, cell: StateCell): void {
    const keyed = `${id}@${this.key}`;
    this.base.register(keyed, cell);
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

/** Registers nothing: the planning pass that checks a partition's queries once, before any key. */
export const DISCARDED_CELLS: CellRegistry = { register() {}, unregister() {} };

/** The app's scheduler, except that timers fire only while `alive()`. */
export function instanceScheduler(base: Scheduler, alive: () => boolean): Scheduler {
  const s = Object.create(base) as Scheduler;
  s.schedule = (time: number, target: TimerTarget, seq?: number) =>
    base.schedule(time, { onTimer: (t, n) => { if (alive()) target.onTimer(t, n); } }, seq);
  return s;
}
