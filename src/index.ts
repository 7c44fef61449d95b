// The public API of siddhi-ts: SiddhiManager creates app runtimes from
// SiddhiQL text; runtimes take events, call back with results, and
// checkpoint their whole state.

import { parseApp, parseOnDemandQuery } from './parser/index.js';
import { planApp } from './plan/plan-app.js';
import { buildApp } from './runtime/build-app.js';
import type { AppPlan } from './runtime/app-plan.js';
import { CONSOLE_LOGGER } from './runtime/logger.js';
import { ErrorReporter } from './runtime/error-reporter.js';
import type { SiddhiAppRuntime } from './runtime/app-runtime.js';
import type { PersistenceStore } from './state/index.js';
import { attachIo, keepExternalSourceState } from './io/attach-io.js';
import type { SourceState } from './io/contract.js';
import { IoRegistry, type IoExtensions } from './io/io-registry.js';
import type { InMemoryBroker } from './io/in-memory-broker.js';
import type { IoLogger } from './io/sinks/log-sink.js';
import { withAppFunctions } from './plan/app-functions.js';
import { functionsOfApp } from './plan/script-functions.js';
import type { FunctionKind } from './runtime/functions/index.js';
import { userFunctionKind, type UserFunction } from './runtime/functions/user-function.js';
import { ScriptScope } from './runtime/functions/script-scope.js';
import type { Logger } from './runtime/logger.js';
export type { Logger, LogPriority } from './runtime/logger.js';

export type { SiddhiAppRuntime, ErrorHandler, SourceDescription, RuntimeMetrics } from './runtime/app-runtime.js';
export type { QueryMetrics } from './runtime/query-metrics.js';
export { formatPrometheus } from './runtime/prometheus.js';
export type {
  Source, SourceKind, SourceContext, SourceState, Sink, SinkKind, SinkContext, SourceMapperKind, SinkMapperKind,
  MapperContext, MappedEvent, Delivery,
} from './io/contract.js';
export type { IoOptions } from './io/io-options.js';
export type { IoLogger } from './io/sinks/log-sink.js';
export { InMemoryBroker } from './io/in-memory-broker.js';
export { EventFileSource } from './io/sources/event-file-source.js';
export type { EventFileOptions, EventFilesPosition } from './io/sources/event-file-source.js';
export type { EventLine } from './io/sources/event-line.js';
export type { UserFunction } from './runtime/functions/user-function.js';
export type { Event, StreamCallback } from './runtime/junction.js';
export type { QueryCallback } from './runtime/operators/query-callback.js';
export type { BatchEvent, InputHandler } from './runtime/input-handler.js';
import type { App } from './ast/index.js';
export type { App };
import type { Compression } from './state/index.js';
export type { PersistenceStore, RestoreReport, CheckpointMetric, CellSize, Compression } from './state/index.js';
export { parseDuration } from './plan/duration.js';
export { planScaleOut } from './plan/plan-scale-out.js';
export type { ScaleOutPlan, StreamRoute } from './plan/plan-scale-out.js';
export { InMemoryStore, FileStore } from './state/index.js';
/** Reading checkpoint files without a runtime (used by `siddhi checkpoints`). */
export { decodeCheckpoint, readCheckpointHeader } from './state/index.js';
export type { CheckpointHeader, DecodedCheckpoint } from './state/index.js';
import { SiddhiError } from './errors.js';
export {
  SiddhiError, SiddhiParseError, SiddhiPlanError, SiddhiRuntimeError, SiddhiEventError, SiddhiStateError,
} from './errors.js';
export { parseApp };

/**
 * An app parsed once: `createSiddhiAppRuntime` and `validateSiddhiApp` take it
 * in place of the text, so several runtimes of one app skip the parse. Made by
 * `parseSiddhiApp` (only those are taken); frozen, so no runtime can change what the next is planned from.
 */
export interface ParsedSiddhiApp {
  /** The SiddhiQL text, fingerprinted into every checkpoint of its runtimes. */
  readonly text: string;
  /** Its AST (plain data, as `parseApp` returns it). */
  readonly app: App;
}

/**
 * Parses an app for several runtimes; throws the SiddhiParseError that
 * `createSiddhiAppRuntime(text)` would throw.
 *
 * @example
 * const parsed = parseSiddhiApp(appText);
 * const a = manager.createSiddhiAppRuntime(parsed, { playback: true });
 * const b = manager.createSiddhiAppRuntime(parsed, { playback: true }); // not parsed again
 */
export function parseSiddhiApp(text: string): ParsedSiddhiApp {
  const parsed = Object.freeze({ text, app: freezeDeep(parseApp(text)) });
  parsedApps.add(parsed);
  return parsed;
}

/**
 * The apps parseSiddhiApp made. Only these plan from their AST: a hand-made
 * `{ text, app }` could plan one app while fingerprinting its checkpoints with another's text.
 */
const parsedApps = new WeakSet<ParsedSiddhiApp>();

/**
 * An app planned once (`SiddhiManager.planSiddhiApp`): `createSiddhiAppRuntime`
 * takes it in place of the text and builds a runtime without parsing or
 * planning again. The plan holds no state: its runtimes are independent.
 */
export interface SiddhiAppPlan extends ParsedSiddhiApp {
  /** The app's name (`@app:name`, else 'SiddhiApp'). */
  readonly name: string;
}

/** The plans planSiddhiApp made (what compiles after planning carries the functions it was planned with). */
const plans = new WeakMap<SiddhiAppPlan, AppPlan>();

function freezeDeep<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) freezeDeep(v);
  }
  return value;
}

/**
 * Options of `createSiddhiAppRuntime`.
 *
 * @example
 * manager.createSiddhiAppRuntime(appText, { playback: true, checkpoint: { interval: 1000, compression: 'zstd' } });
 */
export interface RuntimeOptions {
  /**
   * Playback mode: event timestamps drive the clock and `advanceTime()` fires
   * timers, so replays are deterministic. Default: `@app:playback` in the app, else false.
   */
  readonly playback?: boolean;
  /**
   * Playback: the clock's time before the first event; periodic triggers and
   * `output … every T` count from it. Default 0 — set it near the first event
   * when event times are epoch milliseconds.
   */
  readonly startTime?: number;
  /** Where `persist()` writes and `restoreLastRevision()` reads; default in-memory. */
  readonly store?: PersistenceStore;
  /**
   * Checkpoint policy; overrides `@app:checkpoint(interval='1 sec', mode='incremental', codec='zstd')`.
   * `meta` is recorded with each checkpoint and returned in the restore report.
   */
  readonly checkpoint?: {
    readonly interval?: number;
    readonly mode?: 'incremental' | 'full';
    readonly compression?: Compression;
    readonly fullEvery?: number;
    readonly meta?: () => unknown;
  };
  /**
   * Where `#log(…)` writes; default the manager's logger, else the console.
   *
   * @example
   * manager.createSiddhiAppRuntime(appText, { logger: { info: (m) => lines.push(m), warn: console.warn, error: console.error, debug: () => {} } });
   */
  readonly logger?: Logger;
  /**
   * Positions of sources the app does not declare (e.g. an EventFileSource
   * the caller reads from), checkpointed and restored with the app as cells
   * '@source:<key>'; a checkpoint without one restores, the source then has no
   * position (`EventFileSource.resumed()` is undefined).
   *
   * @example
   * const input = new EventFileSource(['events.jsonl']);
   * manager.createSiddhiAppRuntime(appText, { playback: input.playback, sourceState: { files: input.state } });
   */
  readonly sourceState?: Readonly<Record<string, SourceState<unknown>>>;
  /**
   * Range partitions run only the ranges whose label this accepts (the
   * others never match): a scale-out worker's share of the labels, which
   * the router sends each event to. Value partitions are not affected.
   *
   * @example
   * manager.createSiddhiAppRuntime(appText, { playback: true, rangeLabels: (label) => label !== 'low' });
   */
  readonly rangeLabels?: (label: string) => boolean;
}

/**
 * Creates app runtimes.
 *
 * @example
 * const manager = new SiddhiManager();
 * const runtime = manager.createSiddhiAppRuntime(
 *   "define stream S (symbol string, price double); from S[price > 10] select symbol insert into Out;",
 *   { playback: true });
 * runtime.addCallback('Out', (events) => console.log(events));
 * runtime.start();
 * runtime.getInputHandler('S').send(['IBM', 75.6], 1000);
 */
export class SiddhiManager {
  private readonly store: PersistenceStore | undefined;
  /** Made when first needed (io): most apps declare no @source/@sink, and tools make a manager per runtime. */
  private ioRegistry: IoRegistry | undefined;
  private readonly ioLogger: IoLogger | undefined;
  private readonly functions = new Map<string, FunctionKind>();
  private readonly logger: Logger | undefined;

  /**
   * @param options.store a persistence store shared by the runtimes this manager creates.
   * @param options.logger where `@sink(type='log')` and `#log(…)` write (default console).
   */
  constructor(options: { store?: PersistenceStore; logger?: IoLogger } = {}) {
    this.store = options.store;
    this.logger = options.logger;
    this.ioLogger = options.logger;
  }

  /** The sources, sinks and mappers apps of this manager use: the built-ins and those setExtension added. */
  private get io(): IoRegistry {
    return (this.ioRegistry ??= new IoRegistry(undefined, this.ioLogger));
  }

  /**
   * Registers a JS function callable from any expression of apps created afterwards,
   * as `name(…)` or `ns:name(…)`; arity and argument types are checked when an app is
   * planned, a throw inside is reported with the function's name. It runs in this process.
   *
   * @example
   * manager.setFunction('str:shout', { returnType: 'string', parameters: ['string'], fn: (s) => s.toUpperCase() + '!' });
   * // from S select str:shout(symbol) as s insert into Out;
   */
  setFunction(name: string, spec: UserFunction): void {
    if (!/^([A-Za-z_][A-Za-z0-9_]*:)?[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new SiddhiError(`function name '${name}' must be 'name' or 'namespace:name'`);
    if (typeof spec?.fn !== 'function') throw new SiddhiError(`setFunction('${name}') needs fn`);
    this.functions.set(name, userFunctionKind(name, spec));
  }

  /** The topics of `@source(type='inMemory')` / `@sink(type='inMemory')`, shared by this manager's apps. */
  get broker(): InMemoryBroker {
    return this.io.broker;
  }

  /**
   * Registers a source, sink or mapper type under `'source:name'`, `'sink:name'`,
   * `'sourceMapper:name'` or `'sinkMapper:name'`; the built-ins use the same contract.
   * Apps created afterwards can use it in `@source(type='name')` etc.
   *
   * @example
   * manager.setExtension('sink:console', { create: (ctx) => ({ publish: (p) => console.log(ctx.streamName, p) }) });
   */
  setExtension<N extends keyof IoExtensions>(key: `${N}:${string}`, extension: IoExtensions[N]): void {
    const split = IoRegistry.splitKey(key);
    if (!split) throw new SiddhiError(`extension key '${key}' must be 'source:…', 'sink:…', 'sourceMapper:…' or 'sinkMapper:…'`);
    this.io.set(split[0], split[1], extension as never);
  }

  /**
   * Builds a runtime of an app: the text, or an app parseSiddhiApp parsed (both
   * parsed and planned here), or a plan planSiddhiApp made (built without
   * planning again); throws SiddhiParseError or SiddhiPlanError with line,
   * column and a hint when the app is malformed.
   *
   * @example
   * const runtime = new SiddhiManager().createSiddhiAppRuntime(appText, { playback: true });
   */
  createSiddhiAppRuntime(app: string | ParsedSiddhiApp | SiddhiAppPlan, options: RuntimeOptions = {}): SiddhiAppRuntime {
    return this.buildRuntime(app, options, false);
  }

  /**
   * Plans an app (the text, or an app parseSiddhiApp parsed) once, with this
   * manager's functions: `createSiddhiAppRuntime(plan, options)` then builds
   * independent runtimes from it without planning again. Throws what
   * createSiddhiAppRuntime would throw for a malformed app.
   *
   * @example
   * const plan = manager.planSiddhiApp(appText);
   * const a = manager.createSiddhiAppRuntime(plan, { playback: true });
   * const b = manager.createSiddhiAppRuntime(plan, { playback: true }); // not planned again
   */
  planSiddhiApp(source: string | ParsedSiddhiApp): SiddhiAppPlan {
    const { text, app, plan } = this.planOf(source);
    const planned: SiddhiAppPlan = Object.freeze({ text, app: typeof source === 'string' ? freezeDeep(app) : app, name: plan.spec.name });
    plans.set(planned, plan);
    parsedApps.add(planned);
    return planned;
  }

  /** Parses (text) and plans with this manager's functions; the AST is not frozen or kept, as createSiddhiAppRuntime(text) needs neither. */
  private planOf(source: string | ParsedSiddhiApp): { text: string; app: App; plan: AppPlan } {
    if (typeof source !== 'string' && !parsedApps.has(source)) {
      throw new SiddhiError('planSiddhiApp, createSiddhiAppRuntime and validateSiddhiApp take the app text or an app parseSiddhiApp made');
    }
    const { text, app } = typeof source === 'string' ? { text: source, app: parseApp(source) } : source;
    const functions = functionsOfApp(this.functions, app);
    return { text, app, plan: withAppFunctions(functions, () => planApp(app, { text, parseOnDemand: parseOnDemandQuery })) };
  }

  /** createSiddhiAppRuntime, or with `validating` only what can refuse the app (see BuildOptions.validating). */
  private buildRuntime(source: string | ParsedSiddhiApp | SiddhiAppPlan, options: RuntimeOptions, validating: boolean): SiddhiAppRuntime {
    const store = options.store ?? this.store;
    const known = typeof source === 'string' ? undefined : plans.get(source as SiddhiAppPlan);
    const { app, plan } = known ? { app: (source as SiddhiAppPlan).app, plan: known } : this.planOf(source);
    // Building compiles nothing by name: what compiles later (window conditions, on-demand queries) carries the app's functions.
    return buildApp(plan, {
      // The runtime's error channel: operators take it from the instance they are built in.
      errors: new ErrorReporter(plan.spec.name),
      wire: (runtime, cells) => {
        keepExternalSourceState(cells, options.sourceState ?? {});
        // Read only for a @source/@sink: an app without any does not build the registry.
        const io = (): IoRegistry => this.io;
        attachIo({ app, runtime, cells, get registry() { return io(); } });
      },
      logger: options.logger ?? this.logger ?? CONSOLE_LOGGER,
      validating,
      ...(options.playback !== undefined ? { playback: options.playback } : {}),
      ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
      ...(options.startTime !== undefined ? { startTime: options.startTime } : {}),
      ...(store ? { store } : {}),
      ...(options.rangeLabels ? { rangeLabels: options.rangeLabels } : {}),
      // Each runtime runs the app's script functions in a context of its own.
      ...(app.elements.some((el) => el.kind === 'function') ? { scripts: new ScriptScope() } : {}),
    });
  }

  /**
   * Checks an app (the text, an app parseSiddhiApp parsed, or one planSiddhiApp
   * planned) without running it; throws the same errors as createSiddhiAppRuntime.
   *
   * @example
   * new SiddhiManager().validateSiddhiApp('define stream S (a int); from S select a insert into O;');
   */
  validateSiddhiApp(app: string | ParsedSiddhiApp | SiddhiAppPlan): void {
    this.buildRuntime(app, { playback: true }, true).shutdown();
  }
}
