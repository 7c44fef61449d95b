// The plan context of one partition instance: the app's context, except that
// outer streams and named windows are seen through per-instance views (fed by
// the partition), cells and timers belong to the instance, and `#inner`
// streams are its own. Called by plan-partition.ts for each key.

import type { StreamJunction } from '../runtime/junction.js';
import { NamedWindowOutput, type NamedWindow } from '../runtime/operators/named-window.js';
import { InstanceJunction } from '../runtime/operators/partition/instance-junction.js';
import type { StreamEvent } from '../runtime/event.js';
import type { Scheduler } from '../runtime/clock.js';
import type { CellRegistry } from '../runtime/instance.js';
import type { PlanContext } from './plan-context.js';

/**
 * A map that shows `base` through views made on first look-up; writes go to
 * `base` (a query defining a new outer output stream defines it for the app).
 * The views are the map's own entries (one table per instance, not two).
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

export interface InstanceParts {
  readonly cells: CellRegistry;
  readonly scheduler: Scheduler;
  /** Called when the instance first reads outer stream or named window `name`. */
  readonly onRead: (name: string, deliver: (chunk: StreamEvent[]) => void) => void;
  /** The instance's `#inner` streams; a partition without any shares one empty map among its instances. */
  readonly inner: Map<string, StreamJunction>;
  /** The app's streams and windows, where the instance writes (one object per partition). */
  readonly outer: NonNullable<PlanContext['outer']>;
}

/** Instances register no query taps: the partition's own taps share their callbacks. */
const NO_QUERIES: PlanContext['queries'] = new Map();

export function createInstanceContext(app: PlanContext, parts: InstanceParts): PlanContext {
  const junctions = new OverlayMap<StreamJunction>(app.junctions, (name, outer) => {
    const view: InstanceJunction = new InstanceJunction(outer, app.report, () => parts.onRead(name, (c) => view.feed(c)));
    return view;
  });
  // Without named windows in the app there is nothing to view (a map per key saved).
  const windows = app.windows.size === 0 ? app.windows : new OverlayMap<NamedWindow>(app.windows, (name, w) => {
    const output = new NamedWindowOutput('all');
    let read = false;
    const subscribe = output.subscribe.bind(output);
    output.subscribe = (reader) => {
      if (!read) {
        read = true;
        parts.onRead(name, (c) => output.process(c));
      }
      subscribe(reader);
    };
    return { ...w, output };
  });
  return {
    scheduler: parts.scheduler,
    cells: parts.cells,
    junctions,
    windows,
    tables: app.tables,
    inputStreams: app.inputStreams,
    onStart: [],
    queries: NO_QUERIES,
    report: app.report,
    inner: parts.inner,
    outer: parts.outer,
    ...(app.logger ? { logger: app.logger } : {}),
    ...(app.appName !== undefined ? { appName: app.appName } : {}),
  };
}
