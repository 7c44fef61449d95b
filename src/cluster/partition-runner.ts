// One owned partition inside a worker: its own runtime of the app, restored
// from the partition's committed record, fed the partition's input batches,
// with the output buffered until the next commit carries it (with the state
// that produced it) to the broker. Created and driven by worker.ts.

import type { InputHandler, PersistenceStore, RuntimeOptions, SiddhiAppRuntime } from '../index.js';
import type { Broker, CommitRequest, InputEntry, Lease } from './broker.js';
import { decodeBatch, partitionOf, type Batch } from './batch.js';
import { loadCheckpoint, placeCheckpoint, type CheckpointRecord } from './checkpoint-record.js';
import { OutputRows, type TakenRows } from './output-rows.js';
import { floatPositionsOf, jsonRow } from '../runtime/values.js';

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

/** A commit sent to the broker, with what the runner moves on to once it is applied. */
interface SentCommit {
  readonly request: CommitRequest;
  readonly taken: TakenRows;
  readonly offset: string;
  /** Events it covers that were uncommitted. */
  readonly uncommitted: number;
  readonly bytes: number;
}

export class PartitionRunner {
  private readonly output: OutputRows;
  private readonly handlers = new Map<string, InputHandler>();
  private outputLines: number;
  private revisions = 0;
  /** The number of the last commit applied (CommitRequest.commit). */
  private commits: number;
  /**
   * A commit whose call failed: the broker may have applied it (only its reply lost), so it is
   * sent again unchanged (same number, same rows) before anything newer, never merged into the next.
   */
  private unanswered: SentCommit | undefined;
  private closed = false;
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
    committedNumber: number,
  ) {
    this.outputLines = committedLines;
    this.commits = committedNumber;
    this.committedOffset = offset;
    this.output = new OutputRows(factory.streams, (stream, time, message) =>
      factory.warn(lease.partition, `cannot write an output event of stream '${stream}' at time ${time} as JSON: ${message}`));
    factory.streams.forEach((stream, i) => {
      // Floats as 'siddhi run' writes them (55.6, not 55.599998474121094): values.ts jsonRow.
      const floats = floatPositionsOf(runtime.getStreamAttributes(stream));
      runtime.addCallback(stream, (events) => {
        for (const e of events) this.output.add(i, e.timestamp, jsonRow(e.data, floats), e.isExpired);
      });
    });
  }

  /** The input-log offset of the last commit. */
  committedOffset: string;

  /** The number of the last commit applied (the next one is this + 1). */
  get committedNumber(): number {
    return this.commits;
  }

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
    const runner = new PartitionRunner(lease, runtime, factory, record?.offset ?? '0-0', record?.events ?? 0, record?.outputLines ?? 0, record?.commit ?? 0);
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
   * A commit whose call failed is sent again first, unchanged.
   */
  async commit(broker: Broker, store: PersistenceStore | undefined): Promise<CommitFigures | false> {
    if (this.midEntry) throw new Error(`partition ${this.lease.partition}: a commit inside input entry ${this.cursor!.entry.id} would record state the offset does not match`);
    const t0 = performance.now();
    let resent: SentCommit | undefined;
    if (this.unanswered) {
      resent = this.unanswered;
      if (!(await this.send(broker, resent))) return false;
      // Fed on meanwhile (an entry half fed) or dropped: what is new waits for the next commit.
      if (this.midEntry || this.closed) return { ms: this.lastCommit - t0, lines: resent.request.outputLines, bytes: resent.bytes };
    }
    const { offset, uncommitted } = this;
    const bytes = this.runtime.snapshot();
    const taken = this.output.take();
    const lines = taken.count;
    const revision = `${String(this.lease.epoch).padStart(8, '0')}-${String(++this.revisions).padStart(10, '0')}`;
    let request: CommitRequest;
    try {
      const placed = placeCheckpoint(bytes, { store, app: this.factory.app, partition: this.lease.partition, revision });
      const record: CheckpointRecord = {
        app: this.factory.app,
        fingerprint: this.factory.fingerprint,
        partition: this.lease.partition,
        epoch: this.lease.epoch,
        owner: this.lease.owner,
        commit: this.commits + 1,
        offset,
        events: this.events,
        watermark: this.runtime.currentTime(),
        outputLines: this.outputLines + lines,
        committedAt: Date.now(),
        bytes: bytes.length,
        checkpoint: placed instanceof Promise ? await placed : placed,
      };
      request = {
        lease: this.lease, commit: record.commit!, output: this.output.encode(taken), outputLines: lines,
        record: JSON.stringify(record), trimBelow: offset === '0-0' ? undefined : offset,
      };
    } catch (err) {
      // Nothing reached the broker (the store failed): the next commit carries these rows, under the same number.
      this.output.restore(taken);
      this.output.recycle(taken);
      throw err;
    }
    if (!(await this.send(broker, { request, taken, offset, uncommitted, bytes: bytes.length }))) return false;
    return { ms: this.lastCommit - t0, lines: lines + (resent?.request.outputLines ?? 0), bytes: bytes.length };
  }

  /** Sends a commit; false when fenced. When the call fails, the commit is kept to be sent again as it is. */
  private async send(broker: Broker, sent: SentCommit): Promise<boolean> {
    this.unanswered = undefined;
    let ok: boolean;
    try {
      ok = await broker.commit(sent.request);
    } catch (err) {
      this.unanswered = sent;
      throw err;
    }
    this.output.recycle(sent.taken);
    if (!ok) return false;
    // Output and events processed while the commit was in flight stay for the next one.
    this.commits = sent.request.commit;
    this.outputLines += sent.request.outputLines;
    this.uncommitted -= sent.uncommitted;
    this.committedOffset = sent.offset;
    this.lastCommit = performance.now();
    return true;
  }

  close(): void {
    this.closed = true;
    this.runtime.shutdown();
  }
}
