// Where a fused query kernel sends its rows: the query's callback tap and,
// behind it, the output target. A row nobody else watches goes straight to
// the target junction (no event, no chunk); anything else takes the usual path.

import { type EventType, rowEvents, StreamEvent } from '../event.js';
import { callbackEvent, StreamJunction } from '../junction.js';
import type { QueryCallbackTap } from '../operators/query-callback.js';

export class KernelOutput {
  /** The target stream, when the query inserts into one. */
  readonly junction: StreamJunction | undefined;
  /** For generated steps, which make the sole callback's event themselves (generate-step.ts). */
  readonly event = callbackEvent;

  constructor(readonly tap: QueryCallbackTap) {
    this.junction = tap.next instanceof StreamJunction ? tap.next : undefined;
  }

  /** One output event whose `data` the kernel just made and keeps no reference to. */
  row(timestamp: number, data: unknown[], type: EventType): void {
    if (this.junction !== undefined && !this.tap.listening) this.junction.processRow(timestamp, data, type);
    else this.tap.process([new StreamEvent(timestamp, data, type)]);
  }

  /** Output events of one chunk, of one timestamp and type, whose `data` the kernel just made and keeps no reference to. */
  rows(timestamp: number, rows: unknown[][], type: EventType): void {
    if (this.junction !== undefined && !this.tap.listening) {
      this.junction.processRows(timestamp, rows, type);
      return;
    }
    this.tap.process(rowEvents(timestamp, rows, type));
  }

  /** An output chunk, as the selector would emit it. */
  chunk(events: StreamEvent[]): void {
    this.tap.process(events);
  }
}
