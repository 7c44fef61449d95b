// One key's running queries as its partition sees them: the readers of the
// outer streams it reads, its cells, whether it is alive. A class with fields
// rather than closures, and one reader kept without a map: a partition makes
// one per key, so every object here is paid once per key.

import type { CellGroup } from '../../../state/cell.js';
import type { Scheduler, TimerTarget } from '../../clock.js';
import type { StreamEvent } from '../../event.js';
import type { InstanceCells } from './instance-cells.js';
import type { PartitionInstance } from './partition.js';

type Deliver = (chunk: StreamEvent[]) => void;

export class KeyInstance implements PartitionInstance {
  created = 0;
  alive: boolean;
  /** Set by whatever reaches the instance (an event, a timer); cleared by each capture. */
  readonly group: CellGroup;
  private readerName: string | undefined;
  private reader: Deliver | undefined;
  /** Readers of further streams, made for the second one. */
  private readers: Map<string, Deliver> | undefined;

  constructor(
    readonly key: string,
    public lastSeen: number,
    /** Absent for the check instance built at plan time, which registers nothing. */
    private readonly cells: InstanceCells | undefined,
  ) {
    this.alive = cells !== undefined;
    this.group = cells?.group ?? { changed: false };
  }

  /** The instance's queries read outer stream (or named window) `name` through `deliver`. */
  addReader(name: string, deliver: Deliver): void {
    if (this.readerName === undefined) {
      this.readerName = name;
      this.reader = deliver;
    } else {
      (this.readers ??= new Map()).set(name, deliver);
    }
  }

  deliver(name: string, chunk: StreamEvent[]): void {
    this.group.changed = true;
    if (name === this.readerName) this.reader!(chunk);
    else this.readers?.get(name)?.(chunk);
  }

  drop(): void {
    this.alive = false;
    this.cells?.dropAll();
  }
}

/** Who owns an instance's timers: they fire only while it is alive, and mark its cells changed. */
interface TimerOwner {
  readonly alive: boolean;
  readonly group: CellGroup;
}

/**
 * Makes instance schedulers: the app's scheduler, except that timers fire only
 * while their owner is alive. One prototype per partition; each instance's
 * scheduler is an object with one field.
 */
export function instanceSchedulers(base: Scheduler): (owner: TimerOwner) => Scheduler {
  const proto = Object.create(base) as Scheduler & { owner: TimerOwner };
  proto.schedule = function schedule(this: { owner: TimerOwner }, time: number, target: TimerTarget, seq?: number): number {
    const owner = this.owner;
    return base.schedule(time, {
      onTimer: (t, n) => {
        if (!owner.alive) return;
        owner.group.changed = true;
        target.onTimer(t, n);
      },
    }, seq);
  };
  return (owner) => {
    const s = Object.create(proto) as Scheduler & { owner: TimerOwner };
    s.owner = owner;
    return s;
  };
}
