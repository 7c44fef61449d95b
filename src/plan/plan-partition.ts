// Plans `partition with (…) begin queries end`: compiles the key of each
// partitioned stream, plans the queries once into blueprints (which also
// defines their outer output streams), and gives the running Partition a way
// to create a key's instance: the blueprints built in that key's context.

import type { Annotation, Partition as PartitionAst, PartitionKey, Query } from '../ast/index.js';
import type { StreamEvent } from '../runtime/event.js';
import { Partition, type PartitionInstance, type PurgePolicy } from '../runtime/operators/partition/partition.js';
import { instanceSchedulers, KeyInstance, type InstanceShared } from '../runtime/operators/partition/key-instance.js';
import { SkipTable } from '../runtime/operators/partition/row-skip.js';
import { findSkipTest } from '../runtime/operators/partition/skip-test.js';
import { DISCARDED_CELLS } from '../runtime/instance.js';
import { Broadcaster, RangeRouter, ValueRouter, type RouterSkip } from '../runtime/operators/partition/routers.js';
import { QueryCallbackTap } from '../runtime/operators/query-callback.js';
import type { Processor } from '../runtime/processor.js';
import { compileCondition, compileExpression } from './compile-expression.js';
import { evaluatorIn } from '../runtime/expression.js';
import { parseDuration } from './duration.js';
import { ChangeLog, type CellSignature, type InstanceScope } from '../runtime/instance.js';
import type { Scheduler } from '../runtime/clock.js';
import type { StreamJunction } from '../runtime/junction.js';
import type { PlanContext } from './plan-context.js';
import { planErrorAt, readableNames } from './plan-context.js';
import { planQuery } from './plan-query.js';
import { createStreamScope } from './stream-scope.js';
import { describeAlternatives } from './suggest.js';
import { joinedSignature, signatureOf, sourceSchemasOf } from './cell-signature.js';
import { partitionCatalog } from './catalog.js';

export interface PartitionPlanOptions {
  /** 1-based position among the app's partitions: `partition<n>` names it unless `@info(name=…)` does. */
  readonly position: number;
  /** Names (and checks for duplicates) each query, as for queries outside partitions. */
  readonly nameQuery: (q: Query) => string;
  /** Builds the streams the queries defined (their junctions), before any instance is built. */
  readonly buildPlanned: () => void;
}

export function planPartition(p: PartitionAst, ctx: PlanContext, options: PartitionPlanOptions): void {
  const id = partitionName(p, options.position);
  const element = `partition '${id}'`;
  const names = p.queries.map(options.nameQuery);
  const taps = names.map((n) => new QueryCallbackTap(n, ctx.report));
  const broadcasts = new Map<string, Processor<StreamEvent>>();
  const partitioned = new Set<string>();
  const purge = purgePolicy(p.annotations, element);
  // What a key means: instance cells and the key set change meaning with the partition's keys.
  const signature = signatureOf('partition', p.keys, () => sourceSchemasOf(p.keys.map((k) => ({ kind: 'single', stream: k.stream, inner: false })), ctx));

  // Planned once: each key's instance is built from these blueprints.
  const planning = planningContext(ctx);
  const blueprints = p.queries.map((q, i) => planQuery(q, names[i]!, planning));
  const noInner = planning.catalog.inner!.size === 0 ? new Map<string, StreamJunction>() : undefined;

  const signs = new Map<CellSignature, CellSignature>();
  const sign = (own: CellSignature | undefined): CellSignature | undefined => {
    if (own === undefined) return undefined;
    let s = signs.get(own);
    if (s === undefined) signs.set(own, (s = joinedSignature(own, signature)));
    return s;
  };
  // A registry without a change log captures every cell each time: the instances mark a log nobody reads.
  const changes = ctx.cells.changes ?? new ChangeLog();
  const shared: InstanceShared = { base: ctx.cells, sign, report: ctx.report, ids: [], changes, skipStream: undefined, skips: new SkipTable(changes) };
  const schedulerOf = instanceSchedulers(ctx.scheduler, changes);
  const instantiate = (key: string | undefined, restored = false): PartitionInstance => {
    const instance = new KeyInstance(key ?? '', ctx.scheduler.now(), key === undefined ? undefined : shared);
    const inst = keyScope(instance, schedulerOf(instance), noInner ?? new Map(), ctx, (name, window) => {
      if (!partitioned.has(name) && !broadcasts.has(name)) subscribeBroadcast(name, window);
    });
    blueprints.forEach((bp, i) => bp.instantiate(inst, taps[i]!));
    // An instance starts when its key is first seen, not with the app; a restored one resumes instead.
    if (key !== undefined && !restored) for (const f of inst.onStart) f();
    if (restored) instance.resumed();
    return instance;
  };
  const beforeCapture = () => shared.skips.settlePending();
  const partition = new Partition({ scheduler: ctx.scheduler, create: instantiate, beforeCapture, ...(purge ? { purge } : {}) });
  const subscribeBroadcast = (name: string, window: boolean): void => {
    const b = new Broadcaster(partition, name);
    broadcasts.set(name, b);
    if (window) ctx.readWindow(name, b);
    else ctx.read(name, b);
  };

  for (const key of p.keys) {
    if (partitioned.has(key.stream)) throw planErrorAt(element, `stream '${key.stream}' is partitioned twice`, key.loc);
    partitioned.add(key.stream);
  }
  // Asked when a router's step is first generated, after the check instance below is built.
  let skip: { readonly stream: string; readonly js: string } | undefined;
  const routers = p.keys.map((key) => planRouter(key, partition, ctx, { element, changes, skipOf: () => (skip?.stream === key.stream ? { js: skip.js, table: shared.skips } : undefined) }));
  // Built once before any key: operator errors (window arguments…) surface at creation.
  options.buildPlanned();
  const sole = (instantiate(undefined) as KeyInstance).soleReader();
  const test = sole && findSkipTest(sole.reader);
  if (sole && test) {
    skip = { stream: sole.name, js: test.js };
    shared.skipStream = sole.name;
  }
  for (const n of names) ctx.cells.declareScope?.(`${n}/`);
  names.forEach((n, i) => ctx.queries.set(n, taps[i]!));
  ctx.cells.register(`${id}:keys`, partition.cell, signature);
  p.keys.forEach((key, i) => ctx.read(key.stream, routers[i]!));
  ctx.onStart.push(() => partition.start());
}

/** Instances register no query taps: the partition's own taps share their callbacks. */
const NO_QUERIES: PlanContext['queries'] = new Map();

/** Planning builds nothing: the partition's instances read and write only once built. */
const NOT_WHILE_PLANNING = (): never => {
  throw new Error('a partition reads and writes streams only once built');
};

/**
 * Where the partition's queries are planned: the app's names (an output
 * stream a query defines is the app's), cells discarded, and `#inner`
 * streams of its own, defined by the first query inserting into them.
 */
function planningContext(app: PlanContext): PlanContext {
  return {
    catalog: partitionCatalog(app.catalog),
    scheduler: app.scheduler,
    cells: DISCARDED_CELLS,
    junctions: app.junctions,
    windows: app.windows,
    tables: app.tables,
    aggregations: app.aggregations,
    inputStreams: app.inputStreams,
    onStart: [],
    queries: NO_QUERIES,
    report: app.report,
    read: NOT_WHILE_PLANNING,
    readWindow: NOT_WHILE_PLANNING,
    writer: NOT_WHILE_PLANNING,
    logger: app.logger,
    appName: app.appName,
  };
}

/**
 * One key's instance: its cells and timers, its `#inner` streams; reading an
 * outer stream or named window adds a reader its router (or broadcaster)
 * feeds, writing goes to the app's.
 */
function keyScope(
  instance: KeyInstance, scheduler: Scheduler, inner: Map<string, StreamJunction>, app: InstanceScope,
  onRead: (name: string, window: boolean) => void,
): InstanceScope {
  return {
    cells: instance,
    scheduler,
    windows: app.windows,
    tables: app.tables,
    aggregations: app.aggregations,
    read: (stream, reader) => {
      instance.addReader(stream, reader);
      onRead(stream, false);
    },
    readWindow: (name, reader) => {
      instance.addReader(name, reader);
      onRead(name, true);
    },
    writer: (stream) => app.writer(stream),
    inner,
    onStart: [],
    report: app.report,
    logger: app.logger,
    appName: app.appName,
  };
}

interface RouterOptions {
  readonly element: string;
  /** Where the partition's keys list themselves when changed. */
  readonly changes: ChangeLog;
  /** When it gives one, the rows the router may keep from its keys (skip-test.ts). */
  readonly skipOf: () => RouterSkip | undefined;
}

function planRouter(key: PartitionKey, partition: Partition, ctx: PlanContext, o: RouterOptions): Processor<StreamEvent> {
  const { element, changes, skipOf } = o;
  const schema = ctx.catalog.streams.get(key.stream);
  if (!schema) {
    throw planErrorAt(element, `stream '${key.stream}' is not defined`, key.loc, describeAlternatives(key.stream, readableNames(ctx)));
  }
  const scope = createStreamScope({ element, schema, names: [key.stream] });
  switch (key.kind) {
    case 'value': {
      const k = compileExpression(key.expression, scope);
      return new ValueRouter(partition, key.stream, evaluatorIn(k, ctx.scheduler) as (e: StreamEvent) => unknown, k.js === undefined ? undefined : { keyJs: k.js, skipOf, changes });
    }
    case 'range':
      return new RangeRouter(partition, key.stream, key.ranges.map((r) => {
        const test = evaluatorIn(compileCondition(r.condition, scope, 'a range condition'), ctx.scheduler);
        // A label outside this runtime's share never matches (compiled all the same, so errors surface alike).
        if (ctx.rangeLabels && !ctx.rangeLabels(r.label)) return { label: r.label, test: () => false };
        return { label: r.label, test: (e: StreamEvent) => test(e) === true };
      }));
    default: {
      const never: never = key;
      throw new Error(`unhandled partition key ${JSON.stringify(never)}`);
    }
  }
}

function partitionName(p: PartitionAst, position: number): string {
  const info = p.annotations.find((a) => a.namespace === undefined && a.name.toLowerCase() === 'info');
  return info?.elements.find((e) => e.key?.toLowerCase() === 'name')?.value ?? `partition${position}`;
}

/** `@purge(enable='true', interval='1 sec', idle.period='1 min')`; interval defaults to 5 min as in the reference. */
function purgePolicy(annotations: readonly Annotation[], element: string): PurgePolicy | undefined {
  const a = annotations.find((x) => x.namespace === undefined && x.name.toLowerCase() === 'purge');
  if (!a) return undefined;
  const get = (k: string) => a.elements.find((e) => e.key?.toLowerCase() === k);
  const enable = get('enable');
  if (!enable) throw planErrorAt(element, "@purge is missing element 'enable'", a.loc, "write @purge(enable='true', interval='1 sec', idle.period='1 min')");
  const on = enable.value.toLowerCase();
  if (on !== 'true' && on !== 'false') throw planErrorAt(element, `@purge enable '${enable.value}' is not 'true' or 'false'`, enable.loc);
  const idle = get('idle.period');
  if (!idle) throw planErrorAt(element, "@purge is missing element 'idle.period'", a.loc, "e.g. idle.period='1 min'");
  const interval = get('interval');
  const duration = (el: NonNullable<typeof idle>): number => {
    const ms = parseDuration(el.value);
    if (ms === undefined || ms <= 0) throw planErrorAt(element, `@purge ${el.key} '${el.value}' is not a positive duration`, el.loc, "e.g. '1 sec'");
    return ms;
  };
  if (on === 'false') return undefined;
  return { idle: duration(idle), interval: interval ? duration(interval) : 300_000 };
}
