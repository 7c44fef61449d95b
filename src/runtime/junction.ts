// A stream junction: where one stream's chunks fan out to the queries that
// read it and to user callbacks. Readers see every event as CURRENT; callbacks
// see the type the producing query emitted.

import type { StreamEvent } from './event.js';
import { CURRENT, EXPIRED } from './event.js';
import type { Processor } from './processor.js';
import type { StreamSchema } from './schema.js';

/** The event shape handed to user callbacks. */
export interface Event {
  readonly timestamp: number;
  readonly data: readonly unknown[];
  readonly isExpired: boolean;
}

export type StreamCallback = (events: Event[]) => void;

export class StreamJunction implements Processor<StreamEvent> {
  private readers: Processor<StreamEvent>[] = [];
  private callbacks: StreamCallback[] = [];

  constructor(
    readonly schema: StreamSchema,
    private readonly reportError: (error: unknown, where: string) => void,
  ) {}

  subscribe(reader: Processor<StreamEvent>): void {
    this.readers.push(reader);
  }

  addCallback(cb: StreamCallback): void {
    this.callbacks.push(cb);
  }

  removeCallbacks(): void {
    this.callbacks = [];
  }

  process(chunk: StreamEvent[]): void {
    if (chunk.length === 0) return;
    if (this.callbacks.length > 0) this.deliver(chunk);
    for (let i = 0; i < chunk.length; i++) if (chunk[i]!.type === EXPIRED) chunk[i]!.type = CURRENT;
    const readers = this.readers;
    for (let i = 0; i < readers.length; i++) readers[i]!.process(chunk);
  }

  private deliver(chunk: StreamEvent[]): void {
    const events: Event[] = new Array(chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      const e = chunk[i]!;
      events[i] = { timestamp: e.timestamp, data: e.data, isExpired: e.type === EXPIRED };
    }
    for (const cb of this.callbacks) {
      try {
        cb(events);
      } catch (err) {
        // A failing user callback must not stop the other readers or corrupt state.
        this.reportError(err, `callback of stream '${this.schema.name}'`);
      }
    }
  }
}
