// One owned partition inside a worker: its own runtime of the app, restored
// from the partition's committed record, fed the partition's input batches,
// with the output buffered until the next commit carries it (with the state
// that produced it) to the broker. Created and driven by worker.ts.

import type { InputHandler, PersistenceStore, RuntimeOptions, SiddhiAppRuntime } from '../index.js';
import type { Broker, InputEntry, Lease } from './broker.js';
import { decodeBatch, partitionOf, type Batch } from './batch.js';
import { loadCheckpoint, placeCheckpoint, type CheckpointRecord } from './checkpoint-record.js';
import { OutputRows } from './output-rows.js';

/** Creates runtimes of the app; the runner collects the output of `streams` (the lines of 'siddhi run'). */
export interface RuntimeFactory {
  readonly app: string;
  readonly fingerprint: string;
  /** P, as the router was started with. */
  readonly partitions: number;
  readonly streams: readonly string[];
  /** A runtime, not yet started, with these options (playback is the factory's to set). */
  create(options: Pick<RuntimeOptions, 'rangeLabels'>): SiddhiAppRuntime;
  /** Hears what is left out: a rejected input event, an output event that cannot be written as JSON. */
  warn(partition: number, message: string): void;
}

export interface CommitFigures {
  readonly ms: number;
  readonly lines: number;
  readonly bytes: number;
}

export class PartitionRunner {
  private readonly output: OutputRows;
  private readonly handlers = new Map<string, InputHandler>();
  private outputLines: number;
  private revisions = 0;
  /** Events processed since the last commit. */
  uncommitted = 0;
  /** The entry being fed when a slice ended inside it, and where it goes on. */
  private cursor: { readonly entry: InputEntry; readonly batch: Batch; next: number } | undefined;
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
    this.output = new OutputRows(factory.streams, (stream, time, message) =>
      factory.warn(lease.partition, `cannot write an output event of stream '${stream}' at time ${time} as JSON: ${message}`));
    factory.streams.forEach((stream, i) => runtime.addCallback(stream, (events) => {
      for (const e of events) this.output.add(i, e.timestamp, e.data, e.isExpired);
    }));
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
    const p = lease.partition;
    // The router sends an event to the partition of each range label it matches: this runtime runs only its own labels.
    const runtime = factory.create(factory.partitions > 1 ? { rangeLabels: (label) => partitionOf(label, factory.partitions) === p } : {});
    const runner = new PartitionRunner(lease, runtime, factory, record?.offset ?? '0-0', record?.events ?? 0, record?.outputLines ?? 0);
    runtime.start();
    if (record) {
      // Output of start() (an 'at start' trigger) was committed by the first owner; the restored state replaces it.
      runner.output.take();
      runtime.restore(await loadCheckpoint(record, store));
    }
    return { runner, restoreMs: performance.now() - t0 };
  }

  /**
   * Feeds `entry` (or goes on with it, when the last call stopped inside it)
   * until it is done or `deadline` (performance.now()) has passed; returns
   * the entry's events once it is done, else -1: call again with the same
   * entry. Offsets and counts move only when an entry is done, and a commit
   * must not be taken while one is half fed (`midEntry`).
   */
  feed(entry: InputEntry, deadline: number): number {
    let cursor = this.cursor;
    if (cursor?.entry !== entry) this.cursor = cursor = { entry, batch: decodeBatch(entry.body), next: 0 };
    const { events, watermark } = cursor.batch;
    const rt = this.runtime;
    let i = cursor.next;
    while (i < events.length) {
      const [stream, time, data, clock] = events[i++]!;
      if (clock !== undefined) rt.advanceTime(clock);
      try {
        this.handler(stream).send(data, time);
      } catch (err) {
        if (!(err instanceof Error) || !err.name.startsWith('Siddhi')) throw err;
        this.factory.warn(this.lease.partition, `rejected event: ${err.message}`);
      }
      // The clock is read every few events: an event takes microseconds, a slice milliseconds.
      if ((i & 7) === 0 && i < events.length && performance.now() >= deadline) {
        cursor.next = i;
        return -1;
      }
    }
    if (watermark !== undefined) rt.advanceTime(watermark);
    this.cursor = undefined;
    this.offset = entry.id;
    this.events += events.length;
    this.uncommitted += events.length;
    return events.length;
  }

  /** Whether an entry is half fed: its state then matches no input offset, so no commit may be taken. */
  get midEntry(): boolean {
    return this.cursor !== undefined;
  }

  private handler(stream: string): InputHandler {
    let h = this.handlers.get(stream);
    if (h === undefined) this.handlers.set(stream, (h = this.runtime.getInputHandler(stream)));
    return h;
  }

  /**
   * Commits the state and the buffered output under the lease; false when the
   * lease was lost (fenced): this runner must then be dropped, its output never written.
   */
  async commit(broker: Broker, store: PersistenceStore | undefined): Promise<CommitFigures | false> {
    if (this.midEntry) throw new Error(`partition ${this.lease.partition}: a commit inside input entry ${this.cursor!.entry.id} would record state the offset does not match`);
    const t0 = performance.now();
    const { offset, events, uncommitted } = this;
    const bytes = this.runtime.snapshot();
    const taken = this.output.take();
    const output = this.output.encode(taken);
    const lines = taken.count;
    const revision = `${String(this.lease.epoch).padStart(8, '0')}-${String(++this.revisions).padStart(10, '0')}`;
    let ok: boolean;
    try {
      const placed = placeCheckpoint(bytes, { store, app: this.factory.app, partition: this.lease.partition, revision });
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
        checkpoint: placed instanceof Promise ? await placed : placed,
      };
      ok = await broker.commit({
        lease: this.lease, output, outputLines: lines, record: JSON.stringify(record), trimBelow: offset === '0-0' ? undefined : offset,
      });
    } catch (err) {
      // Not committed (the broker could not be reached, the store failed): the next commit carries these rows.
      this.output.restore(taken);
      this.output.recycle(taken);
      throw err;
    }
    this.output.recycle(taken);
    if (!ok) return false;
    // Output and events processed while the commit was in flight stay for the next one.
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
