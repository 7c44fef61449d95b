// planApp(): App → running SiddhiAppRuntime. Defines streams, named windows,
// tables and triggers, then plans queries in source order. All name
// resolution happens here, before the first event.

import type {
  AggregationDefinition, Annotation, App, AppElement, Definition, Location, OnDemandQuery, Partition, Query, StreamDefinition, TableDefinition, TriggerDefinition,
  WindowDefinition,
} from '../ast/index.js';
import { assertNever, dispatch, type Handlers } from '../dispatch.js';
import type { SiddhiAppRuntime } from '../runtime/app-runtime.js';
import type { ErrorReporter } from '../runtime/error-reporter.js';
import type { CheckpointPolicy } from '../runtime/app-runtime.js';
import { buildApp, type BuildOptions, type BuiltElements } from '../runtime/build-app.js';
import { CONSOLE_LOGGER, type Logger } from '../runtime/logger.js';
import type { WindowPlanContext } from '../runtime/operators/window.js';
import { buildDefinition, buildJunctions, type DefinitionBlueprint, type TriggerAt } from '../runtime/build-definitions.js';
import { CronSyntaxError, parseCron, type CronExpression } from '../runtime/cron/cron-expression.js';
import { StreamSchema } from '../runtime/schema.js';
import type { CellRegistry, Compression, PersistenceStore } from '../runtime/instance.js';
import type { PlanContext } from './plan-context.js';
import { defineStream, planErrorAt } from './plan-context.js';
import { lookUpWindow, planWindowArgs, planWindowCall } from './plan-input.js';
import { explicitQueryName, planQuery, queryName } from './plan-query.js';
import type { ReaderOwners } from '../runtime/query-metrics.js';
import { planTable } from './plan-table.js';
import { onDemandRunner } from './plan-on-demand.js';
import { checkWindowExpression, compileWindowExpression } from './plan-window-expression.js';
import { planPartition } from './plan-partition.js';
import { buildPartition } from '../runtime/operators/partition/build-partition.js';
import { createStreamScope } from './stream-scope.js';
import { planFaultStream } from './plan-fault-stream.js';
import { parseDuration } from './duration.js';
import { planAggregation } from './plan-aggregation.js';
import { signatureOf } from './cell-signature.js';
import { checkAnnotations } from './check-annotations.js';
import { createCatalog } from './catalog.js';

export interface PlanOptions {
  /** Event timestamps drive the clock (deterministic replay); default false. */
  readonly playback?: boolean;
  /** Playback: the clock's time before the first event (periodic timers count from it); default 0. */
  readonly startTime?: number;
  readonly store?: PersistenceStore;
  /** The app text, fingerprinted into every checkpoint. */
  readonly text: string;
  /**
   * The runtime is built only to see whether the app plans (`siddhi check`,
   * validateSiddhiApp): what cannot refuse an app is left out (kernel fusion,
   * the operators of top-level queries).
   */
  readonly validating?: boolean;
  /** Overrides `@app:checkpoint(...)`. */
  readonly checkpoint?: CheckpointPolicy & { readonly fullEvery?: number; readonly meta?: () => unknown };
  /** Wires what lives outside the query graph (src/io sources and sinks) once the runtime exists. */
  readonly wire?: (runtime: SiddhiAppRuntime, cells: CellRegistry) => void;
  /** Parses on-demand query text (the parser lives outside plan/); without it `runtime.query` is unavailable. */
  readonly parseOnDemand?: (text: string) => OnDemandQuery;
  /** Where #log writes; default the console. */
  readonly logger?: Logger;
  /** Range partitions run only the ranges whose label this accepts (RuntimeOptions.rangeLabels). */
  readonly rangeLabels?: (label: string) => boolean;
  /** Where running operators report errors: made by the caller before planning (its name is appName(app)), kept by the runtime. */
  readonly errors: ErrorReporter;
}

export function appName(app: App): string {
  const a = app.annotations.find((x) => x.namespace?.toLowerCase() === 'app' && x.name.toLowerCase() === 'name');
  const name = a?.elements[0]?.value ?? 'SiddhiApp';
  // Checkpoints carry the name in UTF-8: an unpaired surrogate has no UTF-8 form, and the app's own snapshot would not match it.
  if (/\p{Cs}/u.test(name)) throw planErrorAt("annotation '@app:name'", 'the app name has an unpaired UTF-16 surrogate', a!.loc, 'names must be valid Unicode text');
  return name;
}

export function planApp(app: App, options: PlanOptions): SiddhiAppRuntime {
  const name = appName(app);
  checkAnnotations(app);
  const playback = options.playback ?? app.annotations.some((a) => a.namespace?.toLowerCase() === 'app' && a.name.toLowerCase() === 'playback');
  const policy = { ...checkpointAnnotation(app), ...options.checkpoint };
  const build: BuildOptions = {
    errors: options.errors,
    logger: options.logger ?? CONSOLE_LOGGER,
    validating: options.validating === true,
    ...(options.startTime !== undefined ? { startTime: options.startTime } : {}),
    ...(options.store ? { store: options.store } : {}),
    ...(options.rangeLabels ? { rangeLabels: options.rangeLabels } : {}),
    ...(options.wire ? { wire: options.wire } : {}),
  };
  return buildApp({ name, text: options.text, playback, policy }, build, (instance, owners) =>
    planElements(app, { ...instance, catalog: createCatalog(), inputStreams: new Set() }, owners, options));
}

/**
 * Plans the app's definitions, aggregations, then queries and partitions, in
 * source order, building each in the app instance `ctx` right where it is
 * planned (until the runtime builder builds a finished plan).
 */
function planElements(app: App, ctx: PlanContext, owners: ReaderOwners, options: PlanOptions): BuiltElements {
  // An unnamed query's default name steps aside for a later query explicitly named like it.
  const queries = app.elements.flatMap((el) => (el.kind === 'query' ? [el] : el.kind === 'partition' ? el.queries : []));
  const explicit = new Set(queries.flatMap((q) => [explicitQueryName(q) ?? []].flat()));
  const planning: AppPlanning = {
    ctx, names: new Map(), queryNames: new Set(), slashPrefixes: new Map(), explicitNames: explicit, position: 0, partitions: 0, validating: options.validating === true,
    definitions: [], built: 0,
  };
  for (const el of app.elements) {
    dispatch(DEFINITION_PASS, el, planning);
    buildPlanned(planning);
  }
  // Aggregations subscribe to streams, which may be defined after them.
  for (const el of app.elements) if (el.kind === 'aggregation') defineAggregationElement(el, ctx);
  for (const el of app.elements) {
    owners.track(() => {
      planning.owner = undefined;
      dispatch(QUERY_PASS, el, planning);
      return planning.owner;
    });
  }
  return { inputStreams: ctx.inputStreams, ...(options.parseOnDemand ? { onDemand: onDemandRunner(options.parseOnDemand, ctx.catalog) } : {}) };
}

/** What the two passes over the app's elements share. */
interface AppPlanning {
  readonly ctx: PlanContext;
  /** Defined names and their definitions. */
  readonly names: Map<string, Definition>;
  readonly queryNames: Set<string>;
  /** Each '/'-prefix of a query name that has a '/', with that name (state ids are `<name>/<part>`). */
  readonly slashPrefixes: Map<string, string>;
  /** Names given with `@info(name=…)`. */
  readonly explicitNames: ReadonlySet<string>;
  /** 1-based position of the last query planned, for default query names. */
  position: number;
  /** Partitions planned so far, for default partition names. */
  partitions: number;
  /** Only checking the app (PlanOptions.validating): queries are planned, not built. */
  readonly validating: boolean;
  /** The query (or a partition's queries) the element just planned, for per-query metrics. */
  owner?: string | undefined;
  /** Fault wirings, named windows and triggers in source order. */
  readonly definitions: DefinitionBlueprint[];
  /** How many of `definitions` are built. */
  built: number;
}

/**
 * Builds what was planned since the last call: junctions of new catalog streams,
 * then definitions, in order (where planning used to build them, until the
 * runtime builder builds the whole plan).
 */
function buildPlanned(p: AppPlanning): void {
  buildJunctions(p.ctx.catalog.streams, p.ctx);
  while (p.built < p.definitions.length) buildDefinition(p.definitions[p.built++]!, p.ctx);
}

function skip(): void {}

/** First pass: definitions, so that queries may use streams defined after them. */
const DEFINITION_PASS: Handlers<AppElement, [AppPlanning], void> = {
  stream: (def, p) => { if (!repeated(def, p)) defineStreamElement(def, p, declareName(def, p)); },
  table: (def, p) => { if (!repeated(def, p)) defineTableElement(def, p.ctx, declareName(def, p)); },
  window: (def, p) => defineWindow(def, p, declareName(def, p)),
  trigger: (def, p) => defineTrigger(def, p, declareName(def, p)),
  aggregation: (def, p) => { declareName(def, p); },
  // Compiled before planning (script-functions.ts) and reached through app-functions.ts.
  function: skip,
  query: skip,
  partition: skip,
};

/** Second pass: queries and partitions in source order. */
const QUERY_PASS: Handlers<AppElement, [AppPlanning], void> = {
  stream: skip,
  table: skip,
  window: skip,
  trigger: skip,
  aggregation: skip,
  function: skip,
  query: planQueryElement,
  partition: planPartitionElement,
};

function planQueryElement(q: Query, p: AppPlanning): void {
  const name = nameQuery(q, p);
  p.owner = name;
  const blueprint = planQuery(q, name, p.ctx);
  buildPlanned(p);
  // Planning checks all that can refuse a query (window arguments too): its operators are only built to run it.
  if (!p.validating) p.ctx.queries.set(name, blueprint.instantiate(p.ctx));
}

/** A query's name (inside partitions too): default names never take an explicit one; duplicates fail. */
function nameQuery(q: Query, p: AppPlanning): string {
  let qn = queryName(q, ++p.position);
  if (explicitQueryName(q) === undefined) while (p.explicitNames.has(qn) || p.queryNames.has(qn)) qn += "'";
  if (p.queryNames.has(qn)) throw planErrorAt(`query '${qn}'`, `duplicate query name '${qn}'`, q.loc);
  // The name is part of state ids, which checkpoints store as UTF-8.
  if (LONE_SURROGATE.test(qn)) throw planErrorAt(`query ${JSON.stringify(qn)}`, 'a query name with an unpaired UTF-16 surrogate', q.loc, 'names must be valid Unicode text');
  checkIdPrefix(qn, q, p);
  p.queryNames.add(qn);
  return qn;
}

/**
 * State ids are `<query name>/<part>` (`/selector`, `/left`, `/0:window.length` …): a name that is
 * another's prefix up to a '/' could give two queries the same id, so such pairs are refused.
 */
function checkIdPrefix(qn: string, q: Query, p: AppPlanning): void {
  const clash = (other: string) => planErrorAt(`query '${qn}'`, `query names '${qn}' and '${other}' would share state ids`, q.loc, "rename one: a query name may not extend another by '/…'");
  const longer = p.slashPrefixes.get(qn);
  if (longer !== undefined) throw clash(longer);
  for (let i = qn.indexOf('/'); i >= 0; i = qn.indexOf('/', i + 1)) {
    const prefix = qn.slice(0, i);
    if (p.queryNames.has(prefix)) throw clash(prefix);
    if (!p.slashPrefixes.has(prefix)) p.slashPrefixes.set(prefix, qn);
  }
}

function planPartitionElement(partition: Partition, p: AppPlanning): void {
  const names: string[] = [];
  const planned = planPartition(partition, p.ctx, { position: ++p.partitions, nameQuery: (q) => { const n = nameQuery(q, p); names.push(n); return n; } });
  // The streams its queries defined get their junctions before any of its instances is built.
  buildPlanned(p);
  buildPartition(planned, p.ctx);
  // A partition's routers feed all its queries: their figures are the partition's.
  p.owner = names.join(',');
}

/** Records a definition's name and returns its element label for messages. */
function declareName(def: Definition, p: AppPlanning): string {
  const element = `${def.kind} '${def.name}'`;
  const previous = p.names.get(def.name)?.kind;
  // A trigger may name an existing stream of the trigger's shape; nothing else may repeat.
  if (previous && !(def.kind === 'trigger' && previous === 'stream')) {
    // An equal stream or table never gets here (repeated()).
    const differs = previous === def.kind && (def.kind === 'stream' || def.kind === 'table') ? ' with other attributes or annotations' : '';
    throw planErrorAt(element, `'${def.name}' is already defined as a ${previous}${differs}`, def.loc);
  }
  p.names.set(def.name, def);
  return element;
}

/**
 * A stream or table defined again exactly as before (same attributes and
 * annotations) is the same definition, as in the reference: nothing to plan.
 */
function repeated(def: StreamDefinition | TableDefinition, p: AppPlanning): boolean {
  const previous = p.names.get(def.name);
  return previous?.kind === def.kind && sameShape(previous.attributes, def.attributes) && sameShape(previous.annotations, def.annotations);
}

/** Structural equality of AST values, ignoring source locations. */
function sameShape(a: unknown, b: unknown): boolean {
  const text = (v: unknown) => JSON.stringify(v, (k, x: unknown) => (k === 'loc' ? undefined : x));
  return text(a) === text(b);
}

function defineStreamElement(def: StreamDefinition, p: AppPlanning, element: string): void {
  checkAttributes(def.attributes, element);
  defineStream(p.ctx, def.name, def.attributes);
  const fault = planFaultStream(def, p.ctx);
  if (fault) p.definitions.push(fault);
  p.ctx.inputStreams.add(def.name);
}

function defineTableElement(def: TableDefinition, ctx: PlanContext, element: string): void {
  checkAttributes(def.attributes, element);
  const blueprint = planTable(def, element);
  ctx.catalog.tables.set(def.name, blueprint.spec);
  // Built where it was planned (same cell order) until the runtime builder builds definitions.
  ctx.tables.set(def.name, blueprint.build(ctx.cells));
}

function defineAggregationElement(def: AggregationDefinition, ctx: PlanContext): void {
  const blueprint = planAggregation(def, ctx, `aggregation '${def.name}'`);
  ctx.catalog.aggregations.set(def.name, { attributes: blueprint.attributes, durations: blueprint.durations });
  // Built where it was planned (same cell and subscription order) until the runtime builder builds definitions.
  ctx.aggregations.set(def.name, blueprint.build(ctx));
}

function checkAttributes(attrs: readonly { name: string; loc: Location }[], element: string): void {
  const seen = new Set<string>();
  for (const a of attrs) {
    if (seen.has(a.name)) throw planErrorAt(element, `attribute '${a.name}' is defined twice`, a.loc);
    seen.add(a.name);
  }
}

/** `define window W`: planned into a blueprint (arguments checked now); the builder makes its junction, window and output. */
function defineWindow(def: WindowDefinition, p: AppPlanning, element: string): void {
  checkAttributes(def.attributes, element);
  const schema = new StreamSchema(def.name, def.attributes);
  const { name, kind } = lookUpWindow(def.window, element);
  const scope = createStreamScope({ element, schema, names: [def.name] });
  const id = `${def.name}:window.${name}`;
  const condition = { schema, element, loc: def.window.loc };
  const planned: WindowPlanContext = {
    id,
    attributes: schema.attributes,
    element,
    loc: def.window.loc,
    checkCondition: (text) => checkWindowExpression(text, condition),
  };
  const factoryIn = planWindowCall(kind, planWindowArgs(def.window.args, scope), planned);
  p.definitions.push({
    kind: 'window', name: def.name, schema, output: def.output, id, signature: signatureOf('window', def.attributes, def.window),
    create: (scheduler, declare) => factoryIn(scheduler)({
      ...planned,
      compileCondition: (text) => compileWindowExpression(text, condition, scheduler),
      scheduler,
      declare,
    }),
  });
  p.ctx.catalog.windows.set(def.name, schema);
}

const TRIGGER_ATTRIBUTES = [{ name: 'triggered_time', type: 'long' as const }];

function defineTrigger(def: TriggerDefinition, p: AppPlanning, element: string): void {
  const { ctx } = p;
  const existing = ctx.catalog.streams.get(def.name);
  const shape = new StreamSchema(def.name, TRIGGER_ATTRIBUTES);
  if (existing && !existing.sameShape(shape)) {
    throw planErrorAt(element, `a trigger needs stream '${def.name}' to be (triggered_time long), but it is ${existing.describe()}`, def.loc);
  }
  defineStream(ctx, def.name, TRIGGER_ATTRIBUTES);
  ctx.inputStreams.delete(def.name);
  p.definitions.push({ kind: 'trigger', name: def.name, at: triggerAt(def, element), signature: signatureOf('trigger', def.at) });
}

function triggerAt(def: TriggerDefinition, element: string): TriggerAt {
  const at = def.at;
  switch (at.kind) {
    case 'start':
      return { kind: 'start' };
    case 'every':
      // A period of 0 would fire forever at one instant (the reference's fixed-rate scheduler refuses it too).
      if (!(at.millis > 0)) throw planErrorAt(element, `a periodic trigger needs a period of at least 1 millisecond, got ${at.millis}`, def.loc);
      return { kind: 'every', millis: at.millis };
    case 'cron':
      return { kind: 'cron', cron: parseTriggerCron(at.expression, element, def.loc) };
    default:
      return assertNever(at, 'trigger');
  }
}

function parseTriggerCron(text: string, element: string, loc: Location): CronExpression {
  try {
    return parseCron(text);
  } catch (e) {
    if (e instanceof CronSyntaxError) throw planErrorAt(element, e.message, loc, "a Quartz cron expression, e.g. '0/5 * * * * ?'");
    throw e;
  }
}

const COMPRESSIONS: readonly Compression[] = ['none', 'lz4', 'zstd'];

/** `@app:checkpoint(interval='1 sec', mode='incremental', codec='zstd')` */
function checkpointAnnotation(app: App): CheckpointPolicy {
  const a: Annotation | undefined = app.annotations.find((x) => x.namespace?.toLowerCase() === 'app' && x.name.toLowerCase() === 'checkpoint');
  if (!a) return {};
  const element = '@app:checkpoint';
  let policy: { interval?: number; mode?: 'incremental' | 'full'; compression?: Compression } = {};
  for (const el of a.elements) {
    const key = el.key?.toLowerCase();
    if (key === 'interval') {
      const ms = parseDuration(el.value);
      if (ms === undefined) throw planErrorAt(element, `interval '${el.value}' is not a duration`, el.loc, "write e.g. interval='1 sec'");
      policy = { ...policy, interval: ms };
    } else if (key === 'mode') {
      const v = el.value.toLowerCase();
      if (v !== 'incremental' && v !== 'full') throw planErrorAt(element, `mode '${el.value}' is not 'incremental' or 'full'`, el.loc);
      policy = { ...policy, mode: v };
    } else if (key === 'codec' || key === 'compression') {
      const v = el.value.toLowerCase() as Compression;
      if (!COMPRESSIONS.includes(v)) throw planErrorAt(element, `codec '${el.value}' is not one of ${COMPRESSIONS.join(', ')}`, el.loc);
      policy = { ...policy, compression: v };
    } else {
      throw planErrorAt(element, `unknown element '${el.key ?? el.value}'`, el.loc, 'elements: interval, mode, codec');
    }
  }
  return policy;
}

/** A UTF-16 surrogate without its pair: with the u flag a pair is one code point, so only lone halves match. */
const LONE_SURROGATE = /\p{Cs}/u;
