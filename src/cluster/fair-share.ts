// The rebalancing rule of the workers, as a pure function: each live worker's
// fair share of P partitions (sorted ids, the first P mod N take one more),
// which free partitions to claim (preferring ones this worker held before) and
// whether to hand one over to a worker below its share. Called by worker.ts.

import type { Lease } from './broker.js';

export interface ShareInput {
  readonly me: string;
  /** Live workers, sorted. */
  readonly live: readonly string[];
  /** Per partition, its lease holder. */
  readonly owners: readonly (Lease | undefined)[];
  /** Partitions this worker held before (or whose last record it wrote): claimed first. */
  readonly preferred: ReadonlySet<number>;
}

export interface ShareDecision {
  readonly target: number;
  /** Free partitions to try to claim, best first. */
  readonly claim: readonly number[];
  /** Hand one partition over: another live worker is below its share while this one is above. */
  readonly handOff: boolean;
}

export function shareOf(worker: string, live: readonly string[], partitions: number): number {
  const rank = live.indexOf(worker);
  if (rank < 0) return 0;
  const n = live.length;
  return Math.floor(partitions / n) + (rank < partitions % n ? 1 : 0);
}

export function decideShare(input: ShareInput): ShareDecision {
  const p = input.owners.length;
  const live = input.live.includes(input.me) ? input.live : [...input.live, input.me].sort();
  const target = shareOf(input.me, live, p);
  const held = new Map<string, number>();
  for (const l of input.owners) if (l) held.set(l.owner, (held.get(l.owner) ?? 0) + 1);
  const mine = held.get(input.me) ?? 0;
  const free = input.owners.flatMap((l, i) => (l === undefined ? [i] : []));
  free.sort((a, b) => Number(input.preferred.has(b)) - Number(input.preferred.has(a)) || a - b);
  const claim = mine < target ? free.slice(0, target - mine) : [];
  const starving = live.some((w) => w !== input.me && (held.get(w) ?? 0) < shareOf(w, live, p));
  // While partitions are free, the starving worker claims those instead.
  return { target, claim, handOff: mine > target && starving && free.length === 0 };
}
