// A reader that takes one event as (timestamp, row) without an event object:
// fused query kernels implement it, junctions and input handlers call it.

import type { StreamEvent } from '../event.js';
import type { Processor } from '../processor.js';

export interface RowReader extends Processor<StreamEvent> {
  /**
   * One CURRENT event. `data` may be the sender's own array, lent for the
   * call: keep a copy of anything held after returning, never the array.
   */
  acceptRow(timestamp: number, data: unknown[]): void;
}
