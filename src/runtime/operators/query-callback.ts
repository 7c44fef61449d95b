// Taps a query's output (after selection and rate limiting) for query
// callbacks: `(timestamp, inEvents, removeEvents)` as in the reference API.
// Stateless; costs one length check per chunk when nobody listens.

import type { StreamEvent } from '../event.js';
import type { Event } from '../junction.js';
import { toCallbackEvents } from '../junction.js';
import { Pipe } from '../processor.js';

/**
 * Called with each output chunk of one query, split into current and expired events.
 *
 * @example
 * runtime.addQueryCallback('q1', (timestamp, inEvents, removeEvents) => console.log(timestamp, inEvents.length, removeEvents.length));
 */
export type QueryCallback = (timestamp: number, inEvents: Event[], removeEvents: Event[]) => void;

export class QueryCallbackTap extends Pipe<StreamEvent> {
  private callbacks: QueryCallback[] = [];

  constructor(
    readonly queryName: string,
    private readonly reportError: (error: unknown, where: string) => void,
  ) {
    super();
  }

  add(cb: QueryCallback): void {
    this.callbacks.push(cb);
  }

  /** Whether any query callback is added (kernels then hand it events). */
  get listening(): boolean {
    return this.callbacks.length > 0;
  }

  clear(): void {
    this.callbacks.length = 0;
  }

  /** Partition instances of one query deliver to the callbacks added to the query's shared tap. */
  shareCallbacks(shared: QueryCallbackTap): void {
    this.callbacks = shared.callbacks;
  }

  process(chunk: StreamEvent[]): void {
    if (this.callbacks.length > 0 && chunk.length > 0) this.deliver(chunk);
    this.next.process(chunk);
  }

  private deliver(chunk: StreamEvent[]): void {
    const timestamp = chunk[chunk.length - 1]!.timestamp;
    for (const cb of this.callbacks) {
      const inEvents: Event[] = [];
      const removeEvents: Event[] = [];
      for (const e of toCallbackEvents(chunk)) (e.isExpired ? removeEvents : inEvents).push(e);
      try {
        cb(timestamp, inEvents, removeEvents);
      } catch (err) {
        this.reportError(err, `callback of query '${this.queryName}'`);
      }
    }
  }
}
