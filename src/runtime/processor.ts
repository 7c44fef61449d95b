// The operator contract: take a chunk, push results to the next operator.
// Planning wires processors into chains; the hot path only calls `process`.
// `Pipe` is the forwarding base of single-input operators; `side` adapts an
// operator with several inputs (joins, patterns) to one processor per input.

import type { Row } from './event.js';

export interface Processor<T extends Row = Row> {
  /**
   * `keys`, when given, holds the group key of each row of `chunk` (a grouped
   * selector passes them on to its rate limiter); other operators ignore it.
   */
  process(chunk: T[], keys?: readonly string[]): void;
}

/** An operator that has a successor set during planning. */
export interface Linked<T extends Row = Row> extends Processor<T> {
  next: Processor;
}

/** Drops everything; the successor of an operator until planning links it. */
export const NOWHERE: Processor = { process() {} };

/** The base of single-input operators: one `process`, one successor, `emit` skips empty output. */
export abstract class Pipe<T extends Row = Row> implements Linked<T> {
  next: Processor = NOWHERE;

  abstract process(chunk: T[], keys?: readonly string[]): void;

  protected emit(out: Row[], keys?: readonly string[]): void {
    if (out.length > 0) this.next.process(out, keys);
  }
}

/** An operator fed by several inputs, told apart by their position. */
export interface MultiInput<T extends Row = Row> {
  process(side: number, chunk: T[]): void;
}

/** The processor feeding input `i` of `op`: what a junction or chain of that input links to. */
export function side<T extends Row>(op: MultiInput<T>, i: number): Processor<T> {
  return { process: (chunk) => op.process(i, chunk) };
}
