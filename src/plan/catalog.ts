// The plan catalog: what planning knows of an app's named elements (schemas of
// streams and named windows, table and aggregation specs), kept apart from the
// live junctions, windows and tables a runtime is built from. Planners resolve
// names against it; plan-context.ts writes it as elements are defined.

import type { AggregationDuration } from '../ast/index.js';
import type { StreamSchema } from '../runtime/schema.js';
import type { AttributeSchema } from '../runtime/schema.js';
import type { TableOptions } from '../runtime/operators/table/in-memory-table.js';

/** A table as planning knows it: its attributes, primary key and indexes. */
export type TableSpec = TableOptions;

/** An aggregation as planning knows it. */
export interface AggregationSpec {
  /** `AGG_TIMESTAMP` then the select clause's outputs. */
  readonly attributes: readonly AttributeSchema[];
  /** The durations it keeps (`every sec…year`): what a read's `per` may ask for. */
  readonly durations: readonly AggregationDuration[];
}

export interface Catalog {
  /**
   * Streams by name, in the order they were defined (defined, fault, trigger and
   * inferred output streams); the same schema objects their junctions carry.
   */
  readonly streams: Map<string, StreamSchema>;
  /** Named windows: the schema of the events they hold (their input's). */
  readonly windows: Map<string, StreamSchema>;
  readonly tables: Map<string, TableSpec>;
  readonly aggregations: Map<string, AggregationSpec>;
  /** Inside a partition: its `#inner` streams, defined by the first query inserting into them. */
  readonly inner?: Map<string, StreamSchema>;
}

export function createCatalog(): Catalog {
  return { streams: new Map(), windows: new Map(), tables: new Map(), aggregations: new Map() };
}

/**
 * What a partition's queries plan against: the app's streams, named windows,
 * tables and aggregations (a query inserting into a new outer stream defines it
 * for the app; a join reads the app's one aggregation, as the reference's
 * PartitionParser passes the app's aggregations to its queries), and the
 * partition's inner streams.
 */
export function partitionCatalog(app: Catalog): Catalog {
  return { streams: app.streams, windows: app.windows, tables: app.tables, aggregations: app.aggregations, inner: new Map() };
}
