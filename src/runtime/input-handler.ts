// The front door for events of one input stream: checks the event's shape
// against the schema, moves the clock, and hands a one-event chunk on (or,
// with a generated kernel as the stream's sole reader, runs a generated send).

import { SiddhiError, SiddhiEventError, SiddhiRuntimeError } from '../errors.js';
import type { Scheduler } from './clock.js';
import { CURRENT, StreamEvent } from './event.js';
import type { StreamJunction } from './junction.js';
import { describeValue } from './describe-value.js';
import { acceptHint, acceptorFor, normalRowCheck, REJECTED } from './values.js';
import { generateSend, type Send } from './kernel/generate-send.js';
import type { RowReader } from './kernel/row-reader.js';

export interface InputClock {
  /** Playback: event timestamps move the clock (a generated send may move it itself). */
  readonly playback: boolean;
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
  /** True for a row whose values are all already in their stored form (it can be lent as it is). */
  private readonly isNormal: (data: readonly unknown[]) => boolean;
  /** The row reader the current send() was generated for. */
  private sendsTo: RowReader | undefined;

  constructor(
    private readonly junction: StreamJunction,
    private readonly clock: InputClock,
    private readonly isRunning: () => boolean,
    private readonly scheduler: Scheduler,
  ) {
    this.accept = junction.schema.attributes.map((a) => acceptorFor(a.type));
    this.isNormal = normalRowCheck(junction.schema.attributes.map((a) => a.type));
  }

  /**
   * Sends one event; throws SiddhiEventError (and changes nothing) when it does not fit the stream.
   * An own property: each stream may get its own generated function (see kernel/generate-send.ts).
   */
  send: Send = (data, timestamp) => this.sendGeneral(data, timestamp);

  get streamName(): string {
    return this.junction.schema.name;
  }

  private sendGeneral(data: readonly unknown[], timestamp?: number): void {
    if (!this.isRunning()) {
      throw new SiddhiEventError(`stream '${this.streamName}': the runtime is not started`, { stream: this.streamName });
    }
    if (!Array.isArray(data)) {
      const event = otherForm(data, timestamp);
      if (event !== undefined) return this.send(event.data, event.timestamp);
    }
    if (this.prepareSend()) {
      this.send(data, timestamp);
      return;
    }
    const direct = this.junction.rowReader;
    // A kernel reader copies what it keeps, so a row needing no normalisation is lent as it is.
    const row = direct !== undefined && this.isNormal(data) ? (data as unknown[]) : this.validate(data);
    if (timestamp !== undefined && !(typeof timestamp === 'number' && Number.isSafeInteger(timestamp))) badTimestamp(timestamp, this.streamName);
    const ts = this.clock.stamp(timestamp);
    this.accepted++;
    this.gate.enter();
    try {
      // Timers fired by stamp() may not change readers, but a lent row must only ever reach a kernel.
      if (direct !== undefined && this.junction.rowReader === direct) this.junction.acceptRow(direct, ts, row);
      else this.junction.process([new StreamEvent(ts, row === data ? row.slice() : row, CURRENT)]);
    } catch (e) {
      throw failedEvent(this.streamName, e);
    } finally {
      this.gate.exit();
    }
  }

  /**
   * Sends events as one chunk, as the reference's `send(Event[])`: every
   * operator sees them together (`batch()` windows take the chunk as a batch;
   * an aggregating query emits once per chunk, per group). Each is a row or an
   * event object `{ timestamp, data }`, or rows with their times in
   * `timestamps` (one per row); one without a timestamp gets the clock's time.
   * In playback the clock first moves to the last time given. A malformed
   * event throws SiddhiEventError naming its position, and none is sent; with
   * `refused`, it is handed there instead and the others are sent (sources do
   * this with a payload of several events, as the reference's mappers do).
   *
   * @example
   * handler.sendBatch([{ timestamp: 1000, data: ['IBM', 75.6, 100] }, { timestamp: 1001, data: ['WSO2', 57.6, 40] }]);
   * handler.sendBatch([['IBM', 75.6, 100], ['WSO2', 57.6, 40]], [1000, 1001]);
   */
  sendBatch(
    events: readonly (readonly unknown[] | BatchEvent)[],
    timestamps?: ArrayLike<number>,
    refused?: (error: SiddhiEventError, index: number) => void,
  ): void {
    if (!this.isRunning()) {
      throw new SiddhiEventError(`stream '${this.streamName}': the runtime is not started`, { stream: this.streamName });
    }
    if (!Array.isArray(events)) {
      throw new SiddhiEventError(`stream '${this.streamName}': sendBatch takes an array of events`, {
        stream: this.streamName,
        hint: 'sendBatch([{ timestamp, data }, …]) or sendBatch([row, …])',
      });
    }
    if (timestamps !== undefined && (typeof timestamps !== 'object' || timestamps === null || timestamps.length !== events.length)) {
      const got = typeof timestamps === 'object' && timestamps !== null ? timestamps.length : 'no array of';
      throw new SiddhiEventError(`stream '${this.streamName}': sendBatch got ${events.length} events and ${got} timestamps`, {
        stream: this.streamName,
        hint: 'one timestamp per row: sendBatch(rows, timestamps)',
      });
    }
    // Everything is checked before the clock moves or any event is sent.
    const rows: unknown[][] = [];
    const times: (number | undefined)[] = [];
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      const form = Array.isArray(e) ? { data: e, timestamp: timestamps?.[i] } : timestamps === undefined ? eventForm(e) : undefined;
      try {
        const row = this.validate(form?.data ?? (e as unknown[]));
        const ts = form?.timestamp;
        if (ts !== undefined && !Number.isSafeInteger(ts)) badTimestamp(ts, this.streamName);
        rows.push(row);
        times.push(ts as number | undefined);
      } catch (err) {
        if (refused === undefined || !(err instanceof SiddhiEventError)) throw atPosition(err, i, events.length);
        refused(err, i);
      }
    }
    if (rows.length === 0) return;
    // The last given time moves the clock (the reference's, whose events all have one); untimed events take the time after it.
    let last: number | undefined;
    for (let i = times.length - 1; i >= 0 && last === undefined; i--) last = times[i];
    this.clock.stamp(last);
    const now = this.scheduler.now();
    const chunk = rows.map((row, i) => new StreamEvent(times[i] ?? now, row, CURRENT));
    this.accepted += chunk.length;
    this.gate.enter();
    try {
      this.junction.process(chunk);
    } catch (e) {
      throw failedEvent(this.streamName, e);
    } finally {
      this.gate.exit();
    }
  }

  /**
   * Generates send() for the stream's sole reader when it has a generated
   * step and none was made for it yet (playback only); true when it did. The
   * runtime calls it at start, so a caller's first send() already reaches the
   * generated one: a caller's call site that saw this default send() and
   * then the generated one is megamorphic, and V8 then never inlines send()
   * into the caller's loop (a call and a boxed timestamp per event).
   */
  prepareSend(): boolean {
    const direct = this.junction.rowReader;
    if (direct === this.sendsTo || direct?.generated === undefined || !this.clock.playback) return false;
    this.useGeneratedSend(direct);
    return true;
  }

  private get gate(): Scheduler['gate'] {
    return this.scheduler.gate;
  }

  /** From now on send() is generated for `reader` (a kernel with a generated step); it falls back here off its fast path. */
  private useGeneratedSend(reader: RowReader): void {
    this.sendsTo = reader;
    const junction = this.junction;
    this.send = generateSend(junction.schema.attributes.map((a) => a.type), {
      handler: this,
      junction,
      reader,
      step: reader.generated!,
      scheduler: this.scheduler,
      gate: this.scheduler.gate,
      isRunning: this.isRunning,
      general: (data, timestamp) => this.sendGeneral(data, timestamp),
      failed: (e) => {
        try {
          junction.dropFailed(e);
        } catch (err) {
          throw failedEvent(this.streamName, err);
        }
      },
    });
  }

  private validate(data: readonly unknown[]): unknown[] {
    const attrs = this.junction.schema.attributes;
    if (!Array.isArray(data)) {
      throw new SiddhiEventError(`stream '${this.streamName}': an event must be an array of ${attrs.length} values`, {
        stream: this.streamName,
        hint: `send([${attrs.map((a) => a.name).join(', ')}], time), or send({ timestamp, data })`,
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
        const hint = acceptHint(a.type);
        throw new SiddhiEventError(
          `stream '${this.streamName}', attribute '${a.name}' expects ${a.type}, got ${describeValue(data[i])}`,
          { stream: this.streamName, attribute: a.name, ...(hint ? { hint } : {}) },
        );
      }
      row[i] = v;
    }
    return row;
  }
}

/** An event of sendBatch: its data, and its time (the clock's when absent). */
export interface BatchEvent {
  readonly timestamp?: number;
  readonly data: readonly unknown[];
}

/** An event object `{ timestamp?, data }` of sendBatch; its timestamp is checked with the others'. */
function eventForm(e: unknown): { data: unknown[]; timestamp: unknown } | undefined {
  if (typeof e !== 'object' || e === null || !Array.isArray((e as BatchEvent).data)) return undefined;
  return { data: (e as BatchEvent).data as unknown[], timestamp: (e as BatchEvent).timestamp };
}

/** A sendBatch event was refused: the same error, saying which one. */
function atPosition(err: unknown, index: number, count: number): unknown {
  if (!(err instanceof SiddhiEventError)) return err;
  return new SiddhiEventError(`${err.message} (event ${index + 1} of ${count}; none was sent)`, {
    stream: err.stream,
    ...(err.attribute !== undefined ? { attribute: err.attribute } : {}),
    ...(err.hint !== undefined ? { hint: err.hint } : {}),
  });
}

/** An operator failed mid-event: say where, instead of surfacing a bare TypeError. */
function failedEvent(stream: string, e: unknown): Error {
  if (e instanceof SiddhiError) return e;
  return new SiddhiRuntimeError(`stream '${stream}': processing an event failed: ${(e as Error).message}`, { cause: e });
}

/**
 * Event time is milliseconds as a safe integer: NaN would never expire a
 * window, a string would turn the clock into a string, a BigInt or a fraction
 * would break the integer arithmetic of timers. Checked before anything moves.
 */
function badTimestamp(timestamp: unknown, stream: string): never {
  throw new SiddhiEventError(`stream '${stream}': timestamp must be an integer number of milliseconds, got ${describeValue(timestamp)}`, {
    stream,
    hint: 'a finite integer within ±(2^53-1), e.g. Date.now()',
  });
}

/**
 * The reference's other ways to send one event, recognised off the fast path only:
 * Java's argument order `send(time, data)` and an event object `{ timestamp, data }`
 * (e.g. one a callback was handed). Anything else is left for validate() to refuse.
 */
function otherForm(data: unknown, timestamp: unknown): { data: unknown[]; timestamp: number | undefined } | undefined {
  if (typeof data === 'number' && Array.isArray(timestamp)) return { data: timestamp, timestamp: data };
  const e = timestamp === undefined ? eventForm(data) : undefined;
  if (e === undefined || (e.timestamp !== undefined && typeof e.timestamp !== 'number')) return undefined;
  return { data: e.data, timestamp: e.timestamp as number | undefined };
}
