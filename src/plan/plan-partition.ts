// Plans `partition with (…) begin queries end` into a PartitionBlueprint:
// compiles the key of each partitioned stream and plans the queries once
// (which also defines their outer output streams). The runtime builds it
// (runtime/operators/partition/build-partition.ts): each key's instance is
// built from the query blueprints.

import type { Annotation, Partition as PartitionAst, PartitionKey, Query } from '../ast/index.js';
import type { PartitionBlueprint, PartitionKeyPlan } from '../runtime/operators/partition/build-partition.js';
import type { PurgePolicy } from '../runtime/operators/partition/partition.js';
import type { CellSignature } from '../runtime/instance.js';
import { compileCondition, compileExpression } from './compile-expression.js';
import { parseDuration } from './duration.js';
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
}

export function planPartition(p: PartitionAst, ctx: PlanContext, options: PartitionPlanOptions): PartitionBlueprint {
  const id = partitionName(p, options.position);
  const element = `partition '${id}'`;
  const names = p.queries.map(options.nameQuery);
  const purge = purgePolicy(p.annotations, element);
  // What a key means: instance cells and the key set change meaning with the partition's keys.
  const signature = signatureOf('partition', p.keys, () => sourceSchemasOf(p.keys.map((k) => ({ kind: 'single', stream: k.stream, inner: false })), ctx));
  const planning = planningContext(ctx);
  const queries = p.queries.map((q, i) => planQuery(q, names[i]!, planning));

  const signs = new Map<CellSignature, CellSignature>();
  const sign = (own: CellSignature | undefined): CellSignature | undefined => {
    if (own === undefined) return undefined;
    let s = signs.get(own);
    if (s === undefined) signs.set(own, (s = joinedSignature(own, signature)));
    return s;
  };
  const partitioned = new Set<string>();
  for (const key of p.keys) {
    if (partitioned.has(key.stream)) throw planErrorAt(element, `stream '${key.stream}' is partitioned twice`, key.loc);
    partitioned.add(key.stream);
  }
  const keys = p.keys.map((key) => planKey(key, ctx, element));
  return { id, queries, keys, purge, signature, sign, inner: planning.catalog.inner! };
}

/**
 * Where the partition's queries are planned: the app's names (an output
 * stream a query defines is the app's), and `#inner` streams of its own,
 * defined by the first query inserting into them.
 */
function planningContext(app: PlanContext): PlanContext {
  return { catalog: partitionCatalog(app.catalog), inputStreams: app.inputStreams };
}

function planKey(key: PartitionKey, ctx: PlanContext, element: string): PartitionKeyPlan {
  const schema = ctx.catalog.streams.get(key.stream);
  if (!schema) {
    throw planErrorAt(element, `stream '${key.stream}' is not defined`, key.loc, describeAlternatives(key.stream, readableNames(ctx)));
  }
  const scope = createStreamScope({ element, schema, names: [key.stream] });
  switch (key.kind) {
    case 'value': {
      const k = compileExpression(key.expression, scope);
      // Linked in the app instance when the router is built (a key may read the clock).
      return { kind: 'value', stream: key.stream, keyOf: k, keyJs: k.js };
    }
    case 'range':
      return {
        kind: 'range',
        stream: key.stream,
        ranges: key.ranges.map((r) => ({ label: r.label, condition: compileCondition(r.condition, scope, 'a range condition') })),
      };
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
