// A reader that takes one event as (timestamp, row) without an event object:
// fused query kernels implement it, junctions and input handlers call it.

import type { StreamEvent } from '../event.js';
import type { Processor } from '../processor.js';
import type { GeneratedStep } from './generate-step.js';

export interface RowReader extends Processor<StreamEvent> {
  /**
   * One CURRENT event. `data` may be the sender's own array, lent for the
   * call: keep a copy of anything held after returning, never the array.
   */
  acceptRow(timestamp: number, data: unknown[]): void;
  /** Set when acceptRow is a generated step: input handlers inline it into their own generated send(). */
  readonly generated?: GeneratedStep | undefined;
}
