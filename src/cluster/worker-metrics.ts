// A worker's figures: commit latency p50/p99, restore times, lease churn
// (claims, hand-overs, fenced commits), events processed and lag per owned
// partition. Published through the broker by worker.ts, read by benches and tests.

import type { PartitionRunner } from './partition-runner.js';

/** Nearest-rank percentile of `values` (p in 0..1); NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export interface WorkerReport {
  readonly worker: string;
  readonly owned: number[];
  readonly events: number;
  readonly commits: number;
  readonly commitP50Ms: number;
  readonly commitP99Ms: number;
  readonly restoreMs: number[];
  readonly claims: number;
  readonly releases: number;
  readonly fenced: number;
  /** Per owned partition: events routed to it and not yet processed. */
  readonly lag: Record<number, number>;
  /** CPU time of the worker process so far (user + system): events per CPU second hold on a busy machine. */
  readonly cpuMs: number;
  readonly at: number;
}

const KEEP = 10_000;

export class WorkerMetrics {
  events = 0;
  releases = 0;
  fenced = 0;
  private claims = 0;
  private readonly commitMs: number[] = [];
  private commits = 0;
  private readonly restoreMs: number[] = [];
  private readonly claimOrder: number[] = [];
  private lagBy: Record<number, number> = {};

  constructor(
    private readonly worker: string,
    private readonly partitions: number,
  ) {}

  commit(ms: number): void {
    this.commits++;
    if (this.commitMs.length >= KEEP) this.commitMs.splice(0, KEEP / 2);
    this.commitMs.push(ms);
  }

  claimed(partition: number, restoreMs: number): void {
    this.claims++;
    this.restoreMs.push(restoreMs);
    this.claimOrder.push(partition);
  }

  /** The owned partition claimed last: the one to hand over first. */
  lastClaimed(owned: readonly number[]): number | undefined {
    for (let i = this.claimOrder.length - 1; i >= 0; i--) if (owned.includes(this.claimOrder[i]!)) return this.claimOrder[i];
    return owned[owned.length - 1];
  }

  lag(runners: ReadonlyMap<number, PartitionRunner>, routed: readonly number[]): void {
    this.lagBy = {};
    for (const [p, r] of runners) if (p < this.partitions) this.lagBy[p] = Math.max(0, (routed[p] ?? 0) - r.events);
  }

  snapshot(runners: ReadonlyMap<number, PartitionRunner>): WorkerReport {
    return {
      worker: this.worker,
      owned: [...runners.keys()].sort((a, b) => a - b),
      events: this.events,
      commits: this.commits,
      commitP50Ms: percentile(this.commitMs, 0.5),
      commitP99Ms: percentile(this.commitMs, 0.99),
      restoreMs: this.restoreMs.slice(-20),
      claims: this.claims,
      releases: this.releases,
      fenced: this.fenced,
      lag: this.lagBy,
      cpuMs: cpuMs(),
      at: Date.now(),
    };
  }
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
