// Builds a planned partition (plan/plan-partition.ts) in the app instance:
// first a check instance (its operators' errors surface now, and its sole
// reader tells whether a router may skip rows), then the routers, the keys
// cell and the subscriptions. A key's instance is built when the key is first
// seen (or restored), from the same query blueprints.

import { assertNever } from '../../../errors.js';
import { ChangeLog, type CellSignature } from '../../../state/cell.js';
import type { StreamEvent } from '../../event.js';
import { evaluatorIn, instanceEnv, type ExpressionEnv } from '../../expression.js';
import { InnerStreams, type InstanceScope } from '../../instance.js';
import type { StreamSchema } from '../../schema.js';
import type { QueryBlueprint } from '../../app-plan.js';
import type { Processor } from '../../processor.js';
import { QueryCallbackTap } from '../query-callback.js';
import { instanceSchedulers, KeyInstance, type InstanceShared } from './key-instance.js';
import { Partition, type PartitionInstance, type PurgePolicy } from './partition.js';
import { Broadcaster, RangeRouter, ValueRouter, type Range, type RouterSkip } from './routers.js';
import { SkipTable } from './row-skip.js';
import { findSkipTest } from './skip-test.js';


/** How one partitioned stream's events find their key, compiled at plan time. */
export type PartitionKeyPlan =
  | {
    readonly kind: 'value';
    readonly stream: string;
    readonly keyOf: Linkable;
    /** The key as JavaScript over the row `d`; without it the router is not generated. */
    readonly keyJs: string | undefined;
  }
  | { readonly kind: 'range'; readonly stream: string; readonly ranges: readonly { readonly label: string; readonly condition: Linkable }[] };

/** A compiled key or range condition: linked in the app instance when its router is built. */
type Linkable = Parameters<typeof evaluatorIn>[0];

export interface PartitionBlueprint {
  /** The partition's name: its keys cell is `<id>:keys`. */
  readonly id: string;
  /** Planned once; each key's instance builds them. */
  readonly queries: readonly QueryBlueprint[];
  readonly keys: readonly PartitionKeyPlan[];
  readonly purge: PurgePolicy | undefined;
  /** What a key means (the partition's keys): the keys cell's signature. */
  readonly signature: CellSignature;
  /** An instance cell's own signature with the partition's added. */
  readonly sign: (own: CellSignature | undefined) => CellSignature | undefined;
  /** The `#inner` streams its queries insert into: each instance has a junction of each. */
  readonly inner: ReadonlyMap<string, StreamSchema>;
}

/** The app instance a partition is built in, with where it publishes its queries' callback taps. */
export interface PartitionHost extends InstanceScope {
  readonly queries: Map<string, QueryCallbackTap>;
}

export function buildPartition(bp: PartitionBlueprint, app: PartitionHost): void {
  const taps = bp.queries.map((q) => new QueryCallbackTap(q.name, app.report));
  // A registry without a change log captures every cell each time: the instances mark a log nobody reads.
  const changes = app.cells.changes ?? new ChangeLog();
  const schedulerOf = instanceSchedulers(app.scheduler, changes);
  const noInner = bp.inner.size > 0 ? undefined : new InnerStreams(bp.inner, app.report);
  const build = (instance: KeyInstance, onRead?: (name: string, window: boolean) => void): InstanceScope => {
    const scope = keyScope(instance, schedulerOf(instance), noInner ?? new InnerStreams(bp.inner, app.report), app, onRead);
    bp.queries.forEach((q, i) => q.instantiate(scope, taps[i]!));
    return scope;
  };

  // Built once before any key, registering nothing: what it reads is what every key's instance reads.
  const reads = new Map<string, boolean>();
  const check = new KeyInstance('', app.scheduler.now(), undefined);
  build(check, (name, window) => {
    if (!reads.has(name)) reads.set(name, window);
  });
  const sole = check.soleReader();
  const test = sole && findSkipTest(sole.reader);
  const skipStream = test ? sole.name : undefined;
  const shared: InstanceShared = { base: app.cells, sign: bp.sign, report: app.report, ids: [], changes, skipStream, skips: new SkipTable(changes) };
  const skip: RouterSkip | undefined = test ? { js: test.js, table: shared.skips } : undefined;

  const instantiate = (key: string, restored: boolean): PartitionInstance => {
    const instance = new KeyInstance(key, app.scheduler.now(), shared);
    const scope = build(instance);
    // An instance starts when its key is first seen, not with the app; a restored one resumes instead.
    if (restored) instance.resumed();
    else for (const f of scope.onStart) f();
    return instance;
  };
  const partition = new Partition({
    scheduler: app.scheduler, create: instantiate, beforeCapture: () => shared.skips.settlePending(), ...(bp.purge ? { purge: bp.purge } : {}),
  });
  const partitioned = new Set(bp.keys.map((k) => k.stream));
  for (const [name, window] of reads) {
    if (partitioned.has(name)) continue;
    if (window) app.readWindow(name, new Broadcaster(partition, name));
    else app.read(name, new Broadcaster(partition, name));
  }
  // Keys and ranges read the clock and script functions, never tables.
  const env = instanceEnv({ scheduler: app.scheduler, scripts: app.scripts });
  const routers = bp.keys.map((key) => routerOf(key, partition, { changes, skip: key.stream === skipStream ? skip : undefined, rangeLabels: app.rangeLabels, env }));

  for (const q of bp.queries) app.cells.declareScope?.(`${q.name}/`);
  bp.queries.forEach((q, i) => app.queries.set(q.name, taps[i]!));
  app.cells.register(`${bp.id}:keys`, partition.cell, bp.signature);
  bp.keys.forEach((key, i) => app.read(key.stream, routers[i]!));
  app.onStart.push(() => partition.start());
}

/**
 * One key's instance: its cells and timers, its `#inner` streams; reading an
 * outer stream or named window adds a reader its router (or broadcaster)
 * feeds, writing goes to the app's.
 */
function keyScope(
  instance: KeyInstance, scheduler: InstanceScope['scheduler'], inner: InnerStreams, app: InstanceScope,
  onRead: ((name: string, window: boolean) => void) | undefined,
): InstanceScope {
  return {
    cells: instance,
    scheduler,
    windows: app.windows,
    tables: app.tables,
    aggregations: app.aggregations,
    read: (stream, reader) => {
      instance.addReader(stream, reader);
      onRead?.(stream, false);
    },
    readWindow: (name, reader) => {
      instance.addReader(name, reader);
      onRead?.(name, true);
    },
    writer: (stream) => app.writer(stream),
    inner,
    onStart: [],
    report: app.report,
    logger: app.logger,
    appName: app.appName,
    ...(app.scripts ? { scripts: app.scripts } : {}),
  };
}

interface RouterOptions {
  /** Where the partition's keys list themselves when changed. */
  readonly changes: ChangeLog;
  /** The rows the router may keep from its keys (skip-test.ts), if any. */
  readonly skip: RouterSkip | undefined;
  readonly rangeLabels: ((label: string) => boolean) | undefined;
  /** The app's clock, for keys and range conditions that read it. */
  readonly env: ExpressionEnv;
}

function routerOf(key: PartitionKeyPlan, partition: Partition, o: RouterOptions): Processor<StreamEvent> {
  switch (key.kind) {
    case 'value':
      return new ValueRouter(partition, key.stream, evaluatorIn(key.keyOf, o.env) as (e: StreamEvent) => unknown, key.keyJs === undefined ? undefined : { keyJs: key.keyJs, skip: o.skip, changes: o.changes });
    case 'range': {
      const accepts = o.rangeLabels;
      // A label outside this runtime's share never matches (compiled all the same, so errors surface alike).
      const ranges: Range[] = key.ranges.map((r) => {
        if (accepts && !accepts(r.label)) return { label: r.label, test: () => false };
        const test = evaluatorIn(r.condition, o.env);
        return { label: r.label, test: (e: StreamEvent) => test(e) === true };
      });
      return new RangeRouter(partition, key.stream, ranges);
    }
    default:
      return assertNever(key, 'partition key');
  }
}
