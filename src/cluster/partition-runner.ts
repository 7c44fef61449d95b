// One owned partition inside a worker: its own runtime of the app, restored
// from the partition's committed record, fed the partition's input batches,
// with the output buffered until the next commit carries it (with the state
// that produced it) to the broker. Created and driven by worker.ts.

import type { PersistenceStore, SiddhiAppRuntime } from '../index.js';
import type { Broker, InputEntry, Lease } from './broker.js';
import { decodeBatch } from './batch.js';
import { loadCheckpoint, placeCheckpoint, type CheckpointRecord } from './checkpoint-record.js';

/** Creates a started runtime of the app whose output lines go to `write`; `reject` hears refused events. */
export interface RuntimeFactory {
  readonly app: string;
  readonly fingerprint: string;
  create(write: (line: string) => void): SiddhiAppRuntime;
  reject(partition: number, message: string): void;
}

export interface CommitFigures {
  readonly ms: number;
  readonly lines: number;
  readonly bytes: number;
}

export class PartitionRunner {
  private output: string[] = [];
  private outputLines: number;
  private revisions = 0;
  /** Events processed since the last commit. */
  uncommitted = 0;
  lastCommit = performance.now();

  private constructor(
    readonly lease: Lease,
    private readonly runtime: SiddhiAppRuntime,
    private readonly factory: RuntimeFactory,
    /** The input-log offset the state covers. */
    public offset: string,
    public events: number,
    committedLines: number,
  ) {
    this.outputLines = committedLines;
    this.committedOffset = offset;
  }

  /** The input-log offset of the last commit. */
  committedOffset: string;

  /** A runtime for `lease`, restored from `record` when there is one; `restoreMs` says how long that took. */
  static async open(lease: Lease, factory: RuntimeFactory, record: CheckpointRecord | undefined, store: PersistenceStore | undefined): Promise<{ runner: PartitionRunner; restoreMs: number }> {
    const t0 = performance.now();
    if (record && record.fingerprint !== factory.fingerprint) {
      throw new Error(`partition ${lease.partition}: its checkpoint was taken by another app version or partition count ` +
        `(fingerprint ${record.fingerprint}, this worker ${factory.fingerprint}); start the cluster over with new keys`);
    }
    let runner: PartitionRunner | undefined;
    const runtime = factory.create((line) => runner!.output.push(line));
    runner = new PartitionRunner(lease, runtime, factory, record?.offset ?? '0-0', record?.events ?? 0, record?.outputLines ?? 0);
    if (record) {
      // Output of start() (an 'at start' trigger) was committed by the first owner; the restored state replaces it.
      runner.output = [];
      runtime.restore(await loadCheckpoint(record, store));
    }
    return { runner, restoreMs: performance.now() - t0 };
  }

  /** Feeds one input entry; returns the events it held. */
  process(entry: InputEntry): number {
    const batch = decodeBatch(entry.body);
    const rt = this.runtime;
    for (const [stream, time, data, clock] of batch.events) {
      if (clock !== undefined) rt.advanceTime(clock);
      try {
        rt.getInputHandler(stream).send(data, time);
      } catch (err) {
        if (!(err instanceof Error) || !err.name.startsWith('Siddhi')) throw err;
        this.factory.reject(this.lease.partition, err.message);
      }
    }
    if (batch.watermark !== undefined) rt.advanceTime(batch.watermark);
    this.offset = entry.id;
    this.events += batch.events.length;
    this.uncommitted += batch.events.length;
    return batch.events.length;
  }

  /**
   * Commits the state and the buffered output under the lease; false when the
   * lease was lost (fenced): this runner must then be dropped, its output never written.
   */
  async commit(broker: Broker, store: PersistenceStore | undefined): Promise<CommitFigures | false> {
    const t0 = performance.now();
    const { offset, events, uncommitted } = this;
    const bytes = this.runtime.snapshot();
    const lines = this.output.length;
    const output = lines === 0 ? '' : this.output.join('');
    const revision = `${String(this.lease.epoch).padStart(8, '0')}-${String(++this.revisions).padStart(10, '0')}`;
    const record: CheckpointRecord = {
      app: this.factory.app,
      fingerprint: this.factory.fingerprint,
      partition: this.lease.partition,
      epoch: this.lease.epoch,
      owner: this.lease.owner,
      offset,
      events,
      watermark: this.runtime.currentTime(),
      outputLines: this.outputLines + lines,
      committedAt: Date.now(),
      bytes: bytes.length,
      checkpoint: await placeCheckpoint(bytes, { store, app: this.factory.app, partition: this.lease.partition, revision }),
    };
    const ok = await broker.commit({
      lease: this.lease, output, outputLines: lines, record: JSON.stringify(record), trimBelow: offset === '0-0' ? undefined : offset,
    });
    if (!ok) return false;
    // Output and events processed while the commit was in flight stay for the next one.
    this.output.splice(0, lines);
    this.outputLines += lines;
    this.uncommitted -= uncommitted;
    this.committedOffset = offset;
    this.lastCommit = performance.now();
    return { ms: this.lastCommit - t0, lines, bytes: bytes.length };
  }

  close(): void {
    this.runtime.shutdown();
  }
}
