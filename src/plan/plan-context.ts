// What every planner of one app shares: the catalog of named elements
// (streams, named windows, tables, aggregations) defined so far and the input
// streams. Planning sees no live element: the runtime builds them from the plan.

import type { Location } from '../ast/index.js';
import { SiddhiPlanError } from '../errors.js';
import { StreamSchema } from '../runtime/schema.js';
import type { AttributeSchema } from '../runtime/schema.js';
import type { Catalog } from './catalog.js';

/** The app's planning context (a partition's queries plan in one with the partition's catalog). */
export interface PlanContext {
  /** Schemas and specs of the named elements: what planning resolves names against. */
  readonly catalog: Catalog;
  /** Streams that accept events from outside (not trigger streams). */
  readonly inputStreams: Set<string>;
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
