// An app as planned (plan/plan-app.ts planApp): the build steps the runtime
// builder (build-app.ts) carries out, in order, once per runtime. Plain data
// and compiled closures: what keeps state between events (cells, aggregator
// frames, script contexts, functions keeping state) is made by the build, so
// one plan builds as many independent runtimes as asked. A few plan-time
// holders are filled lazily by builds (pattern step source, the table-output
// cache keyed per runtime, the partition's signature memo) and pattern
// prefilters keep a scratch probe; none holds events between calls.

import type { CellRegistry } from '../state/index.js';
import type { CheckpointPolicy } from './app-runtime.js';
import type { AppInstance } from './build-app.js';
import type { DefinitionBlueprint } from './build-definitions.js';
import type { Event } from './junction.js';
import type { InstanceScope } from './instance.js';
import type { Aggregation } from './operators/aggregation/aggregation.js';
import type { PartitionBlueprint } from './operators/partition/build-partition.js';
import type { QueryCallbackTap } from './operators/query-callback.js';
import type { InMemoryTable } from './operators/table/in-memory-table.js';
import type { AttributeSchema, StreamSchema } from './schema.js';

/** What planning decided about the app as a whole (RuntimeOptions may override playback and the policy when building). */
export interface AppSpec {
  readonly name: string;
  /** The app text, fingerprinted into every checkpoint. */
  readonly text: string;
  /** `@app:playback`. */
  readonly playback: boolean;
  /** `@app:checkpoint(...)`. */
  readonly policy: CheckpointPolicy;
}

/**
 * A query planned once: names resolved, expressions compiled, output checked.
 * `instantiate` builds one running copy in an instance (the app, or one
 * partition key) and returns its callback tap; nothing is planned again. A
 * partition instance's copy delivers through the query's `shared` tap
 * (QueryCallbackTap.forInstance).
 */
export interface QueryBlueprint {
  readonly name: string;
  instantiate(inst: InstanceScope, shared?: QueryCallbackTap): QueryCallbackTap;
}

/** One step of building an app, in the order planning defined it (the order cells are registered in). */
export type BuildStep =
  /** Junctions of the streams defined since the last such step, in definition order. */
  | { readonly kind: 'junctions'; readonly streams: readonly StreamSchema[] }
  | { readonly kind: 'definition'; readonly blueprint: DefinitionBlueprint }
  | { readonly kind: 'table'; readonly name: string; readonly blueprint: { build(cells: CellRegistry): InMemoryTable } }
  | { readonly kind: 'aggregation'; readonly name: string; readonly blueprint: { build(inst: InstanceScope): Aggregation } }
  /** A top-level query: its metrics' owner is its name. */
  | { readonly kind: 'query'; readonly blueprint: QueryBlueprint }
  /** `owner`: its queries' names joined by ',' (its routers feed them all). */
  | { readonly kind: 'partition'; readonly owner: string; readonly blueprint: PartitionBlueprint };

/** Plans an on-demand query against the app's catalog, builds it in the running app instance and runs it. */
export type OnDemandPlanner = (text: string, app: AppInstance) => { readonly attributes: readonly AttributeSchema[]; readonly events: Event[] };

export interface AppPlan {
  readonly spec: AppSpec;
  readonly steps: readonly BuildStep[];
  /** Streams events may be sent to. */
  readonly inputStreams: ReadonlySet<string>;
  /** Without it `runtime.query` is unavailable. */
  readonly onDemand?: OnDemandPlanner;
}
