// The scope one running copy of a query is built in: where its operators
// register their cells (a partition instance's ids end in `@<key>`), its clock,
// how it reads and writes the app's streams and named windows (a partition
// instance's reads are fed by its router), its own `#inner` streams, and what
// runs when it starts. The app is one instance; a partition makes one per key. Query
// blueprints (plan/plan-query.ts) are planned once and built in instances.

import type { CellRegistry, StateCell } from '../state/cell.js';

/** The state layer's contracts the planner hands on (plan/ imports nothing from state/ itself). */
export type { CellGroup, CellRegistry, CellSignature, ChangeLog, ItemCodec, StateCell } from '../state/cell.js';
export { signatureText } from '../state/cell.js';
export type { Compression, PersistenceStore } from '../state/index.js';
import type { Scheduler } from './clock.js';
import { StreamJunction } from './junction.js';
import type { StreamSchema } from './schema.js';
import type { Logger } from './logger.js';
import type { NamedWindow } from './operators/named-window.js';
import type { InMemoryTable } from './operators/table/in-memory-table.js';
import type { Aggregation } from './operators/aggregation/aggregation.js';
import type { StreamEvent } from './event.js';
import type { Processor } from './processor.js';
import type { ScriptScope } from './functions/script-scope.js';

/** Reports an error raised inside a running operator (a user callback, a dropped event) without stopping the app. */
export type Reporter = (error: unknown, where: string) => void;

export interface InstanceScope {
  /** Operators register their cells here, under ids derived from the query (`q1/0:window.length`). */
  readonly cells: CellRegistry;
  readonly scheduler: Scheduler;
  /** The app's named windows, for their contents (joins); `readWindow` subscribes to one. */
  readonly windows: ReadonlyMap<string, NamedWindow>;
  /** The app's tables: a partition key's instance reads and writes the app's. */
  readonly tables: ReadonlyMap<string, InMemoryTable>;
  /** The app's `define aggregation`s, read by joins with `within … per …`. */
  readonly aggregations: ReadonlyMap<string, Aggregation>;
  /**
   * Subscribes `reader` to outer stream `stream`: the app instance subscribes
   * its junction; a partition key's instance adds a reader its router feeds.
   */
  read(stream: string, reader: Processor<StreamEvent>): void;
  /** As `read`, for what named window `name` emits. */
  readWindow(name: string, reader: Processor<StreamEvent>): void;
  /** Where the instance writes outer stream `stream`: the app's junction, or the named window's input. */
  writer(stream: string): Processor<StreamEvent>;
  /** Inside a partition instance: its `#inner` streams. */
  readonly inner?: InnerStreams;
  readonly onStart: (() => void)[];
  /** Where the instance's operators report errors raised while running (the runtime's ErrorReporter). */
  readonly report: Reporter;
  /** Where #log writes. */
  readonly logger: Logger;
  /** The app's name, for log lines. */
  readonly appName: string;
  /** Range partitions run only the ranges whose label this accepts (a scale-out worker's share). */
  readonly rangeLabels?: (label: string) => boolean;
  /** The runtime's script context, shared by its partition keys; absent in an app without script functions. */
  readonly scripts?: ScriptScope;
}

/**
 * A partition instance's `#inner` streams: a junction for each stream the
 * partition's queries insert into (the plan knows them all), made with the
 * instance, so its queries may be built in any order.
 */
export class InnerStreams {
  private readonly junctions: ReadonlyMap<string, StreamJunction>;

  constructor(schemas: ReadonlyMap<string, StreamSchema>, report: Reporter) {
    this.junctions = new Map([...schemas].map(([name, schema]) => [name, new StreamJunction(schema, report)]));
  }

  /** The junction of `#name`, which planning checked is one of the partition's. */
  get(name: string): StreamJunction {
    const j = this.junctions.get(name);
    if (j === undefined) throw new Error(`internal: the partition has no #inner stream '${name}'`);
    return j;
  }
}

/** The app instance's `read`, `readWindow` and `writer`: over its own junctions and named windows. */
export function appStreams(
  junctions: ReadonlyMap<string, StreamJunction>, windows: ReadonlyMap<string, NamedWindow>,
): Pick<InstanceScope, 'read' | 'readWindow' | 'writer'> {
  return {
    read: (stream, reader) => junctions.get(stream)!.subscribe(reader),
    readWindow: (name, reader) => windows.get(name)!.output.subscribe(reader),
    writer: (stream) => windows.get(stream)?.input ?? junctions.get(stream)!,
  };
}

/**
 * How an operator hands over its state: its factory gets one of these, made by
 * the planner from the instance's registry and the id it chose, and declares
 * its cell through it. Operators never name an id or reach a registry, so an
 * instance's prefix, signature and purge stay the plan's business. `part`
 * names one of several cells (`Agg/sec` beside `Agg/min`): id `<id>/<part>`.
 */
export type DeclareCell = (cell: StateCell, part?: string) => void;

/** The one way operators' cells get registered: under `id` (or `id/part`) in `cells`. */
export function declareIn(cells: CellRegistry, id: string): DeclareCell {
  return (cell, part) => cells.register(part === undefined ? id : `${id}/${part}`, cell);
}

/** Registers nothing: planning passes that build operators only to check them (or learn their schema). */
export const DISCARDED_CELLS: CellRegistry = { register() {}, unregister() {} };
