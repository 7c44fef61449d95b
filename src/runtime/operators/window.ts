// The window contract shared by every window operator and by the planner:
// what a window gets at plan time (typed arguments, clock, where its cell goes) and
// what it offers (a processor for chunks, its contents for joins).

import type { AttributeType } from '../../ast/index.js';
import type { Location } from '../../ast/index.js';
import type { Scheduler } from '../clock.js';
import type { DeclareCell } from '../instance.js';
import type { StreamEvent } from '../event.js';
import type { Processor } from '../processor.js';
import type { ConditionCompiler } from './window-condition.js';

/**
 * One planned window argument. `constant` arguments carry their value (time
 * literals are longs of milliseconds); others are read per event with `get`.
 * `attribute` is set when the argument is a plain attribute reference.
 */
export interface WindowArg {
  readonly type: AttributeType;
  readonly constant: boolean;
  readonly value?: unknown;
  readonly get: (e: StreamEvent) => unknown;
  readonly attribute?: { readonly name: string; readonly index: number };
  readonly loc: Location;
}

export interface WindowContext {
  /** Stable state id, e.g. `q1/0:window.length` or `W:window.time` for named windows. */
  readonly id: string;
  readonly scheduler: Scheduler;
  /** Where the window declares its cell (under `id`): the planner registers it. */
  readonly declare: DeclareCell;
  /** The input schema (attribute names and types), for windows that need it. */
  readonly attributes: readonly { readonly name: string; readonly type: AttributeType }[];
  /** For error messages: "query 'q1'", "window 'W'". */
  readonly element: string;
  /** Where the window call is written: errors that no argument can locate (too few) point here. */
  readonly loc?: { readonly line: number; readonly column: number };
  /** Compiles a SiddhiQL condition over [event, first, last] (expression windows), reading this instance's clock. */
  readonly compileCondition?: ConditionCompiler;
  /** The window runs once per partition key: its storage starts small (EventQueue's `small`). */
  readonly perKey?: boolean;
}

/** A running window: receives chunks of CURRENT (and TIMER-free) events, emits chunks downstream. */
export interface Window extends Processor<StreamEvent> {
  next: Processor;
  /** Events currently held (for joins, named-window readers and `output snapshot`). */
  contents(): Iterable<StreamEvent>;
}

/**
 * What a window call is planned with: its context less an instance's clock,
 * cell registry and condition compiler; `checkCondition` reports a condition's
 * plan errors (the instance compiles it again, linked to its clock).
 */
export type WindowPlanContext = Omit<WindowContext, 'scheduler' | 'declare' | 'compileCondition'> & {
  readonly checkCondition?: (text: string) => void;
};

/** Builds one window of a planned call in an instance (the app, or one partition key). */
export type WindowFactory = (ctx: WindowContext) => Window;

/** A registry entry: validates arguments at plan time and builds the operator. */
export interface WindowKind {
  readonly name: string;
  /** Parameter signature as documented in the README, e.g. "length(n int)". */
  readonly signature: string;
  /**
   * Checks the arguments, throwing SiddhiPlanError (from src/errors.ts) on invalid
   * ones, before any window exists: `siddhi check` plans without building windows.
   */
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory;
}
