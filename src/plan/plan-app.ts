// planApp(): App → AppPlan, the steps runtime/build-app.ts builds a running
// app from. Defines streams, named windows, tables and triggers, then plans
// queries in source order. All name resolution happens here, before the first
// event; nothing here creates state.

import type {
  AggregationDefinition, Annotation, App, AppElement, Definition, Location, OnDemandQuery, Partition, Query, StreamDefinition, TableDefinition, TriggerDefinition,
  WindowDefinition,
} from '../ast/index.js';
import { assertNever, dispatch, type Handlers } from '../dispatch.js';
import type { CheckpointPolicy } from '../runtime/app-runtime.js';
import type { AppPlan, AppSpec, BuildStep } from '../runtime/app-plan.js';
import type { WindowPlanContext } from '../runtime/operators/window.js';
import type { DefinitionBlueprint, TriggerAt } from '../runtime/build-definitions.js';
import { CronSyntaxError, parseCron, type CronExpression } from '../runtime/cron/cron-expression.js';
import { StreamSchema } from '../runtime/schema.js';
import type { Compression } from '../runtime/instance.js';
import type { PlanContext } from './plan-context.js';
import { defineStream, planErrorAt } from './plan-context.js';
import { lookUpWindow, planWindowArgs, planWindowCall } from './plan-input.js';
import { explicitQueryName, planQuery, queryName } from './plan-query.js';
import { planTable } from './plan-table.js';
import { onDemandRunner } from './plan-on-demand.js';
import { currentAppFunctions } from './app-functions.js';
import { checkWindowExpression, compileWindowExpression } from './plan-window-expression.js';
import { planPartition } from './plan-partition.js';
import { createStreamScope } from './stream-scope.js';
import { planFaultStream } from './plan-fault-stream.js';
import { parseDuration } from './duration.js';
import { planAggregation } from './plan-aggregation.js';
import { signatureOf } from './cell-signature.js';
import { checkAnnotations } from './check-annotations.js';
import { createCatalog } from './catalog.js';

export interface PlanOptions {
  /** The app text, fingerprinted into every checkpoint. */
  readonly text: string;
  /** Parses on-demand query text (the parser lives outside plan/); without it `runtime.query` is unavailable. */
  readonly parseOnDemand?: (text: string) => OnDemandQuery;
}

function appName(app: App): string {
  const a = app.annotations.find((x) => x.namespace?.toLowerCase() === 'app' && x.name.toLowerCase() === 'name');
  const name = a?.elements[0]?.value ?? 'SiddhiApp';
  // Checkpoints carry the name in UTF-8: an unpaired surrogate has no UTF-8 form, and the app's own snapshot would not match it.
  if (/\p{Cs}/u.test(name)) throw planErrorAt("annotation '@app:name'", 'the app name has an unpaired UTF-16 surrogate', a!.loc, 'names must be valid Unicode text');
  return name;
}

/**
 * Plans the app into its build steps (runtime/build-app.ts buildApp builds
 * them): definitions, aggregations, then queries and partitions in source
 * order. Creates no state; throws SiddhiPlanError when the app does not plan.
 */
export function planApp(app: App, options: PlanOptions): AppPlan {
  const name = appName(app);
  checkAnnotations(app);
  const playback = app.annotations.some((a) => a.namespace?.toLowerCase() === 'app' && a.name.toLowerCase() === 'playback');
  const spec: AppSpec = { name, text: options.text, playback, policy: checkpointAnnotation(app) };
  const ctx: PlanContext = { catalog: createCatalog(), inputStreams: new Set() };
  const steps = planElements(app, ctx);
  return { spec, steps, inputStreams: ctx.inputStreams, ...(options.parseOnDemand ? { onDemand: onDemandRunner(options.parseOnDemand, ctx.catalog) } : {}) };
}

/**
 * Plans the app's definitions, aggregations, then queries and partitions, in
 * source order, into build steps in the order the builder registers cells in.
 */
function planElements(app: App, ctx: PlanContext): BuildStep[] {
  // An unnamed query's default name steps aside for a later query explicitly named like it.
  const queries = app.elements.flatMap((el) => (el.kind === 'query' ? [el] : el.kind === 'partition' ? el.queries : []));
  const explicit = new Set(queries.flatMap((q) => [explicitQueryName(q) ?? []].flat()));
  const planning: AppPlanning = {
    ctx, names: new Map(), queryNames: new Set(), slashPrefixes: new Map(), explicitNames: explicit, position: 0, partitions: 0,
    steps: [], definitions: [], junctions: 0,
  };
  for (const el of app.elements) {
    dispatch(DEFINITION_PASS, el, planning);
    stepDefined(planning);
  }
  // Aggregations subscribe to streams, which may be defined after them.
  for (const el of app.elements) if (el.kind === 'aggregation') defineAggregationElement(el, planning);
  for (const el of app.elements) dispatch(QUERY_PASS, el, planning);
  return planning.steps;
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
  /** The plan's build steps so far. */
  readonly steps: BuildStep[];
  /** Fault wirings, named windows and triggers planned since the last stepDefined. */
  readonly definitions: DefinitionBlueprint[];
  /** How many of the catalog's streams have a junctions step. */
  junctions: number;
}

/**
 * Steps for what was planned since the last call: the junctions of new
 * catalog streams, then the definitions, in order (their junctions exist by then).
 */
function stepDefined(p: AppPlanning): void {
  const { streams } = p.ctx.catalog;
  if (streams.size > p.junctions) {
    p.steps.push({ kind: 'junctions', streams: [...streams.values()].slice(p.junctions) });
    p.junctions = streams.size;
  }
  for (const blueprint of p.definitions) p.steps.push({ kind: 'definition', blueprint });
  p.definitions.length = 0;
}

function skip(): void {}

/** First pass: definitions, so that queries may use streams defined after them. */
const DEFINITION_PASS: Handlers<AppElement, [AppPlanning], void> = {
  stream: (def, p) => { if (!repeated(def, p)) defineStreamElement(def, p, declareName(def, p)); },
  table: (def, p) => { if (!repeated(def, p)) defineTableElement(def, p, declareName(def, p)); },
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
  const blueprint = planQuery(q, nameQuery(q, p), p.ctx);
  // The streams it defined get their junctions before it is built.
  stepDefined(p);
  p.steps.push({ kind: 'query', blueprint });
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
  const blueprint = planPartition(partition, p.ctx, { position: ++p.partitions, nameQuery: (q) => { const n = nameQuery(q, p); names.push(n); return n; } });
  // The streams its queries defined get their junctions before any of its instances is built.
  stepDefined(p);
  // A partition's routers feed all its queries: their figures are the partition's.
  p.steps.push({ kind: 'partition', owner: names.join(','), blueprint });
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

function defineTableElement(def: TableDefinition, p: AppPlanning, element: string): void {
  checkAttributes(def.attributes, element);
  const blueprint = planTable(def, element);
  p.ctx.catalog.tables.set(def.name, blueprint.spec);
  p.steps.push({ kind: 'table', name: def.name, blueprint });
}

function defineAggregationElement(def: AggregationDefinition, p: AppPlanning): void {
  const blueprint = planAggregation(def, p.ctx, `aggregation '${def.name}'`);
  p.ctx.catalog.aggregations.set(def.name, { attributes: blueprint.attributes, durations: blueprint.durations });
  p.steps.push({ kind: 'aggregation', name: def.name, blueprint });
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
  const condition = { schema, element, loc: def.window.loc, functions: currentAppFunctions() };
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
