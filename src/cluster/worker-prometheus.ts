// A worker's report (worker-metrics.ts) in the Prometheus text format, for
// `siddhi worker --metrics-port`: events, owned partitions and their lag,
// commit latency quantiles, restore time and lease churn. Hand-written like
// src/runtime/prometheus.ts, whose runtime figures it complements.

import { label } from '../runtime/prometheus.js';
import type { WorkerReport } from './worker-metrics.js';

type Kind = 'counter' | 'gauge';

export function formatWorkerPrometheus(app: string, r: WorkerReport): string {
  const base = `app="${label(app)}",worker="${label(r.worker)}"`;
  const lines: string[] = [];
  const metric = (name: string, kind: Kind, help: string, samples: readonly [labels: string, value: number][]): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${kind}`);
    for (const [extra, value] of samples) if (Number.isFinite(value)) lines.push(`${name}{${base}${extra}} ${value}`);
  };
  metric('siddhi_worker_events_total', 'counter', 'Input events this worker processed (replays included).', [['', r.events]]);
  metric('siddhi_worker_partitions_owned', 'gauge', 'Partitions this worker holds a lease on.', [['', r.owned.length]]);
  metric('siddhi_worker_partition_lag_events', 'gauge', 'Events routed to an owned partition and not processed yet.',
    Object.entries(r.lag).map(([p, lag]) => [`,partition="${p}"`, lag]));
  metric('siddhi_worker_commits_total', 'counter', 'Fenced commits of output and checkpoint that succeeded.', [['', r.commits]]);
  metric('siddhi_worker_commit_ms', 'gauge', 'Commit latency (snapshot to acknowledgement) over the recent commits.',
    [[',quantile="0.5"', r.commitP50Ms], [',quantile="0.99"', r.commitP99Ms]]);
  metric('siddhi_worker_restore_last_ms', 'gauge', 'Time the last claimed partition took to restore.', [['', r.restoreMs.at(-1) ?? NaN]]);
  metric('siddhi_worker_lease_claims_total', 'counter', 'Partitions claimed (start, failover or hand-over).', [['', r.claims]]);
  metric('siddhi_worker_lease_releases_total', 'counter', 'Partitions handed over to another worker.', [['', r.releases]]);
  metric('siddhi_worker_fenced_commits_total', 'counter', 'Commits refused because the lease had moved.', [['', r.fenced]]);
  return `${lines.join('\n')}\n`;
}

