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
  /**
   * What acceptRow does, as a generated step's source, when the reader has
   * one: input handlers inline it into their own generated send(), a
   * partition key compiles it. acceptRow itself may still be interpreted
   * (routers, patterns) or be the step made on the first row (kernels).
   */
  readonly generated?: StepSource | undefined;
}

/**
 * A step as the body of `function (env) { … return step; }` and the env it
 * reads: a kernel's GeneratedStep, a partition router's (operators/partition/routers.ts)
 * or a pattern's (operators/pattern/pattern-step.ts).
 */
export interface StepSource {
  readonly source: string;
  readonly env: unknown;
}

/**
 * SIDDHI_KERNELS=off: nothing is fused and no operator takes rows, so the
 * interpreted conformance run (test/conformance/interpreted*.test.ts) checks
 * every operator's event path against the same cases as the row paths.
 */
export function rowsOff(): boolean {
  return typeof process !== 'undefined' && process.env.SIDDHI_KERNELS === 'off';
}
