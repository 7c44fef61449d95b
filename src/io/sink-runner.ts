// One @sink of one stream at run time: output chunk → mapper → publish, with
// on.error: 'LOG' reports and drops, 'WAIT' retries with back-off and keeps
// the order (later payloads queue behind), 'STREAM' sends the events to the
// fault stream `!S` with the error.

import type { Event } from '../runtime/junction.js';
import type { Sink } from './contract.js';

export type SinkOnError = 'LOG' | 'WAIT' | 'STREAM';
export const SINK_ON_ERROR: readonly SinkOnError[] = ['LOG', 'WAIT', 'STREAM'];

export interface SinkRunnerOptions {
  readonly where: string;
  readonly sink: Sink;
  readonly map: (events: readonly Event[], group?: boolean) => unknown[];
  readonly onError: SinkOnError;
  /** Map and publish each event of a chunk on its own (SinkKind.perEvent). */
  readonly perEvent?: boolean;
  /** Map and publish a chunk's events in groups of one key (Sink.groupBy). */
  readonly groupBy?: (event: Event) => string;
  readonly report: (error: unknown, where: string) => void;
  /** on.error='STREAM': the events whose publish failed, with the reason. */
  readonly toFaultStream?: (events: readonly Event[], error: Error) => void;
  /** WAIT: first and longest pause between attempts (ms). */
  readonly backoff?: { readonly first: number; readonly max: number };
}

export class SinkRunner {
  /** WAIT: payloads in order, the head being published or waiting for its retry. */
  private waiting: { payload: unknown; events: readonly Event[] }[] = [];
  private draining = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly o: SinkRunnerOptions) {}

  /** The stream callback. */
  readonly receive = (events: Event[]): void => {
    if (this.o.perEvent && events.length > 1) {
      for (const e of events) this.receive([e]);
      return;
    }
    if (this.o.groupBy && events.length > 1) {
      const groups = new Map<string, Event[]>();
      for (const e of events) {
        const key = this.o.groupBy(e);
        const group = groups.get(key);
        if (group) group.push(e);
        else groups.set(key, [e]);
      }
      if (groups.size > 1) {
        // Each group is mapped as the reference maps an Event[], even a group of one (SinkMapper.mapAndSend).
        for (const group of groups.values()) this.mapAndPublish(group, true);
        return;
      }
    }
    this.mapAndPublish(events, false);
  };

  private mapAndPublish(events: readonly Event[], group: boolean): void {
    let payloads: unknown[];
    try {
      payloads = this.o.map(events, group);
    } catch (e) {
      this.fail(events, e);
      return;
    }
    if (this.o.onError === 'WAIT') {
      for (const payload of payloads) this.waiting.push({ payload, events });
      if (!this.draining) void this.drain(this.o.backoff?.first ?? 100);
      return;
    }
    for (const payload of payloads) this.publish(payload, events);
  }

  start(): void {
    this.stopped = false;
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.waiting.length > 0) this.o.report(new Error(`${this.waiting.length} payload(s) not published at shutdown`), this.o.where);
    this.waiting = [];
    this.draining = false;
  }

  private publish(payload: unknown, events: readonly Event[]): void {
    let result: void | Promise<void>;
    try {
      result = this.o.sink.publish(payload, events);
    } catch (e) {
      this.fail(events, e);
      return;
    }
    if (result && typeof result.then === 'function') result.then(undefined, (e: unknown) => this.fail(events, e));
  }

  /** WAIT: publishes the queue one at a time; a failure pauses it with a doubling delay. */
  private async drain(delay: number): Promise<void> {
    this.draining = true;
    while (this.waiting.length > 0 && !this.stopped) {
      const head = this.waiting[0]!;
      try {
        await this.o.sink.publish(head.payload, head.events);
        this.waiting.shift();
        delay = this.o.backoff?.first ?? 100;
      } catch (e) {
        this.o.report(new Error(`publish failed, retrying in ${delay} ms: ${(e as Error).message ?? e}`), this.o.where);
        const next = Math.min(delay * 2, this.o.backoff?.max ?? 5000);
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          void this.drain(next);
        }, delay);
        return;
      }
    }
    this.draining = false;
  }

  private fail(events: readonly Event[], error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    if (this.o.onError === 'STREAM' && this.o.toFaultStream) {
      try {
        this.o.toFaultStream(events, err);
        return;
      } catch (e) {
        // e.g. the runtime shut down while the publish was failing: report both.
        this.o.report(new Error(`${err.message}; the fault stream refused the events: ${(e as Error).message}`), this.o.where);
        return;
      }
    }
    this.o.report(err, this.o.where);
  }
}
