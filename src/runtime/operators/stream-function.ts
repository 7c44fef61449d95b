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

export interface PlannedStreamFunction {
  readonly stage: Linked;
  /** Attributes appended to each event, in order. */
  readonly added: readonly AttributeSchema[];
}

export interface StreamFunctionKind {
  readonly name: string;
  readonly signature: string;
  /** Throws SiddhiPlanError on invalid arguments. */
  create(args: readonly WindowArg[], ctx: StreamFunctionContext): PlannedStreamFunction;
}
