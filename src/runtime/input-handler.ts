// The front door for events of one input stream: checks the event's shape
// against the schema, moves the clock, and hands a one-event chunk on.

import { SiddhiError, SiddhiEventError, SiddhiRuntimeError } from '../errors.js';
import { CURRENT, StreamEvent } from './event.js';
import type { StreamJunction } from './junction.js';
import { acceptorFor, REJECTED } from './values.js';

export interface InputClock {
  /** Timestamp for an event sent without one, and clock movement before it. */
  stamp(timestamp: number | undefined): number;
}

/**
 * Sends events into one input stream; from `runtime.getInputHandler(name)`.
 *
 * @example
 * runtime.getInputHandler('StockStream').send(['IBM', 75.6, 100], 1000);
 */
export class InputHandler {
  /** Events accepted so far (checkpointed, for exactly-once replay). */
  accepted = 0;
  private readonly accept: ((v: unknown) => unknown)[];

  constructor(
    private readonly junction: StreamJunction,
    private readonly clock: InputClock,
    private readonly isRunning: () => boolean,
  ) {
    this.accept = junction.schema.attributes.map((a) => acceptorFor(a.type));
  }

  get streamName(): string {
    return this.junction.schema.name;
  }

  /** Sends one event; throws SiddhiEventError (and changes nothing) when it does not fit the stream. */
  send(data: readonly unknown[], timestamp?: number): void {
    if (!this.isRunning()) {
      throw new SiddhiEventError(`stream '${this.streamName}': the runtime is not started`, { stream: this.streamName });
    }
    const row = this.validate(data);
    const ts = this.clock.stamp(timestamp);
    this.accepted++;
    try {
      this.junction.process([new StreamEvent(ts, row, CURRENT)]);
    } catch (e) {
      // An operator failed mid-event: say where, instead of surfacing a bare TypeError.
      if (e instanceof SiddhiError) throw e;
      throw new SiddhiRuntimeError(`stream '${this.streamName}': processing an event failed: ${(e as Error).message}`, { cause: e });
    }
  }

  private validate(data: readonly unknown[]): unknown[] {
    const attrs = this.junction.schema.attributes;
    if (!Array.isArray(data)) {
      throw new SiddhiEventError(`stream '${this.streamName}': an event must be an array of ${attrs.length} values`, {
        stream: this.streamName,
      });
    }
    if (data.length !== attrs.length) {
      throw new SiddhiEventError(
        `stream '${this.streamName}' expects ${attrs.length} attributes ${this.junction.schema.describe()}, got ${data.length}`,
        { stream: this.streamName },
      );
    }
    const row = new Array(attrs.length);
    const accept = this.accept;
    for (let i = 0; i < attrs.length; i++) {
      const v = accept[i]!(data[i]);
      if (v === REJECTED) {
        const a = attrs[i]!;
        throw new SiddhiEventError(
          `stream '${this.streamName}', attribute '${a.name}' expects ${a.type}, got ${JSON.stringify(data[i])}`,
          { stream: this.streamName, attribute: a.name },
        );
      }
      row[i] = v;
    }
    return row;
  }
}
