// What every planner of one app shares: the clock, the cell registry, the
// catalog of named elements (streams, named windows, tables) defined so far,
// and, until the runtime builds them, the live elements beside it.

import type { Location } from '../ast/index.js';
import { SiddhiPlanError } from '../errors.js';
import type { StreamJunction } from '../runtime/junction.js';
import { StreamSchema } from '../runtime/schema.js';
import type { AttributeSchema } from '../runtime/schema.js';
import type { Catalog } from './catalog.js';
import type { AppInstance } from '../runtime/build-app.js';

/** The app's planning context; the app is also the instance its top-level queries are built in. */
export interface PlanContext extends AppInstance {
  /** Schemas and specs of the named elements: what planning resolves names against. */
  readonly catalog: Catalog;
  /** Streams that accept events from outside (not trigger streams). */
  readonly inputStreams: Set<string>;
  /** Inside a partition instance: its `#inner` streams, defined by the first query inserting into them. */
  readonly inner?: Map<string, StreamJunction>;
}

/**
 * The schema of stream `name`, defining it in the catalog from `attributes` when
 * it is new (the runtime builder makes its junction, with this schema object:
 * planners compare schemas by identity).
 */
export function defineStream(ctx: PlanContext, name: string, attributes: readonly AttributeSchema[]): StreamSchema {
  let schema = ctx.catalog.streams.get(name);
  if (!schema) {
    schema = new StreamSchema(name, attributes);
    ctx.catalog.streams.set(name, schema);
  }
  return schema;
}

/** Names of everything a query can read from. */
export function readableNames(ctx: { readonly catalog: Catalog }): string[] {
  const { streams, windows, tables, aggregations } = ctx.catalog;
  return [...streams.keys(), ...windows.keys(), ...tables.keys(), ...aggregations.keys()];
}

export function planErrorAt(element: string, message: string, loc: Location | undefined, hint?: string): SiddhiPlanError {
  return new SiddhiPlanError(`${element}: ${message}`, {
    element,
    ...(loc ? { line: loc.line, column: loc.column } : {}),
    ...(hint ? { hint } : {}),
  });
}
