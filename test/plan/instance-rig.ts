// Builds one planned blueprint in several hand-made instances (test/plan): a
// planning context (the catalog only), and instances with their own
// junctions, tables, aggregations, reporter and logger.

import type { App, Query } from '../../src/ast/index.js';
import { parseApp } from '../../src/parser/index.js';
import { createCatalog } from '../../src/plan/catalog.js';
import { defineStream, type PlanContext } from '../../src/plan/plan-context.js';
import { Scheduler } from '../../src/runtime/clock.js';
import { appStreams, DISCARDED_CELLS, type InstanceScope } from '../../src/runtime/instance.js';
import { StreamJunction } from '../../src/runtime/junction.js';
import type { Logger } from '../../src/runtime/logger.js';
import type { NamedWindow } from '../../src/runtime/operators/named-window.js';
import type { Aggregation } from '../../src/runtime/operators/aggregation/aggregation.js';
import type { InMemoryTable } from '../../src/runtime/operators/table/in-memory-table.js';

export function lineLogger(lines: string[]): Logger {
  const at = (m: string) => { lines.push(m); };
  return { info: at, warn: at, error: at, debug: at };
}

/** A planning context over `app`'s streams. */
export function planningContext(app: App): PlanContext {
  const ctx: PlanContext = { catalog: createCatalog(), inputStreams: new Set() };
  for (const el of app.elements) if (el.kind === 'stream') defineStream(ctx, el.name, el.attributes);
  return ctx;
}

export function queryOf(app: App, name: string): Query {
  return app.elements.find((el): el is Query => el.kind === 'query' && el.annotations.some((a) => a.elements.some((e) => e.value === name)))!;
}

export function parsed(text: string): App {
  return parseApp(text);
}

/** One hand-made instance: its own junctions (over the planning context's schemas), tables, aggregations and channels. */
export interface Built {
  readonly inst: InstanceScope & {
    readonly junctions: Map<string, StreamJunction>; readonly tables: Map<string, InMemoryTable>; readonly aggregations: Map<string, Aggregation>;
  };
  readonly lines: string[];
  readonly errors: string[];
}

export function instanceOf(ctx: PlanContext, appName: string): Built {
  const lines: string[] = [];
  const errors: string[] = [];
  const report = (e: unknown, where: string) => { errors.push(`${where}: ${e instanceof Error ? e.message : String(e)}`); };
  const junctions = new Map([...ctx.catalog.streams].map(([n, schema]) => [n, new StreamJunction(schema, report)]));
  const windows = new Map<string, NamedWindow>();
  const inst = {
    cells: DISCARDED_CELLS, scheduler: new Scheduler(0), junctions, windows, ...appStreams(junctions, windows), tables: new Map<string, InMemoryTable>(),
    aggregations: new Map<string, Aggregation>(), onStart: [], report, logger: lineLogger(lines), appName,
  };
  return { inst, lines, errors };
}
