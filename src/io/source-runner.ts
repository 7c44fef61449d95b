// One @source of one stream at run time: payload → mapper → input handler,
// a payload's events as one chunk. A payload that does not map, or an event
// the stream refuses, is reported with the source and the reason and skipped;
// the rest of the payload goes on. A query failing on the chunk drops it all,
// as for any chunk (the junction's fault handling).
// With @OnError(action='STREAM') a payload that does not map goes to `!S`.

import { SiddhiEventError } from '../errors.js';
import type { InputHandler } from '../runtime/input-handler.js';
import type { Delivery, MappedEvent, TransportProperties } from './contract.js';

export interface SourceRunnerOptions {
  /** e.g. "source 'http' of stream 'S'" */
  readonly where: string;
  readonly stream: string;
  readonly map: (payload: unknown, transport?: TransportProperties) => MappedEvent[];
  readonly input: () => InputHandler;
  readonly report: (error: unknown, where: string) => void;
  /** Set when the stream has @OnError(action='STREAM'): takes a payload that does not map instead of `report`. */
  readonly unmapped?: (error: SiddhiEventError) => void;
  /** Counts payloads and events (metrics). */
  readonly onDelivered?: (accepted: number, failed: number) => void;
}

export function createDeliver(o: SourceRunnerOptions): (payload: unknown, transport?: TransportProperties) => Delivery {
  return (payload, transport) => {
    let events: MappedEvent[];
    try {
      events = o.map(payload, transport);
    } catch (e) {
      const reason = unmappable(e);
      o.onDelivered?.(0, 1);
      return { accepted: 0, errors: [reason] };
    }
    const input = o.input();
    const errors: string[] = [];
    const mapped: MappedEvent[] = [];
    const positions: number[] = [];
    events.forEach((e, i) => {
      if (e.error !== undefined) {
        errors.push(unmappable(e.error));
        return;
      }
      mapped.push(e);
      positions.push(i);
    });
    // The payload's events go in as one chunk, as the reference's mappers send them (an aggregation emits once for them);
    // a payload of one event, the usual one, takes send()'s fast path (a one-event chunk all the same).
    let accepted = mapped.length;
    try {
      if (events.length === 1 && mapped.length === 1) input.send(mapped[0]!.data, mapped[0]!.timestamp);
      else {
        input.sendBatch(mapped, undefined, (err, i) => {
          accepted--;
          refuse(new SiddhiEventError(`${err.message} (event ${positions[i]! + 1} of ${events.length} in the payload)`, { stream: o.stream, cause: err }));
        });
      }
    } catch (err) {
      accepted = 0;
      refuse(err);
    }
    o.onDelivered?.(accepted, errors.length);
    return { accepted, errors };

    function refuse(err: unknown): void {
      const reason = (err as Error).message;
      errors.push(reason);
      o.report(new SiddhiEventError(`${o.where}: ${reason}`, { stream: o.stream, cause: err }), o.where);
    }
  };

  /** Reports a payload (or one event of it) that did not map, to the fault stream when there is one. */
  function unmappable(e: unknown): string {
    const reason = `payload does not map: ${(e as Error).message}`;
    const error = new SiddhiEventError(`${o.where}: ${reason}`, { stream: o.stream, cause: e });
    if (o.unmapped) o.unmapped(error);
    else o.report(error, o.where);
    return reason;
  }
}
