// The plan context of one partition instance: the app's context, except that
// outer streams and named windows are read through views shared by the
// partition's instances (subscribing to one subscribes the instance being
// built, which its router then feeds), cells and timers belong to the
// instance, and `#inner` streams are its own. Used by plan-partition.ts.

import type { StreamEvent } from '../runtime/event.js';
import type { Scheduler } from '../runtime/clock.js';
import type { CellRegistry } from '../runtime/instance.js';
import { StreamJunction } from '../runtime/junction.js';
import { NamedWindowOutput, type NamedWindow } from '../runtime/operators/named-window.js';
import type { Processor } from '../runtime/processor.js';
import type { PlanContext } from './plan-context.js';
import type { Catalog } from './catalog.js';

/**
 * A map that shows `base` through views made on first look-up; writes go to
 * `base` (a query defining a new outer output stream defines it for the app).
 */
class OverlayMap<V> extends Map<string, V> {
  constructor(
    private readonly base: Map<string, V>,
    private readonly view: (name: string, outer: V) => V,
  ) {
    super();
  }

  override get(name: string): V | undefined {
    const v = super.get(name);
    if (v !== undefined) return v;
    const outer = this.base.get(name);
    if (outer === undefined) return undefined;
    const made = this.view(name, outer);
    super.set(name, made);
    return made;
  }

  override has(name: string): boolean {
    return this.base.has(name);
  }

  override set(name: string, value: V): this {
    this.base.set(name, value);
    return this;
  }

  override keys(): MapIterator<string> {
    return this.base.keys();
  }
}

/** Called when the instance being built subscribes `reader` to outer stream or named window `name`. */
export type OnRead = (name: string, reader: Processor<StreamEvent>) => void;

/** An outer stream as the instance being built sees it: reading subscribes the instance; writing goes to the stream. */
class ReadView extends StreamJunction {
  constructor(
    private readonly outer: StreamJunction,
    report: (error: unknown, where: string) => void,
    private readonly onRead: OnRead,
  ) {
    super(outer.schema, report);
  }

  override subscribe(reader: Processor<StreamEvent>): void {
    this.onRead(this.schema.name, reader);
  }

  override process(chunk: StreamEvent[]): void {
    this.outer.process(chunk);
  }
}

class WindowReadView extends NamedWindowOutput {
  constructor(
    private readonly name: string,
    private readonly onRead: OnRead,
  ) {
    super('all');
  }

  override subscribe(reader: Processor<StreamEvent>): void {
    this.onRead(this.name, reader);
  }
}

/** The partition's views of the app's streams and named windows, shared by its instances. */
export interface ReadViews {
  readonly junctions: Map<string, StreamJunction>;
  readonly windows: Map<string, NamedWindow>;
}

export function createReadViews(app: PlanContext, onRead: OnRead): ReadViews {
  return {
    junctions: new OverlayMap<StreamJunction>(app.junctions, (_name, outer) => new ReadView(outer, app.report, onRead)),
    windows: new OverlayMap<NamedWindow>(app.windows, (name, w) => ({ ...w, output: new WindowReadView(name, onRead) })),
  };
}

export interface InstanceParts {
  /** What the partition's queries plan against (one object per partition). */
  readonly catalog: Catalog;
  readonly cells: CellRegistry;
  readonly scheduler: Scheduler;
  readonly views: ReadViews;
  /** The instance's `#inner` streams; a partition without any shares one empty map among its instances. */
  readonly inner: Map<string, StreamJunction>;
  /** The app's streams and windows, where the instance writes (one object per partition). */
  readonly outer: NonNullable<PlanContext['outer']>;
}

/** Instances register no query taps: the partition's own taps share their callbacks. */
const NO_QUERIES: PlanContext['queries'] = new Map();

/** Lives while the instance's operators are built; they keep only what they need of it. */
export function createInstanceContext(app: PlanContext, parts: InstanceParts): PlanContext {
  return {
    catalog: parts.catalog,
    scheduler: parts.scheduler,
    cells: parts.cells,
    junctions: parts.views.junctions,
    windows: parts.views.windows,
    tables: app.tables,
    aggregations: app.aggregations,
    inputStreams: app.inputStreams,
    onStart: [],
    queries: NO_QUERIES,
    report: app.report,
    inner: parts.inner,
    outer: parts.outer,
    // Fields, not spreads: one hidden class for every instance's context.
    logger: app.logger,
    appName: app.appName,
  };
}
