// Builds an app's planned definitions in the app instance: the junctions of its
// streams, fault-stream wiring, named windows and triggers (plan/plan-app.ts
// plans them; build-app.ts calls these for the plan's steps).

import type { OutputEventType } from '../ast/index.js';
import { assertNever, messageOf } from '../errors.js';
import type { Scheduler } from './clock.js';
import type { CronExpression } from './cron/cron-expression.js';
import { CronTrigger } from './operators/cron-trigger.js';
import { CURRENT, StreamEvent } from './event.js';
import type { CellSignature, DeclareCell, InstanceScope } from './instance.js';
import { StreamJunction } from './junction.js';
import { NamedWindowOutput, type NamedWindow } from './operators/named-window.js';
import { fireStartTrigger, PeriodicTrigger } from './operators/trigger.js';
import type { Window } from './operators/window.js';
import type { StreamSchema } from './schema.js';

/** `define stream S` with @OnError(action='STREAM'): S's failed chunks go to its fault stream `!S`. */
export interface FaultBlueprint {
  readonly kind: 'fault';
  readonly stream: string;
  readonly to: string;
}

/** `define window W (…) kind(args) output …`: writers insert through its junction, readers read its output. */
export interface NamedWindowBlueprint {
  readonly kind: 'window';
  readonly name: string;
  /** The catalog's schema of W, the input junction's. */
  readonly schema: StreamSchema;
  readonly output: OutputEventType;
  /** `W:window.<kind>`. */
  readonly id: string;
  readonly signature: CellSignature;
  /** Makes the window in an instance: expressions reading the clock read `scheduler`; its cell goes through `declare`. */
  create(scheduler: Scheduler, declare: DeclareCell): Window;
}

export type TriggerAt =
  | { readonly kind: 'start' }
  | { readonly kind: 'every'; readonly millis: number }
  | { readonly kind: 'cron'; readonly cron: CronExpression };

/** `define trigger`: its stream is a catalog stream; periodic and cron triggers keep a cell `<name>:trigger`. */
export interface TriggerBlueprint {
  readonly kind: 'trigger';
  readonly name: string;
  readonly at: TriggerAt;
  readonly signature: CellSignature;
}

/** What an app defines besides streams, in source order. */
export type DefinitionBlueprint = FaultBlueprint | NamedWindowBlueprint | TriggerBlueprint;

/** The app instance, with its junctions and named windows (an instance only reads and writes them through `read`, `readWindow` and `writer`). */
type AppScope = InstanceScope & { readonly junctions: Map<string, StreamJunction>; readonly windows: Map<string, NamedWindow> };

/** Makes the junctions of the new streams `streams` in `app`, in order. */
export function buildJunctions(streams: readonly StreamSchema[], app: AppScope): void {
  for (const schema of streams) app.junctions.set(schema.name, new StreamJunction(schema, app.report));
}

/** Builds one definition in `app`, whose junctions exist (buildJunctions). */
export function buildDefinition(bp: DefinitionBlueprint, app: AppScope): void {
  switch (bp.kind) {
    case 'fault': {
      const to = app.junctions.get(bp.to)!;
      app.junctions.get(bp.stream)!.onFault = (chunk, error) => to.process(chunk.map((e) => new StreamEvent(e.timestamp, [...e.data, messageOf(error)], CURRENT)));
      return;
    }
    case 'window':
      buildNamedWindow(bp, app);
      return;
    case 'trigger':
      buildTrigger(bp, app);
      return;
    default:
      assertNever(bp, 'definition');
  }
}

/** In the order planning used to make them: the input junction, the window (its cell), the output, the subscription. */
function buildNamedWindow(bp: NamedWindowBlueprint, app: AppScope): void {
  const input = new StreamJunction(bp.schema, app.report);
  const window = bp.create(app.scheduler, (cell, part) => app.cells.register(part === undefined ? bp.id : `${bp.id}/${part}`, cell, bp.signature));
  const output = new NamedWindowOutput(bp.output);
  window.next = output;
  input.subscribe(window);
  app.windows.set(bp.name, { name: bp.name, input, window, output });
}

function buildTrigger(bp: TriggerBlueprint, app: AppScope): void {
  const { scheduler } = app;
  const junction = app.junctions.get(bp.name)!;
  const declare: DeclareCell = (cell) => app.cells.register(`${bp.name}:trigger`, cell, bp.signature);
  const at = bp.at;
  switch (at.kind) {
    case 'start':
      app.onStart.push(() => fireStartTrigger(scheduler, junction));
      return;
    case 'every': {
      const trigger = new PeriodicTrigger(at.millis, scheduler, junction, declare);
      app.onStart.push(() => trigger.start());
      return;
    }
    case 'cron': {
      const trigger = new CronTrigger(at.cron, scheduler, junction, declare);
      app.onStart.push(() => trigger.start());
      return;
    }
    default:
      assertNever(at, 'trigger');
  }
}
