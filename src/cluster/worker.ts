// A scale-out worker: holds leases on its fair share of partitions, runs one
// runtime per owned partition, and commits each one's output with its
// checkpoint record in one fenced broker call. Leases are renewed (and the
// share rebalanced) from a timer; the processing loop yields every `sliceMs`,
// so processing cannot starve the renewals. After stop(), run() settles within a
// bound even when the broker never answers. Called by `siddhi worker`.

import { setImmediate as yieldToTimers, setTimeout as delay } from 'node:timers/promises';
import type { PersistenceStore } from '../index.js';
import type { Broker, Lease } from './broker.js';
import { parseRecord } from './checkpoint-record.js';
import { decideShare } from './fair-share.js';
import { InputReader } from './input-reader.js';
import { PartitionRunner, type RuntimeFactory } from './partition-runner.js';
import { WorkerMetrics, type WorkerReport } from './worker-metrics.js';

export interface WorkerOptions {
  readonly id: string;
  readonly broker: Broker;
  readonly factory: RuntimeFactory;
  /** Where checkpoints too big to travel inline go (a FileStore all workers share). */
  readonly store?: PersistenceStore;
  readonly leaseMs?: number;
  readonly commitMs?: number;
  readonly commitEvents?: number;
  /** Processing time between yields (default 2 ms): a commit's acknowledgement waits up to this long. */
  readonly sliceMs?: number;
  /** Input entries per partition per read. */
  readonly readCount?: number;
  /**
   * How long run() waits after stop() for the final commits (default: the lease + 2 s; past the lease
   * they would be fenced anyway). Then it rejects with a StopTimeoutError, whatever is still pending.
   */
  readonly stopMs?: number;
  readonly log?: (message: string) => void;
}

/**
 * run()'s outcome when the broker did not answer within `stopMs` of stop():
 * stopped without a final commit; the partitions resume from their last commits once the leases expire.
 */
export class StopTimeoutError extends Error {
  constructor(readonly waitedMs: number) {
    super(`stopped without a final commit: no answer from the broker within ${waitedMs} ms of stop()`);
    this.name = 'StopTimeoutError';
  }
}

export class Worker {
  private readonly runners = new Map<number, PartitionRunner>();
  /** Partitions whose lease renewal failed: the next commit (fenced) tells whether they are lost. */
  private readonly suspect = new Set<number>();
  private readonly preferred = new Set<number>();
  /** Commits on their way, per partition. */
  private readonly inflight = new Map<number, Promise<void>>();
  private failure: Error | undefined;
  /** The broker error being waited out, logged once. */
  private outage: string | undefined;
  private readonly reader: InputReader;
  private handOff = false;
  /** The tick in progress: stop waits for it, so a partition it is claiming is committed and handed back too. */
  private ticking: Promise<void> | undefined;
  /** When stop() was called (performance.now()), and who waits to hear it. */
  private stoppedAt: number | undefined;
  private get stopping(): boolean {
    return this.stoppedAt !== undefined;
  }
  private readonly onStop: (() => void)[] = [];
  /** run() has returned: a claim that was left pending and resumes now closes what it opened. */
  private ended = false;
  readonly metrics: WorkerMetrics;

  constructor(private readonly options: WorkerOptions) {
    this.metrics = new WorkerMetrics(options.id, options.broker.partitions);
    // Entries hold up to the router's batch size (500) each: 16 make a read of a few thousand events per partition.
    this.reader = new InputReader(options.broker, options.readCount ?? 16, 100);
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 3000;
  }

  /**
   * Runs until stop(): then commits and releases every partition. Rejects with a
   * StopTimeoutError when that takes longer than `stopMs` (the broker is gone or hung).
   */
  async run(): Promise<void> {
    // Six ticks per lease: a renewal can miss a few, and free partitions are seen soon after a lease expires.
    const timer = setInterval(() => void this.tick(), Math.max(50, Math.floor(this.leaseMs / 6)));
    // The loop's own I/O keeps a process alive while it runs; the ticks alone never do.
    timer.unref();
    try {
      await this.withinStopBound(this.work());
    } finally {
      clearInterval(timer);
      this.ended = true;
      for (const r of this.runners.values()) r.close();
      this.runners.clear();
      await this.withinStopBound(this.options.broker.report(this.options.id, JSON.stringify(this.metrics.snapshot(this.runners)))).catch(() => undefined);
      // Off the roster: the others' fair shares take in the partitions it released at their next tick, not
      // once its heartbeat expires (a lease later). Should this fail, the heartbeat expires as before. By id: a
      // new worker already started under the same --id is off it too, until its next tick (lease / 6) puts it back.
      await this.withinStopBound(this.options.broker.leave(this.options.id)).catch(() => undefined);
    }
  }

  private async work(): Promise<void> {
    // A restarted worker prefers the partitions whose last commit it made.
    const records = await this.options.broker.records();
    records.forEach((text, p) => text !== undefined && parseRecord(text).owner === this.options.id && this.preferred.add(p));
    await this.tick();
    while (!this.stopping) await this.stepThroughOutages();
    this.reader.cancel();
    // A tick may be claiming a partition (its lease is taken, its runtime opening): settle that one too.
    await this.ticking;
    await Promise.all(this.inflight.values());
    for (const p of [...this.runners.keys()]) await this.settle(p, true);
  }

  /**
   * `pending`, or a StopTimeoutError once `stopMs` have passed since stop(): a broker
   * command may never settle (ioredis keeps a command that was in flight when its
   * connection closed for a resend after the next successful reconnect, so it pends
   * for good while the broker's port refuses, or accepts and drops, connections).
   * What is left pending finds the runners gone when it resumes.
   */
  private withinStopBound<T>(pending: Promise<T>): Promise<T> {
    const stopMs = this.options.stopMs ?? this.leaseMs + 2_000;
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const giveUp = () => {
        timer = setTimeout(() => reject(new StopTimeoutError(stopMs)), Math.max(0, this.stoppedAt! + stopMs - performance.now()));
      };
      if (this.stoppedAt === undefined) this.onStop.push(giveUp);
      else giveUp();
      pending.then(resolve, reject).finally(() => {
        clearTimeout(timer);
        const at = this.onStop.indexOf(giveUp);
        if (at >= 0) this.onStop.splice(at, 1);
      });
    });
  }

  stop(): void {
    this.stoppedAt ??= performance.now();
    for (const giveUp of this.onStop.splice(0)) giveUp();
  }

  /** The worker's figures now (what it publishes every tick). */
  report(): WorkerReport {
    return this.metrics.snapshot(this.trusted());
  }

  /** Owned partitions, sorted. */
  get owned(): number[] {
    return [...this.runners.keys()].sort((a, b) => a - b);
  }

  /** A step; while the broker cannot be reached, waits and tries again (commits made meanwhile are fenced if the leases moved). */
  private async stepThroughOutages(): Promise<void> {
    try {
      await this.step();
      this.outage = undefined;
    } catch (err) {
      if (!this.options.broker.unavailable(err)) throw err;
      this.failure = undefined;
      if (this.outage === undefined) this.log(`broker unreachable (${(err as Error).message}); retrying`);
      this.outage = (err as Error).message;
      await delay(250);
    }
  }

  /** One round: settle suspects and a hand-off, read what is new, process it in slices, start the commits that are due. */
  private async step(): Promise<void> {
    if (this.failure) throw this.failure;
    for (const p of [...this.suspect]) await this.settle(p, false);
    if (this.handOff) {
      this.handOff = false;
      const last = this.metrics.lastClaimed(this.owned);
      if (last !== undefined) await this.settle(last, true);
    }
    if (this.runners.size === 0) {
      this.reader.cancel();
      await delay(50);
      return;
    }
    const { asked, entries } = await this.reader.next(new Map([...this.runners].map(([p, r]) => [p, r.offset] as const)));
    const sliceMs = this.options.sliceMs ?? 2;
    let deadline = performance.now() + sliceMs;
    for (const [p, list] of entries) {
      const runner = this.runners.get(p);
      if (!runner || runner.offset !== asked.get(p)) continue;
      for (const entry of list) {
        if (this.runners.get(p) !== runner || this.suspect.has(p)) break;
        // A slice may end inside the entry (500 events can take longer than a slice on a busy machine): yield, then go on with it.
        let events: number;
        while ((events = runner.feed(entry, deadline)) < 0) {
          deadline = await this.yieldSlice(sliceMs);
          // A fenced commit dropped the runner meanwhile: its half-fed state goes with it.
          if (this.runners.get(p) !== runner) break;
        }
        if (events < 0) break;
        this.metrics.events += events;
        // Commits keep their cadence inside a long read, not only after it.
        if (this.due(p, runner)) this.startCommit(p, runner);
        if (performance.now() >= deadline) deadline = await this.yieldSlice(sliceMs);
      }
    }
    for (const [p, r] of [...this.runners]) if (this.due(p, r) && !this.suspect.has(p)) this.startCommit(p, r);
  }

  /** Lets timers (lease renewals) and broker replies (acknowledged commits) run; resolves to the next slice's deadline. */
  private async yieldSlice(sliceMs: number): Promise<number> {
    await yieldToTimers();
    return performance.now() + sliceMs;
  }

  private due(p: number, r: PartitionRunner): boolean {
    if (this.inflight.has(p) || r.midEntry) return false;
    return r.uncommitted >= (this.options.commitEvents ?? 5000) ||
      (r.offset !== r.committedOffset && performance.now() - r.lastCommit >= (this.options.commitMs ?? 500));
  }

  /**
   * Sends a commit without waiting for it: processing goes on while it travels
   * (the runner snapshots synchronously; one commit per partition in flight).
   * A failure is thrown by the next step, as an awaited commit's would be.
   */
  private startCommit(p: number, r: PartitionRunner): void {
    const done = this.commit(p, r).then(() => undefined, (err: unknown) => {
      this.failure ??= err instanceof Error ? err : new Error(String(err));
    }).finally(() => this.inflight.delete(p));
    this.inflight.set(p, done);
  }

  private async commit(p: number, r: PartitionRunner): Promise<boolean> {
    const done = await r.commit(this.options.broker, this.options.store);
    if (done === false) {
      this.metrics.fenced++;
      this.log(`partition ${p}: commit fenced (epoch ${r.lease.epoch} is no longer the lease); dropped`);
      if (this.runners.get(p) === r) this.drop(p);
      return false;
    }
    this.metrics.commit(done.ms);
    return true;
  }

  /** Commits (the broker's fencing decides a suspect's fate); with `release`, hands the partition back. */
  private async settle(p: number, release: boolean): Promise<void> {
    this.suspect.delete(p);
    await this.inflight.get(p);
    if (this.failure) throw this.failure;
    const r = this.runners.get(p);
    if (!r) return;
    if (!(await this.commit(p, r)) || !release) return;
    await this.options.broker.release(r.lease);
    this.metrics.releases++;
    this.log(`partition ${p}: handed over at offset ${r.offset}`);
    this.drop(p);
  }

  /** Owned partitions whose lease is not in doubt. */
  private trusted(): Map<number, PartitionRunner> {
    return new Map([...this.runners].filter(([p]) => !this.suspect.has(p)));
  }

  private drop(p: number): void {
    this.runners.get(p)?.close();
    this.runners.delete(p);
    this.suspect.delete(p);
  }

  /** Heartbeat, lease renewals, rebalancing and metrics; never overlaps itself. */
  private tick(): Promise<void> {
    if (this.ticking !== undefined) return this.ticking;
    if (this.stopping) return Promise.resolve();
    this.ticking = this.tickOnce().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async tickOnce(): Promise<void> {
    try {
      const { broker, id } = this.options;
      const live = await broker.heartbeat(id, this.leaseMs);
      await Promise.all([...this.runners.values()].map(async (r) => {
        const kept = await broker.renew(r.lease, this.leaseMs).catch(() => false);
        if (!kept && this.runners.get(r.lease.partition) === r) this.suspect.add(r.lease.partition);
      }));
      const owners = await broker.owners();
      const decision = decideShare({ me: id, live, owners, preferred: this.preferred });
      if (decision.claim.length > 0) await this.claim(decision.claim);
      this.handOff ||= decision.handOff;
      this.metrics.lag(this.runners, (await broker.routed()).perPartition);
      await broker.report(id, JSON.stringify(this.metrics.snapshot(this.trusted())));
    } catch (err) {
      if (this.outage === undefined) this.log(`lease tick failed: ${(err as Error).message}`);
    }
  }

  private async claim(partitions: readonly number[]): Promise<void> {
    const { broker, id, factory, store } = this.options;
    for (const p of partitions) {
      if (this.stopping || this.runners.has(p)) continue;
      const lease: Lease | undefined = await broker.claim(p, id, this.leaseMs);
      if (!lease) continue;
      const text = (await broker.records())[p];
      const record = text === undefined ? undefined : parseRecord(text);
      const { runner, restoreMs } = await PartitionRunner.open(lease, factory, record, store);
      if (this.ended) {
        runner.close();
        return;
      }
      this.runners.set(p, runner);
      this.preferred.add(p);
      this.metrics.claimed(p, restoreMs);
      this.log(`partition ${p}: claimed (epoch ${lease.epoch}), ${record ? `restored in ${restoreMs.toFixed(1)} ms at offset ${record.offset} (${record.events} events)` : 'fresh'}`);
    }
  }

  private log(message: string): void {
    this.options.log?.(`worker ${this.options.id}: ${message}`);
  }
}
