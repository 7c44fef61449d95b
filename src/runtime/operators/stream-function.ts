// The stream-function contract (`from S#name(…)`): stream processors that pass
// events on, possibly adding attributes (pol2Cart, str:tokenize) or holding
// them back (reorder:kslack). Registered in stream-functions.ts.

import type { AttributeSchema } from '../schema.js';
import type { Logger } from '../logger.js';
import type { Linked } from '../processor.js';
import type { WindowArg, WindowContext } from './window.js';

export interface StreamFunctionContext extends WindowContext {
  /** Where #log writes. */
  readonly logger: Logger;
  /** The app's name (the reference prefixes log lines with it). */
  readonly appName: string;
}

/** What a stream function is planned with: its context without an instance's clock, cells and log channel. */
export type StreamFunctionPlanning = Omit<StreamFunctionContext, 'scheduler' | 'declare' | 'logger' | 'appName'>;

/** An instance's part of the context: its clock, where the operator declares its cell, and where #log writes. */
export type StreamFunctionInstance = Pick<StreamFunctionContext, 'scheduler' | 'declare' | 'logger' | 'appName'>;

/** A stream function checked once: the attributes it adds, and its operator made per instance. */
export interface PlannedStreamFunction {
  /** Attributes appended to each event, in order. */
  readonly added: readonly AttributeSchema[];
  build(inst: StreamFunctionInstance): Linked;
}

export interface StreamFunctionKind {
  readonly name: string;
  readonly signature: string;
  /** Throws SiddhiPlanError on invalid arguments. */
  plan(args: readonly WindowArg[], ctx: StreamFunctionPlanning): PlannedStreamFunction;
}
