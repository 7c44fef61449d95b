// The operator contract: take a chunk, push results to the next operator.
// Planning wires processors into chains; the hot path only calls `process`.

import type { Row } from './event.js';

export interface Processor<T extends Row = Row> {
  process(chunk: T[]): void;
}

/** An operator that has a successor set during planning. */
export interface Linked<T extends Row = Row> extends Processor<T> {
  next: Processor;
}

/** Drops everything; the successor of an operator until planning links it. */
export const NOWHERE: Processor = { process() {} };
