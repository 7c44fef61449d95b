// One input-log entry: a batch of events for one partition plus the router's
// watermark. Each event may carry the clock the single-process run had reached
// before it (events of other partitions moved it), so the partition's runtime
// fires the same timers before it; the watermark is the clock after the batch.
// Written by router.ts, read by partition-runner.ts.

/** [stream, time, data] or [stream, time, data, clock before the event]. */
export type BatchEvent = [stream: string, time: number, data: unknown[], clock?: number];

export interface Batch {
  readonly events: readonly BatchEvent[];
  /** The router's clock when the batch was cut: every later event of any partition is at or after it. */
  readonly watermark: number | undefined;
}

export function encodeBatch(batch: Batch): string {
  return JSON.stringify(batch.watermark === undefined ? { e: batch.events } : { e: batch.events, w: batch.watermark });
}

export function decodeBatch(body: string): Batch {
  const raw = JSON.parse(body) as { e: BatchEvent[]; w?: number };
  return { events: raw.e, watermark: raw.w };
}

/** FNV-1a over the key's UTF-16 units: stable across processes and versions, unlike any runtime hash. */
export function partitionOf(key: string, partitions: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % partitions;
}
