// Builds a running app: its state (the clock and the checkpoint manager), the
// app instance its elements are built in, the graph passes over its junctions,
// the SiddhiAppRuntime with its '@inputs' cell, and the outside wiring (sources,
// sinks). plan/plan-app.ts hands it the planned app and, until the plan is
// pure data (issue #9 stage 8), a callback that plans and builds the elements.

import type { CellRegistry, PersistenceStore } from '../state/index.js';
import { SiddhiAppRuntime, type CheckpointPolicy } from './app-runtime.js';
import { createAppState, INPUTS_CELL } from './app-state.js';
import type { ErrorReporter } from './error-reporter.js';
import type { Event } from './junction.js';
import { appStreams, type InstanceScope } from './instance.js';
import type { StreamJunction } from './junction.js';
import { fuseKernels } from './kernel/fuse.js';
import { groupBatches } from './kernel/group-batches.js';
import type { Logger } from './logger.js';
import type { NamedWindow } from './operators/named-window.js';
import type { QueryCallbackTap } from './operators/query-callback.js';
import type { InMemoryTable } from './operators/table/in-memory-table.js';
import type { Aggregation } from './operators/aggregation/aggregation.js';
import { ReaderOwners } from './query-metrics.js';
import type { AttributeSchema } from './schema.js';

/** What planning decided about the app as a whole. */
export interface AppSpec {
  readonly name: string;
  /** The app text, fingerprinted into every checkpoint. */
  readonly text: string;
  readonly playback: boolean;
  readonly policy: CheckpointPolicy & { readonly fullEvery?: number; readonly meta?: () => unknown };
}

export interface BuildOptions {
  /** Playback: the clock's time before the first event; default 0. */
  readonly startTime?: number;
  readonly store?: PersistenceStore;
  /** Where running operators report errors; kept by the runtime. */
  readonly errors: ErrorReporter;
  readonly logger: Logger;
  readonly rangeLabels?: (label: string) => boolean;
  /** Only checking the app: no kernel fusion (see PlanOptions.validating). */
  readonly validating: boolean;
  /** Wires what lives outside the query graph (src/io sources and sinks) once the runtime exists. */
  readonly wire?: (runtime: SiddhiAppRuntime, cells: CellRegistry) => void;
}

/** The instance an app's top-level elements are built in, with what only the app has. */
export interface AppInstance extends InstanceScope {
  readonly junctions: Map<string, StreamJunction>;
  readonly windows: Map<string, NamedWindow>;
  /** Tables, shared by reference by every query that reads or writes them. */
  readonly tables: Map<string, InMemoryTable>;
  readonly aggregations: Map<string, Aggregation>;
  readonly onStart: (() => void)[];
  /** Output taps of named queries, for query callbacks. */
  readonly queries: Map<string, QueryCallbackTap>;
}

/** What building the elements leaves for the runtime. */
export interface BuiltElements {
  /** Streams events may be sent to. */
  readonly inputStreams: ReadonlySet<string>;
  /** Plans an on-demand query, builds it in the app instance and runs it. */
  readonly onDemand?: (text: string, app: AppInstance) => { readonly attributes: readonly AttributeSchema[]; readonly events: Event[] };
}

/** `buildElements` builds the app's definitions and elements in `app`, each element inside `owners.track`. */
export function buildApp(spec: AppSpec, o: BuildOptions, buildElements: (app: AppInstance, owners: ReaderOwners) => BuiltElements): SiddhiAppRuntime {
  const { name, policy } = spec;
  const { scheduler, checkpoints } = createAppState({
    name,
    text: spec.text,
    startTime: o.startTime ?? 0,
    ...(policy.compression ? { compression: policy.compression } : {}),
    ...(policy.fullEvery ? { fullEvery: policy.fullEvery } : {}),
    ...(policy.meta ? { meta: policy.meta } : {}),
  });
  const { errors } = o;
  const junctions = new Map<string, StreamJunction>();
  const windows = new Map<string, NamedWindow>();
  const app: AppInstance = {
    scheduler,
    cells: checkpoints,
    junctions,
    windows,
    ...appStreams(junctions, windows),
    tables: new Map(),
    aggregations: new Map(),
    onStart: [],
    queries: new Map(),
    report: (e, where) => errors.report(e, where),
    logger: o.logger,
    ...(o.rangeLabels ? { rangeLabels: o.rangeLabels } : {}),
    appName: name,
  };
  const owners = new ReaderOwners();
  const built = buildElements(app, owners);
  groupBatches(app.junctions.values());
  if (!o.validating) fuseKernels(app.junctions.values());
  const runtime = new SiddhiAppRuntime({
    name,
    playback: spec.playback,
    scheduler,
    checkpoints,
    errors,
    junctions: app.junctions,
    windows: app.windows,
    queries: app.queries,
    readerOwners: owners,
    inputStreams: built.inputStreams,
    onStart: app.onStart,
    checkpointPolicy: policy,
    ...(o.store ? { store: o.store } : {}),
    ...(built.onDemand ? { onDemand: (text: string) => built.onDemand!(text, app) } : {}),
  });
  checkpoints.register(INPUTS_CELL, {
    kind: 'runtime.inputs',
    version: 1,
    capture: () => runtime.acceptedCounts(),
    restore: (s) => runtime.setAcceptedCounts(s as Record<string, number>),
  }, 'runtime');
  o.wire?.(runtime, checkpoints);
  return runtime;
}
