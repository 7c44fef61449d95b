// A running SiddhiQL app: junctions, input handlers, the clock and the
// checkpoint manager, assembled by the planner. This is what the public API
// hands out; it never looks at the AST.

import { SiddhiEventError, SiddhiRuntimeError, SiddhiStateError } from '../errors.js';
import type { CellSize, CheckpointManager, CheckpointMetric, Compression, PersistenceStore, RestoreReport } from '../state/index.js';
import { InMemoryStore } from '../state/index.js';
import type { AppClock } from './app-clock.js';
import { Scheduler } from './clock.js';
import { PlaybackClock } from './playback-clock.js';
import { SystemClock } from './system-clock.js';
import { describeValue } from './describe-value.js';
import { StreamJunction } from './junction.js';
import type { Event, StreamCallback } from './junction.js';
import type { NamedWindow } from './operators/named-window.js';
import type { ErrorHandler, ErrorReporter } from './error-reporter.js';
import { InputHandler } from './input-handler.js';
import type { AttributeSchema } from './schema.js';
import type { QueryCallback, QueryCallbackTap } from './operators/query-callback.js';
import { QueryMeter, type QueryMetrics, type ReaderOwners } from './query-metrics.js';

export interface RuntimeParts {
  readonly name: string;
  readonly playback: boolean;
  readonly scheduler: Scheduler;
  readonly checkpoints: CheckpointManager;
  /** Shared with the operators planned before the runtime existed. */
  readonly errors: ErrorReporter;
  /** Every stream junction by name (defined, inferred and trigger streams). */
  readonly junctions: ReadonlyMap<string, StreamJunction>;
  /** Output taps of every query, by query name. */
  readonly queries: ReadonlyMap<string, QueryCallbackTap>;
  /** Which query each stream reader belongs to (per-query metrics). */
  readonly readerOwners: ReaderOwners;
  /** Streams that events may be sent to. */
  readonly inputStreams: ReadonlySet<string>;
  /** Called once by start(), in order (triggers 'at start', periodic triggers). */
  readonly onStart: readonly (() => void)[];
  readonly store?: PersistenceStore;
  readonly checkpointPolicy?: CheckpointPolicy;
  /** Parses, plans and runs an on-demand query (plan/plan-on-demand.ts). */
  readonly onDemand?: (text: string) => { readonly attributes: readonly AttributeSchema[]; readonly events: Event[] };
  /** Named windows: a callback on W gets W's output, as its readers do. */
  readonly windows?: ReadonlyMap<string, NamedWindow>;
}

/** How persist() checkpoints, and how often the runtime does it by itself. */
/** How restore() and restoreLastRevision() load a checkpoint. */
export interface RuntimeRestoreOptions {
  /** Restore the cells that match and report the rest, instead of refusing any mismatch. */
  readonly lenient?: boolean;
  /**
   * Restore only the partition keys this accepts, e.g. a process taking its
   * share of another's keys; the other keys' cells are listed in `leftOut`.
   */
  readonly keys?: (key: string) => boolean;
}

export interface CheckpointPolicy {
  /** Milliseconds between automatic persist() calls (event time in playback); none when absent. */
  readonly interval?: number;
  /** 'incremental' (default) writes deltas between full checkpoints; 'full' always writes everything. */
  readonly mode?: 'incremental' | 'full';
  readonly compression?: Compression;
}

export type { ErrorHandler } from './error-reporter.js';

/**
 * Something wired to the app from outside the query graph (sources and sinks
 * of src/io): started after the app starts, stopped first on shutdown.
 */
export interface Attachment {
  start(): void;
  /** Called once before the first start()'s 'at start' triggers: sinks subscribe there, so they see those events. */
  startSinks?(): void;
  stop(): void;
  /** Resolves once it is ready (e.g. a server listens); see `runtime.ready()`. */
  ready?(): Promise<void>;
  /** The sources it runs, for `runtime.sources()`. */
  sources?(): readonly SourceDescription[];
}

/** What runtime.metrics() returns. */
export interface RuntimeMetrics {
  readonly app: string;
  readonly streams: Readonly<Record<string, { readonly in: number; readonly out: number }>>;
  /** Per query (a partition's queries together), once runtime.enableMetrics() was called; else empty. */
  readonly queries: Readonly<Record<string, QueryMetrics>>;
  /** Stored (serialized, uncompressed) bytes of each cell in the newest checkpoint that carried it. */
  readonly cells: Readonly<Record<string, CellSize>>;
  /** `count`: checkpoints taken (as kept in checkpointMetrics()); `last`: the newest one's figures. */
  readonly checkpoints: { readonly count: number; readonly last: CheckpointMetric | undefined };
}

/** A source of the app: its stream, its type, and where it receives once started. */
export interface SourceDescription {
  readonly stream: string;
  readonly type: string;
  readonly address?: string | undefined;
}

/**
 * A running app, created by `SiddhiManager.createSiddhiAppRuntime`: takes
 * events through input handlers, calls back with output, checkpoints its state.
 *
 * @example
 * runtime.addCallback('Out', (events) => console.log(events.map((e) => e.data)));
 * runtime.start();
 * runtime.getInputHandler('S').send(['IBM', 75.6], 1000);
 * const bytes = runtime.snapshot();
 */
export class SiddhiAppRuntime {
  readonly name: string;
  /** Made when first asked for: an app of thousands of streams (each query's output is one) sends into few. */
  private readonly handlers = new Map<string, InputHandler>();
  /** Accepted counts restored for streams whose handler is not made yet (a Map: a stream may be named `constructor`). */
  private restoredCounts = new Map<string, number>();
  private running = false;
  private meter: QueryMeter | undefined;
  private started = false;
  private readonly clock: AppClock;
  private shut = false;
  private readonly store: PersistenceStore;
  private readonly attachments: Attachment[] = [];
  /** The report of the last restore() or restoreLastRevision(). */
  lastRestoreReport: RestoreReport | undefined;

  constructor(private readonly parts: RuntimeParts) {
    this.name = parts.name;
    this.store = parts.store ?? new InMemoryStore();
    const report = (e: unknown, where: string) => this.report(e, where);
    this.clock = parts.playback ? new PlaybackClock(parts.scheduler, report) : new SystemClock(parts.scheduler, report);
  }

  get playback(): boolean {
    return this.clock.playback;
  }

  /** Names of the streams events can be sent to. */
  get inputStreamNames(): string[] {
    return [...this.parts.inputStreams];
  }

  /** Names of every stream of the app, including inferred output streams. */
  get streamNames(): string[] {
    return [...this.parts.junctions.keys()];
  }

  /** A stream's attributes (names and Siddhi types), including inferred output streams. */
  getStreamAttributes(streamName: string): readonly AttributeSchema[] {
    return this.junction(streamName).schema.attributes;
  }

  addCallback(streamName: string, callback: StreamCallback): void {
    this.junction(streamName).addCallback(callback);
  }

  /**
   * Calls `callback(timestamp, inEvents, removeEvents)` with every output chunk
   * of query `queryName` (`@info(name=…)`, else `query<position>`).
   */
  addQueryCallback(queryName: string, callback: QueryCallback): void {
    const tap = this.parts.queries.get(queryName);
    if (!tap) {
      throw new SiddhiRuntimeError(`no query '${queryName}' in app '${this.name}'`, {
        hint: `queries: ${[...this.parts.queries.keys()].join(', ')}`,
      });
    }
    tap.add(callback);
  }

  getInputHandler(streamName: string): InputHandler {
    const h = this.handlers.get(streamName);
    if (h) return h;
    if (!this.parts.inputStreams.has(streamName)) {
      throw new SiddhiEventError(`no input stream '${streamName}' in app '${this.name}'`, {
        stream: streamName,
        hint: `input streams: ${this.inputStreamNames.join(', ')}`,
      });
    }
    const made = new InputHandler(this.parts.junctions.get(streamName)!, this.clock, () => this.running, this.parts.scheduler);
    made.accepted = this.restoredCounts.get(streamName) ?? 0;
    this.handlers.set(streamName, made);
    // After start, as start() does for the handlers made before it.
    if (this.running) made.prepareSend();
    return made;
  }

  /**
   * Runs an on-demand query against the tables and named windows as they are now,
   * and returns the selected events (none for table writes).
   * @throws SiddhiParseError or SiddhiPlanError with line and column.
   *
   * @example
   * runtime.query('from StockTable on price > 10 select symbol, price');
   * runtime.query("delete StockTable on StockTable.symbol == 'IBM'");
   */
  query(text: string): Event[] {
    return this.queryWithAttributes(text).events;
  }

  /** query(), with the selected attributes' names and types (a float is written as `siddhi query` writes it). */
  queryWithAttributes(text: string): { readonly attributes: readonly AttributeSchema[]; readonly events: Event[] } {
    if (!this.parts.onDemand) throw new SiddhiRuntimeError(`app '${this.name}' was created without on-demand query support`);
    return this.parts.onDemand(text);
  }

  onError(handler: ErrorHandler): void {
    this.parts.errors.add(handler);
  }

  /**
   * Starts taking events. A runtime that was shut down cannot be started
   * again (shutdown() dropped its callbacks and timers): create a new one.
   */
  start(): void {
    if (this.shut) {
      throw new SiddhiRuntimeError(`app '${this.name}' was shut down and cannot be started again`, {
        hint: 'create a new runtime (and restore a snapshot into it to keep the state)',
      });
    }
    if (this.running) return;
    this.running = true;
    if (!this.started) {
      this.started = true;
      // As in the reference, sinks are connected before 'at start' triggers fire, which carry the clock's time.
      for (const a of this.attachments) a.startSinks?.();
      this.clock.stamp(undefined);
      const gate = this.parts.scheduler.gate;
      gate.enter();
      try {
        for (const f of this.parts.onStart) f();
      } finally {
        gate.exit();
      }
      this.parts.checkpoints.markStarted();
    }
    this.clock.start();
    this.startPeriodicCheckpoints();
    for (const h of this.handlers.values()) h.prepareSend();
    for (const a of this.attachments) a.start();
  }

  /** Wires sources and sinks (src/io) into start() and shutdown(); called while the app is created. */
  attach(attachment: Attachment): void {
    this.attachments.push(attachment);
  }

  /** The app's sources (`@source` annotations); the CLI keeps running while there are any. */
  sources(): SourceDescription[] {
    return this.attachments.flatMap((a) => a.sources?.() ?? []);
  }

  /** Resolves once every source is ready to receive (an http source listens, …); rejects with a SiddhiRuntimeError naming each source that could not start (each is also reported). */
  async ready(): Promise<void> {
    await Promise.all(this.attachments.map((a) => a.ready?.()));
  }

  private startPeriodicCheckpoints(): void {
    const interval = this.parts.checkpointPolicy?.interval;
    if (!interval || interval <= 0) return;
    this.clock.every(interval, () => {
      this.persist().catch((e) => this.report(e, 'periodic checkpoint'));
    });
  }

  shutdown(): void {
    for (const a of this.attachments) a.stop();
    this.running = false;
    this.shut = true;
    this.clock.stop();
    this.parts.scheduler.clear();
    for (const j of this.parts.junctions.values()) j.removeCallbacks();
    for (const q of this.parts.queries.values()) q.clear();
    this.parts.checkpoints.release();
  }

  /** Playback: moves the clock to `time`, firing every timer due by then. */
  advanceTime(time: number): void {
    if (typeof time !== 'number' || !Number.isSafeInteger(time)) {
      throw new SiddhiRuntimeError(`advanceTime: time must be an integer number of milliseconds, got ${describeValue(time)}`, {
        hint: 'a finite integer within ±(2^53-1)',
      });
    }
    this.clock.advance(time);
  }

  /** The engine's current time (playback: the latest event or advanceTime). */
  currentTime(): number {
    return this.parts.scheduler.now();
  }

  /**
   * The whole app state as one self-contained, checksummed checkpoint.
   * Refused (SiddhiStateError) from a callback while an event is being
   * processed, where only some queries have seen the event: use persist(),
   * which waits for the end of the event.
   */
  snapshot(): Uint8Array {
    this.refuseMidEvent('snapshot()');
    return this.parts.checkpoints.snapshot();
  }

  /**
   * Loads a snapshot; refuses (and changes nothing) if it is damaged or does
   * not fit this app, or when called from a callback while an event is being processed.
   */
  restore(bytes: Uint8Array, options: RuntimeRestoreOptions = {}): RestoreReport {
    this.refuseMidEvent('restore()');
    const report = this.parts.checkpoints.restore(bytes, { ...options, beforeApply: () => this.beforeRestore() });
    this.lastRestoreReport = report;
    this.afterRestore();
    return report;
  }

  /**
   * Writes a checkpoint to the persistence store (incremental unless the policy
   * says 'full'); resolves with its revision once durable. Called from a
   * callback while an event is being processed, it captures once that event
   * has gone through every query (the end of the send() or timer).
   */
  persist(options: { mode?: 'full' | 'delta' | 'auto'; compression?: Compression } = {}): Promise<string> {
    const policy = this.parts.checkpointPolicy;
    const mode = options.mode ?? (policy?.mode === 'full' ? 'full' : 'auto');
    const compression = options.compression ?? policy?.compression;
    const run = () => this.parts.checkpoints.persist(this.store, { mode, ...(compression ? { compression } : {}) });
    const gate = this.parts.scheduler.gate;
    if (!gate.busy) return run();
    return new Promise((resolve, reject) => gate.whenIdle(() => run().then(resolve, reject)));
  }

  private refuseMidEvent(what: string): void {
    if (!this.parts.scheduler.gate.busy) return;
    throw new SiddhiStateError(`${what} called while an event is being processed (from a callback): only some queries have seen the event`, {
      hint: 'call persist(), which checkpoints at the end of the event, or call it after send() / advanceTime() returns',
    });
  }

  /**
   * Counters of the running app: events in and out per stream (out = handed to
   * callbacks and sinks), and the last checkpoints' figures.
   *
   * @example
   * const m = runtime.metrics(); console.log(m.streams.StockStream.in);
   */
  metrics(): RuntimeMetrics {
    const streams: Record<string, { in: number; out: number }> = {};
    for (const [name, j] of this.parts.junctions) streams[name] = { in: j.eventsIn, out: j.eventsOut };
    const checkpoints = this.parts.checkpoints.metrics;
    return {
      app: this.name,
      streams,
      queries: this.meter?.view() ?? {},
      cells: Object.fromEntries(this.parts.checkpoints.cellSizes),
      checkpoints: { count: checkpoints.length, last: checkpoints[checkpoints.length - 1] },
    };
  }

  /**
   * Starts the per-query figures of metrics(): events and chunks each query
   * read, and a histogram of the time it spent on one chunk in `sampleEvery`
   * (its own time: queries it feeds through inserted streams count for
   * themselves). Off by default, since timing costs on every sampled chunk.
   *
   * @example
   * runtime.enableMetrics({ sampleEvery: 16 });
   * console.log(runtime.metrics().queries.q1.latency.sumMs);
   */
  enableMetrics(options: { readonly sampleEvery?: number } = {}): void {
    const every = options.sampleEvery ?? 1;
    if (!Number.isInteger(every) || every < 1) throw new SiddhiRuntimeError(`enableMetrics: sampleEvery must be an integer >= 1, got ${describeValue(every)}`);
    this.meter ??= new QueryMeter(this.parts.readerOwners);
    this.meter.enable(every);
  }

  /** Stops per-query measurement (the figures so far stay in metrics()). */
  disableMetrics(): void {
    this.meter?.disable();
  }

  /** Timing and sizes of the last checkpoints, oldest first. */
  checkpointMetrics(): readonly CheckpointMetric[] {
    return this.parts.checkpoints.metrics;
  }

  /** Everything that should go before cells load: timers are re-armed by the cells. */
  private beforeRestore(): void {
    this.parts.scheduler.clear();
  }

  /** Periodic tasks of the playback clock live in the scheduler, which a restore cleared. */
  private afterRestore(): void {
    this.clock.afterRestore();
  }

  /** Restores the newest good revision of the store, or returns undefined when there is none. */
  async restoreLastRevision(options: RuntimeRestoreOptions = {}): Promise<string | undefined> {
    const report = await this.parts.checkpoints.restoreLastRevision(this.store, {
      ...options,
      beforeApply: () => {
        this.refuseMidEvent('restoreLastRevision()');
        this.beforeRestore();
      },
    });
    this.lastRestoreReport = report;
    if (report) this.afterRestore();
    return report?.revision;
  }

  /** Accepted event counts per input stream (recorded in every checkpoint). */
  acceptedCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of this.parts.inputStreams) out[name] = this.handlers.get(name)?.accepted ?? this.restoredCounts.get(name) ?? 0;
    return out;
  }

  /** Sets accepted counts (the checkpoint's input cell restores them). */
  setAcceptedCounts(counts: Record<string, number>): void {
    // Own numbers only: `counts.constructor` of a plain object is a function, not a count.
    const own = (name: string): number => (Object.hasOwn(counts, name) && typeof counts[name] === 'number' ? counts[name] : 0);
    this.restoredCounts = new Map([...this.parts.inputStreams].map((name) => [name, own(name)]));
    for (const [name, h] of this.handlers) h.accepted = own(name);
  }

  private junction(streamName: string): StreamJunction {
    const j = this.parts.junctions.get(streamName) ?? this.windowOutput(streamName);
    if (!j) throw new SiddhiRuntimeError(`no stream '${streamName}' in app '${this.name}'`, { hint: `streams: ${this.streamNames.join(', ')}` });
    return j;
  }

  /** Named windows' outputs as junctions, made when first asked for (a callback or the attributes of W). */
  private readonly windowOutputs = new Map<string, StreamJunction>();

  private windowOutput(name: string): StreamJunction | undefined {
    const w = this.parts.windows?.get(name);
    if (w === undefined) return undefined;
    let j = this.windowOutputs.get(name);
    if (j === undefined) {
      j = new StreamJunction(w.input.schema, (err, where) => this.report(err, where));
      w.output.subscribe(j);
      this.windowOutputs.set(name, j);
    }
    return j;
  }

  /** Reports an error to the handlers registered with onError (console when none). */
  report(error: unknown, where: string): void {
    this.parts.errors.report(error, where);
  }
}
