// runtime.metrics() in the Prometheus text format, for `siddhi run
// --metrics-port`. Hand-written: a few counters and gauges need no client
// library (prom-client would bring a registry, default process metrics and a
// dependency for the same 20 lines).

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

function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
