// Builds a running app from its plan (plan/plan-app.ts planApp): its state (the
// clock and the checkpoint manager), the app instance its elements are built
// in, the build steps in plan order, the graph passes over its junctions, the
// SiddhiAppRuntime with its '@inputs' cell, and the outside wiring (sources,
// sinks). One plan builds any number of independent runtimes.

import type { CellRegistry, PersistenceStore } from '../state/index.js';
import { dispatch, type Handlers } from '../dispatch.js';
import type { AppPlan, BuildStep } from './app-plan.js';
import { SiddhiAppRuntime, type CheckpointPolicy } from './app-runtime.js';
import { createAppState, INPUTS_CELL } from './app-state.js';
import { buildDefinition, buildJunctions } from './build-definitions.js';
import type { ErrorReporter } from './error-reporter.js';
import { appStreams, type InstanceScope } from './instance.js';
import type { ScriptScope } from './functions/script-scope.js';
import type { StreamJunction } from './junction.js';
import { fuseKernels } from './kernel/fuse.js';
import { groupBatches } from './kernel/group-batches.js';
import type { Logger } from './logger.js';
import type { NamedWindow } from './operators/named-window.js';
import { buildPartition } from './operators/partition/build-partition.js';
import type { QueryCallbackTap } from './operators/query-callback.js';
import type { InMemoryTable } from './operators/table/in-memory-table.js';
import type { Aggregation } from './operators/aggregation/aggregation.js';
import { ReaderOwners } from './query-metrics.js';

export interface BuildOptions {
  /** Overrides `@app:playback` (AppSpec.playback). */
  readonly playback?: boolean;
  /** Overrides `@app:checkpoint(...)`. */
  readonly checkpoint?: CheckpointPolicy & { readonly fullEvery?: number; readonly meta?: () => unknown };
  /** Playback: the clock's time before the first event; default 0. */
  readonly startTime?: number;
  readonly store?: PersistenceStore;
  /** Where running operators report errors; kept by the runtime. */
  readonly errors: ErrorReporter;
  readonly logger: Logger;
  readonly rangeLabels?: (label: string) => boolean;
  /**
   * The runtime is built only to see whether the app plans (`siddhi check`,
   * validateSiddhiApp): what cannot refuse an app is left out (kernel fusion,
   * the operators of top-level queries). The plan is the same.
   */
  readonly validating?: boolean;
  /** Wires what lives outside the query graph (src/io sources and sinks) once the runtime exists. */
  readonly wire?: (runtime: SiddhiAppRuntime, cells: CellRegistry) => void;
  /** The runtime's script context, when the app defines script functions: one per build, so runtimes of a plan share no script globals. */
  readonly scripts?: ScriptScope;
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

export function buildApp(plan: AppPlan, o: BuildOptions): SiddhiAppRuntime {
  const { name } = plan.spec;
  const policy = { ...plan.spec.policy, ...o.checkpoint };
  const { scheduler, checkpoints } = createAppState({
    name,
    text: plan.spec.text,
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
    ...(o.scripts ? { scripts: o.scripts } : {}),
    appName: name,
  };
  const builder: Builder = { app, owners: new ReaderOwners(), validating: o.validating === true };
  for (const step of plan.steps) dispatch(BUILD_STEP, step, builder);
  groupBatches(app.junctions.values());
  if (!builder.validating) fuseKernels(app.junctions.values());
  const { onDemand } = plan;
  const runtime = new SiddhiAppRuntime({
    name,
    playback: o.playback ?? plan.spec.playback,
    scheduler,
    checkpoints,
    errors,
    junctions: app.junctions,
    windows: app.windows,
    queries: app.queries,
    readerOwners: builder.owners,
    inputStreams: plan.inputStreams,
    onStart: app.onStart,
    checkpointPolicy: policy,
    ...(o.store ? { store: o.store } : {}),
    ...(onDemand ? { onDemand: (text: string) => onDemand(text, app) } : {}),
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

interface Builder {
  readonly app: AppInstance;
  /** Which query owns each junction reader, for per-query metrics. */
  readonly owners: ReaderOwners;
  readonly validating: boolean;
}

/** In plan order: each definition as planned, then aggregations, then queries and partitions in source order. */
const BUILD_STEP: Handlers<BuildStep, [Builder], void> = {
  junctions: (step, { app }) => buildJunctions(step.streams, app),
  definition: (step, { app }) => buildDefinition(step.blueprint, app),
  table: (step, { app }) => void app.tables.set(step.name, step.blueprint.build(app.cells)),
  aggregation: (step, { app }) => void app.aggregations.set(step.name, step.blueprint.build(app)),
  query: (step, { app, owners, validating }) => owners.track(() => {
    // Planning checked all that can refuse a query (window arguments too): its operators are only built to run it.
    if (!validating) app.queries.set(step.blueprint.name, step.blueprint.instantiate(app));
    return step.blueprint.name;
  }),
  partition: (step, { app, owners }) => owners.track(() => {
    buildPartition(step.blueprint, app);
    return step.owner;
  }),
};
