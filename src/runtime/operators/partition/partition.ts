// A running partition: its live key instances (in creation order), the keys
// cell that makes them state, and the idle purge. Routers (routers.ts) call
// `instance(key)`; plan-partition.ts supplies how an instance is created.

import type { CaptureMode, StateCell } from '../../../state/cell.js';
import type { Scheduler, TimerTarget } from '../../clock.js';
import type { StreamEvent } from '../../event.js';

/** One key's queries: their views of the outer streams and a way to drop them with their cells. */
export interface PartitionInstance {
  readonly key: string;
  /** Time of the last event routed to this key, for the purge. */
  lastSeen: number;
  /** Feeds a chunk of outer stream (or named window) `name` to the instance's readers of it. */
  deliver(name: string, chunk: StreamEvent[]): void;
  /** Removes the instance's cells and silences its timers. */
  drop(): void;
}

export interface PurgePolicy {
  readonly interval: number;
  readonly idle: number;
}

export interface PartitionOptions {
  readonly scheduler: Scheduler;
  /** `restored`: the instance's cells get their state as they register, so it must not start afresh. */
  readonly create: (key: string, restored: boolean) => PartitionInstance;
  readonly purge?: PurgePolicy;
}

interface KeysState {
  /** Live keys in creation order, with their last-seen times. */
  readonly k: string[];
  readonly s: number[];
  /** Next purge time, -1 when not purging. */
  readonly p: number;
}

/** The set of live keys: restoring it re-creates every key's instance (whose cells then restore late). */
export class PartitionKeysCell implements StateCell {
  readonly kind = 'partition.keys';
  readonly version = 1;

  constructor(private readonly partition: Partition) {}

  capture(_mode: CaptureMode): unknown {
    const k: string[] = [];
    const s: number[] = [];
    for (const i of this.partition.instances.values()) {
      k.push(i.key);
      s.push(i.lastSeen);
    }
    return { k, s, p: this.partition.nextPurge } satisfies KeysState;
  }

  restore(state: unknown): void {
    this.partition.restoreKeys(state as KeysState);
  }
}

export class Partition implements TimerTarget {
  instances = new Map<string, PartitionInstance>();
  nextPurge = -1;
  readonly cell = new PartitionKeysCell(this);

  constructor(private readonly options: PartitionOptions) {}

  /** The instance of `key`, created the first time the key is seen. */
  instance(key: string): PartitionInstance {
    let i = this.instances.get(key);
    if (i === undefined) {
      i = this.options.create(key, false);
      this.instances.set(key, i);
    }
    i.lastSeen = this.options.scheduler.now();
    return i;
  }

  /** A non-partitioned stream reaches every existing instance, oldest first. */
  broadcast(name: string, chunk: StreamEvent[]): void {
    for (const i of [...this.instances.values()]) i.deliver(name, chunk);
  }

  start(): void {
    const purge = this.options.purge;
    if (!purge || this.nextPurge >= 0) return;
    this.nextPurge = this.options.scheduler.now() + purge.interval;
    this.arm();
  }

  onTimer(time: number): void {
    const purge = this.options.purge;
    if (!purge || time !== this.nextPurge) return;
    this.purgeIdle(time, purge.idle);
    this.nextPurge = time + purge.interval;
    this.arm();
  }

  /** Drops every instance idle for longer than `idle` ms at `now`. */
  purgeIdle(now: number, idle: number): void {
    for (const [key, i] of this.instances) {
      if (i.lastSeen + idle < now) {
        i.drop();
        this.instances.delete(key);
      }
    }
  }

  restoreKeys(state: KeysState): void {
    const kept = new Map<string, PartitionInstance>();
    const wanted = new Set(state.k);
    for (const [key, i] of this.instances) {
      if (!wanted.has(key)) i.drop();
    }
    // Rebuilt in the checkpoint's order, so broadcasts keep their order too.
    const previous = this.instances;
    this.instances = kept;
    state.k.forEach((key, n) => {
      const i = previous.get(key) ?? this.options.create(key, true);
      i.lastSeen = state.s[n]!;
      kept.set(key, i);
    });
    this.nextPurge = state.p;
    this.arm();
  }

  private arm(): void {
    if (this.nextPurge >= 0) this.options.scheduler.schedule(this.nextPurge, this);
  }
}
