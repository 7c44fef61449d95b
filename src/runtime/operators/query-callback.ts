// Taps a query's output (after selection and rate limiting) for query
// callbacks: `(timestamp, inEvents, removeEvents)` as in the reference API.
// Stateless; costs one length check per chunk when nobody listens.

import type { StreamEvent } from '../event.js';
import type { Event } from '../junction.js';
import { toCallbackEvents } from '../junction.js';
import { NOWHERE, Pipe, type Processor } from '../processor.js';

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

  /**
   * The tap a partition instance's copy of the query delivers through, to
   * `next`: this one (the query's, shared) while every instance writes to the
   * same `next` (an outer stream or table), else one of its own sharing the
   * callbacks (an instance's `#inner` stream).
   */
  forInstance(next: Processor): QueryCallbackTap {
    if (this.next === NOWHERE) this.next = next;
    if (this.next === next) return this;
    const own = new QueryCallbackTap(this.queryName, this.reportError);
    own.callbacks = this.callbacks;
    own.next = next;
    return own;
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
