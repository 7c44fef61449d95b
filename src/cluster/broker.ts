// The broker contract of scale-out: per-partition input logs, fenced commits of
// output + checkpoint record, leases with epochs and a worker roster. Small on
// purpose, so that a Kafka or NATS adapter can follow the Redis Streams one
// (redis-broker.ts). Used by the router and the worker.

/** One entry of a partition's input log: an encoded batch (batch.ts) under its log offset. */
export interface InputEntry {
  readonly id: string;
  readonly body: string;
}

/** Ownership of one partition; `epoch` grows with every claim, so a stale owner is fenced. */
export interface Lease {
  readonly partition: number;
  readonly owner: string;
  readonly epoch: number;
}

export interface CommitRequest {
  readonly lease: Lease;
  /**
   * The commit's number in the partition's sequence: one more than the last one applied (the
   * record's `commit`; 0 before the first). Applied once: resent unchanged after it was applied
   * (its reply lost), it is acknowledged without writing again; any other number is refused (an error).
   */
  readonly commit: number;
  /** Output produced since the last commit: OutputRows' encoding (output-rows.ts) as UTF-8, empty for none. */
  readonly output: Uint8Array;
  /** The rows (output lines) it holds. */
  readonly outputLines: number;
  /** The encoded checkpoint record (checkpoint-record.ts). */
  readonly record: string;
  /** Input entries below this offset are no longer needed (the record covers them). */
  readonly trimBelow: string | undefined;
}

/** One send of the router: batches for some partitions and, when it resumes, where its input then stands. */
export interface RouterSend {
  /** `events` counts the events in `bodies` (for lag). */
  readonly batches: readonly { readonly partition: number; readonly bodies: readonly string[]; readonly events: number }[];
  readonly position?: { readonly input: string; readonly state: string };
}

/** What the router records once per app: the fixed partition count and the app it was started for. */
export interface ClusterMeta {
  readonly partitions: number;
  readonly fingerprint: string;
}

export interface Broker {
  readonly partitions: number;
  /** Sets the app's meta on first use; returns what is stored (an existing one wins). */
  meta(meta: ClusterMeta): Promise<ClusterMeta>;
  /** Appends encoded batches to the partitions' input logs and stores the router's position, all at once. */
  append(send: RouterSend): Promise<void>;
  /** The position a router stored for an input (RouterSend.position), if any. */
  position(input: string): Promise<string | undefined>;
  /** Marks the input complete: `events` in all. */
  finish(events: number): Promise<void>;
  /** Entries after each partition's offset ('0-0' from the start); waits up to `blockMs` when there are none. */
  read(after: ReadonlyMap<number, string>, count: number, blockMs: number): Promise<Map<number, InputEntry[]>>;
  /** A new lease when the partition is free; undefined when someone holds it. */
  claim(partition: number, owner: string, ttlMs: number): Promise<Lease | undefined>;
  /** Extends a lease; false when it was lost (expired or taken). */
  renew(lease: Lease, ttlMs: number): Promise<boolean>;
  release(lease: Lease): Promise<void>;
  /**
   * Atomically: check the lease and the commit number, append the output, store the record and
   * the number, trim the input. False when fenced; true when applied now or before (a resend).
   */
  commit(request: CommitRequest): Promise<boolean>;
  /** Per partition, the current lease holder, if any. */
  owners(): Promise<(Lease | undefined)[]>;
  /** Registers `owner` as alive for `ttlMs`; returns every live worker, sorted. */
  heartbeat(owner: string, ttlMs: number): Promise<string[]>;
  /** Takes `owner` off the live workers at once (a worker that has stopped). */
  leave(owner: string): Promise<void>;
  /** Per partition, its committed checkpoint record, if any. */
  records(): Promise<(string | undefined)[]>;
  /** Events routed to each partition so far, and the total once the input is complete. */
  routed(): Promise<{ readonly perPartition: readonly number[]; readonly total: number | undefined }>;
  /** Per partition, the offset of the last input entry ('0-0' when empty). */
  inputEnds(): Promise<string[]>;
  /** Every committed output line of a partition ('siddhi run' lines), in commit order. */
  output(partition: number): Promise<string[]>;
  /** Publishes a worker's metrics (JSON) for operators and benches; `reports` reads them all. */
  report(owner: string, metrics: string): Promise<void>;
  reports(): Promise<Record<string, string>>;
  /** Whether `err` (thrown by a call above) says the broker cannot be reached: the worker waits and retries. */
  unavailable(err: unknown): boolean;
  /** Closes the connections; bounded even when the broker is gone. */
  close(): Promise<void>;
}
