// runtime.metrics() in the Prometheus text format, for `siddhi run
// --metrics-port`. Hand-written: a few counters, gauges and one histogram need
// no client library (prom-client would bring a registry, default process
// metrics and a dependency for the same lines).

import type { RuntimeMetrics } from './app-runtime.js';

/**
 * @example
 * res.end(formatPrometheus(runtime.metrics()));
 */
export function formatPrometheus(m: RuntimeMetrics): string {
  const app = label(m.app);
  const lines: string[] = [
    '# HELP siddhi_stream_events_in_total Events that entered a stream.',
    '# TYPE siddhi_stream_events_in_total counter',
    ...Object.entries(m.streams).map(([s, v]) => `siddhi_stream_events_in_total{app="${app}",stream="${label(s)}"} ${v.in}`),
    '# HELP siddhi_stream_events_out_total Events a stream handed to callbacks and sinks.',
    '# TYPE siddhi_stream_events_out_total counter',
    ...Object.entries(m.streams).map(([s, v]) => `siddhi_stream_events_out_total{app="${app}",stream="${label(s)}"} ${v.out}`),
    '# HELP siddhi_checkpoints Checkpoints kept in the runtime\'s figures.',
    '# TYPE siddhi_checkpoints gauge',
    `siddhi_checkpoints{app="${app}"} ${m.checkpoints.count}`,
  ];
  const queries = Object.entries(m.queries);
  if (queries.length > 0) {
    lines.push(
      '# HELP siddhi_query_events_total Events a query read since runtime.enableMetrics().',
      '# TYPE siddhi_query_events_total counter',
      ...queries.map(([q, v]) => `siddhi_query_events_total{app="${app}",query="${label(q)}"} ${v.events}`),
      '# HELP siddhi_query_latency_seconds Time a query spent on one chunk of events (its own time; sampled chunks).',
      '# TYPE siddhi_query_latency_seconds histogram',
    );
    for (const [q, v] of queries) {
      const at = `app="${app}",query="${label(q)}"`;
      let cumulative = 0;
      v.latency.bucketsMs.forEach((le, i) => {
        cumulative += v.latency.counts[i]!;
        lines.push(`siddhi_query_latency_seconds_bucket{${at},le="${le / 1000}"} ${cumulative}`);
      });
      lines.push(
        `siddhi_query_latency_seconds_bucket{${at},le="+Inf"} ${v.latency.count}`,
        `siddhi_query_latency_seconds_sum{${at}} ${v.latency.sumMs / 1000}`,
        `siddhi_query_latency_seconds_count{${at}} ${v.latency.count}`,
      );
    }
  }
  const cells = Object.entries(m.cells);
  if (cells.length > 0) {
    lines.push(
      '# HELP siddhi_cell_state_bytes Serialized size of a state cell in the newest checkpoint that carried it (mode: full or delta).',
      '# TYPE siddhi_cell_state_bytes gauge',
      ...cells.map(([id, c]) => `siddhi_cell_state_bytes{app="${app}",cell="${label(id)}",mode="${c.mode}"} ${c.bytes}`),
    );
  }
  const last = m.checkpoints.last;
  if (last) {
    lines.push(
      '# HELP siddhi_checkpoint_last_pause_ms Time events were blocked by the last checkpoint.',
      '# TYPE siddhi_checkpoint_last_pause_ms gauge',
      `siddhi_checkpoint_last_pause_ms{app="${app}"} ${last.pauseMs}`,
      '# HELP siddhi_checkpoint_last_bytes Stored size of the last checkpoint.',
      '# TYPE siddhi_checkpoint_last_bytes gauge',
      `siddhi_checkpoint_last_bytes{app="${app}"} ${last.storedBytes}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A label value escaped as the Prometheus text format requires. */
export function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
