// Exactly-once `siddhi run --checkpoint-dir`: takes checkpoints between input
// lines, recording in each one how far the output got (the input's position is
// the EventFileSource's own state cell), and on a restart restores the newest
// one. Used by checkpointed-run.ts.

import type { CheckpointMetric, SiddhiAppRuntime } from '../index.js';
import { CliUsageError } from './io.js';
import type { FileSink } from './output-sink.js';
import { formatBytes, formatMs, percentile } from './stats.js';

/** What the CLI records with every checkpoint (the runtime's `checkpoint.meta`). */
export interface RunMeta {
  readonly cli: 'siddhi run';
  /** Output bytes written (and fsynced) before the checkpoint. */
  readonly outputBytes: number;
  /** Taken after the last input line. */
  readonly done: boolean;
}

export interface Resumed {
  readonly revision: string;
  readonly outputBytes: number;
  readonly done: boolean;
}

interface Taken extends CheckpointMetric {
  /** Flushing and fsyncing the output before the capture. */
  readonly syncMs: number;
  /** Output fsync + capture + save: how long input processing stopped. */
  readonly stallMs: number;
}

export interface RunCheckpointsOptions {
  readonly dir: string;
  /** Wall-clock milliseconds between checkpoints; 0 checkpoints after every line. */
  readonly interval: number;
}

export class RunCheckpoints {
  private pending: RunMeta | undefined;
  private last = performance.now();
  private readonly taken: Taken[] = [];

  constructor(private readonly options: RunCheckpointsOptions) {}

  get dir(): string {
    return this.options.dir;
  }

  /** For the runtime option `checkpoint.meta`: called while persist() captures. */
  readonly meta = (): RunMeta | undefined => this.pending;

  /** Restores the newest usable checkpoint; undefined when the directory has none for this app. */
  async resume(runtime: SiddhiAppRuntime): Promise<Resumed | undefined> {
    const revision = await runtime.restoreLastRevision();
    if (revision === undefined) return undefined;
    const meta = runtime.lastRestoreReport?.meta as RunMeta | undefined;
    if (meta?.cli !== 'siddhi run' || !Number.isInteger(meta.outputBytes)) {
      throw new CliUsageError(`checkpoint ${revision} in '${this.options.dir}' was not written by 'siddhi run'; use another --checkpoint-dir`);
    }
    return { revision, outputBytes: meta.outputBytes, done: meta.done === true };
  }

  /** Whether the interval has passed since the last checkpoint (wall clock). */
  due(): boolean {
    return performance.now() - this.last >= this.options.interval;
  }

  /** Makes the output durable, then checkpoints with the positions reached. */
  async take(runtime: SiddhiAppRuntime, sink: FileSink, done: boolean): Promise<void> {
    const t0 = performance.now();
    sink.sync();
    const syncMs = performance.now() - t0;
    this.pending = { cli: 'siddhi run', outputBytes: sink.position, done };
    let revision: string;
    try {
      revision = await runtime.persist();
    } finally {
      this.pending = undefined;
    }
    this.last = performance.now();
    const metric = runtime.checkpointMetrics().find((m) => m.revision === revision);
    if (metric) this.taken.push({ ...metric, syncMs, stallMs: this.last - t0 });
  }

  /** Counts, timings and sizes of the checkpoints this process took. */
  summary(): string {
    const t = this.taken;
    if (t.length === 0) return `checkpoints: none taken (directory ${this.options.dir})\n`;
    const full = t.filter((m) => m.mode === 'full').length;
    const row = (label: string, values: number[], fmt: (n: number) => string, total = false): string =>
      `  ${label.padEnd(14)} p50 ${fmt(percentile(values, 0.5)).padStart(9)}   p99 ${fmt(percentile(values, 0.99)).padStart(9)}` +
      `   max ${fmt(Math.max(...values)).padStart(9)}${total ? `   total ${fmt(values.reduce((a, b) => a + b, 0))}` : ''}\n`;
    return `checkpoints: ${t.length} taken (${full} full, ${t.length - full} delta) in ${this.options.dir}\n` +
      row('capture pause', t.map((m) => m.pauseMs), formatMs) +
      row('output fsync', t.map((m) => m.syncMs), formatMs) +
      row('input stalled', t.map((m) => m.stallMs), formatMs) +
      row('size', t.map((m) => m.storedBytes), formatBytes, true);
  }
}
