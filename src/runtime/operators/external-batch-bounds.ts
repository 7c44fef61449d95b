// Batch boundaries shared by the externalTimeBatch windows (core and unique:),
// which step through event time rather than the clock.

/** The scalar state both keep in their cell. */
export interface ExternalBatchFields {
  start: number;
  /** End of the running batch in attribute time; -1 before the first event. */
  end: number;
  /** Largest attribute time seen. */
  last: number;
  /** The running batch was already emitted by a timeout. */
  flushed: boolean;
  /** Due time of the timeout chain (engine clock). */
  due: number;
}

/** The end of the batch that holds `ts`, for batches of `duration` aligned on `start`. */
export function batchEndAfter(ts: number, start: number, duration: number): number {
  return ts + (duration - ((ts - start) % duration));
}

/** Next due time of a timeout chain after `now` (advancing `f.due`), skipping the ticks that had nothing to do. */
export function chainDueAfter(f: ExternalBatchFields, now: number, timeout: number): number {
  if (f.due > now) return f.due;
  f.due += (Math.floor((now - f.due) / timeout) + 1) * timeout;
  return f.due;
}
