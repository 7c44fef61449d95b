// The lookup contract of joins, `in` conditions, table writes and on-demand
// queries: a store (window, named window, table) the planner compiles a find
// condition against (plan/compile-find.ts), and the probe row it evaluates.

import type { Row, StreamEvent } from '../../event.js';
import { EventQueue } from '../../event-queue.js';

/** Rows a condition can be matched against. Visited rows are stable events (safe to keep). */
export interface Findable {
  scan(visit: (row: StreamEvent) => void): void;
  /**
   * The rows as columns, when the store keeps them so (windows over an
   * EventQueue): a find then reads one attribute per row and materialises
   * only the candidates.
   */
  columns?(): Columns | undefined;
}

export interface Columns {
  readonly length: number;
  /** Attribute `attr` of row i, without materialising the row. */
  valueAt(i: number, attr: number): unknown;
  /** Row i as a new event. */
  at(i: number): StreamEvent;
}

/**
 * What a compiled find condition reads: the probing row (a stream event, a
 * join row, a selector output) and the stored row under test. One probe object
 * is reused per compiled condition; both fields are set before each test.
 */
export class Probe {
  row: Row | undefined = undefined;
  stored: StreamEvent | undefined = undefined;
}

/** Finds the stored rows that match a probing row; compiled once per condition. */
export type Finder = (row: Row | undefined, visit: (stored: StreamEvent) => void) => void;

/** A window's contents as a Findable. */
export function findableOf(contents: () => Iterable<StreamEvent>): Findable {
  return {
    scan(visit) {
      for (const e of contents()) visit(e);
    },
    columns() {
      const c = contents();
      return c instanceof EventQueue ? c : undefined;
    },
  };
}

/** A side that keeps nothing (a stream without a window). */
export const EMPTY_FINDABLE: Findable = { scan() {} };
