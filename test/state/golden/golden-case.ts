// The shape of a golden checkpoint case (<name>.json beside <name>.sdck or a
// FileStore directory <name>/), and how its steps are applied. Shared by
// make-golden.ts (writes them) and golden.test.ts (only reads them).

import type { SiddhiAppRuntime } from '../../../src/index.js';

export type GoldenStep =
  | { readonly stream: string; readonly time: number; readonly data: readonly unknown[] }
  | { readonly time: number };

/** [stream, timestamp, data, expired] */
export type OutputRow = readonly [string, number, readonly unknown[], boolean];

export interface GoldenCase {
  readonly description: string;
  /** The exact app text: its fingerprint is in the checkpoint. */
  readonly app: string;
  readonly compression: string;
  /** A snapshot file, or a FileStore directory whose newest revision is `revision`. */
  readonly checkpoint: { readonly file: string } | { readonly store: string; readonly revision: string };
  /** The steps that led to the checkpoint (documentation; not replayed by the test). */
  readonly before: readonly GoldenStep[];
  /** Set when the `before` steps (this many) were left out of the file (make-golden.ts omitBefore): the description says what they were. */
  readonly beforeOmitted?: number;
  /** Sent after the restore. */
  readonly after: readonly GoldenStep[];
  /** Output of every stream but the input stream for the `after` steps. */
  readonly expected: readonly OutputRow[];
}

export const INPUT_STREAM = 'Trades';

export function applyStep(rt: SiddhiAppRuntime, step: GoldenStep): void {
  if ('stream' in step) rt.getInputHandler(step.stream).send([...step.data], step.time);
  else rt.advanceTime(step.time);
}

/** Records every output stream (all but the input stream) as rows. */
export function recordOutput(rt: SiddhiAppRuntime, into: OutputRow[]): void {
  for (const stream of rt.streamNames) {
    if (stream === INPUT_STREAM) continue;
    rt.addCallback(stream, (events) => {
      for (const e of events) into.push([stream, e.timestamp, [...e.data], e.isExpired]);
    });
  }
}
