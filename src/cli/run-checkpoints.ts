// Exactly-once `siddhi run --checkpoint-dir`: takes checkpoints between input
// lines, recording in each one how far the input and the output got, and on a
// restart restores the newest one and says where to continue. Used by run-command.ts.

import type { CheckpointMetric, SiddhiAppRuntime } from '../index.js';
import { CliUsageError } from './io.js';
import type { InputLine } from './input-lines.js';
import type { FileSink } from './output-sink.js';
import { formatBytes, formatMs, percentile } from './stats.js';

/** What the CLI records with every checkpoint (the runtime's `checkpoint.meta`). */
export interface RunMeta {
  readonly cli: 'siddhi run';
  /** Input lines consumed, counted in the merged order the run reads them. */
  readonly lines: number;
  /** Per input file, in --input order: lines of it consumed. */
  readonly inputs: readonly { readonly file: string; readonly lines: number }[];
  /** Output bytes written (and fsynced) before the checkpoint. */
  readonly outputBytes: number;
  /** Events rejected so far, so that a resumed run still exits 1. */
  readonly rejected: number;
  /** Taken after the last input line. */
  readonly done: boolean;
}

export interface Progress {
  readonly lines: number;
  readonly rejected: number;
  readonly done: boolean;
}

export interface Resumed extends Progress {
  readonly revision: string;
  readonly outputBytes: number;
  /** Per input file, lines the checkpoint consumed. */
  readonly inputs: readonly { readonly file: string; readonly lines: number }[];
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
  /** The --input files, in order. */
  readonly files: readonly string[];
}

export class RunCheckpoints {
  private pending: RunMeta | undefined;
  private last = performance.now();
  private readonly taken: Taken[] = [];
  /** Lines consumed so far per --input file (running counts: the input is streamed, not held). */
  private readonly counts: number[];

  constructor(private readonly options: RunCheckpointsOptions) {
    this.counts = options.files.map(() => 0);
  }

  /** Counts an input line the run consumed (sent, or skipped on resume). */
  consumed(line: InputLine): void {
    this.counts[line.source]!++;
  }

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
    if (meta?.cli !== 'siddhi run' || !Number.isInteger(meta.lines) || !Array.isArray(meta.inputs)) {
      throw new CliUsageError(`checkpoint ${revision} in '${this.options.dir}' was not written by 'siddhi run'; use another --checkpoint-dir`);
    }
    this.checkFiles(meta, revision);
    return { revision, lines: meta.lines, outputBytes: meta.outputBytes, rejected: meta.rejected, done: meta.done, inputs: meta.inputs };
  }

  /** Whether the interval has passed since the last checkpoint (wall clock). */
  due(): boolean {
    return performance.now() - this.last >= this.options.interval;
  }

  /** Makes the output durable, then checkpoints with the positions reached. */
  async take(runtime: SiddhiAppRuntime, sink: FileSink, progress: Progress): Promise<void> {
    const t0 = performance.now();
    sink.sync();
    const syncMs = performance.now() - t0;
    this.pending = {
      cli: 'siddhi run',
      lines: progress.lines,
      inputs: this.consumedPerFile(),
      outputBytes: sink.position,
      rejected: progress.rejected,
      done: progress.done,
    };
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

  private consumedPerFile(): { file: string; lines: number }[] {
    return this.options.files.map((file, i) => ({ file, lines: this.counts[i]! }));
  }

  /** The same input files as the checkpoint's, in the same order. */
  private checkFiles(meta: RunMeta, revision: string): void {
    const recorded = meta.inputs.map((i) => i.file);
    if (recorded.join('\0') !== this.options.files.join('\0')) {
      throw new CliUsageError(
        `checkpoint ${revision} was taken with --input ${recorded.join(' --input ')}; resume with the same input files, or use another --checkpoint-dir`,
      );
    }
  }

  /**
   * After a resumed run skipped `skipped` lines: the checkpoint's lines, taken
   * from each file as then (same merge order), or the input changed.
   */
  checkSkipped(resumed: Resumed, skipped: number): void {
    if (skipped !== resumed.lines || this.counts.some((c, i) => c !== resumed.inputs[i]!.lines)) {
      throw new CliUsageError(`the input files changed since checkpoint ${resumed.revision} (it consumed ${resumed.lines} lines); cannot resume exactly`);
    }
  }
}
