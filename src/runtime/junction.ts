// A stream junction: where one stream's chunks fan out to the queries that
// read it and to user callbacks. Readers see every event as CURRENT; callbacks
// see the type the producing query emitted, as copies (see toCallbackEvents).

import { messageOf, SiddhiRuntimeError } from '../errors.js';
import { CURRENT, EXPIRED, type EventType, rowEvents, StreamEvent } from './event.js';
import { rowsOff, type RowReader } from './kernel/row-reader.js';
import type { Processor } from './processor.js';
import type { StreamSchema } from './schema.js';

/**
 * The event shape handed to user callbacks: each callback gets its own copy
 * (the event and its data), so changing it cannot change what queries see.
 *
 * @example
 * runtime.addCallback('Out', (events) => events.filter((e) => !e.isExpired).forEach((e) => console.log(e.timestamp, e.data)));
 */
export interface Event {
  readonly timestamp: number;
  readonly data: readonly unknown[];
  readonly isExpired: boolean;
}

/**
 * Called with each output chunk of a stream, in order.
 *
 * @example
 * const print: StreamCallback = (events) => console.log(events.length);
 * runtime.addCallback('Out', print);
 */
export type StreamCallback = (events: Event[]) => void;

type FaultHandler = (chunk: readonly StreamEvent[], error: unknown) => void;

let subscribing: ((junction: StreamJunction) => void) | undefined;

/**
 * Told of each subscription, before the reader is added, until cleared with
 * undefined. Planning is synchronous: the planner sets it around one element
 * to learn which junctions that element read, without walking every junction.
 */
export function observeSubscriptions(listener: ((junction: StreamJunction) => void) | undefined): void {
  subscribing = listener;
}

export class StreamJunction implements Processor<StreamEvent> {
  private readers: Processor<StreamEvent>[] = [];
  private callbacks: StreamCallback[] = [];
  /**
   * @OnError on the stream: gets the chunk whose processing by a reader threw,
   * instead of the sender (fault stream `!S`, or log and drop).
   */
  get onFault(): FaultHandler | undefined {
    return this.fault;
  }

  set onFault(handler: FaultHandler | undefined) {
    this.fault = handler;
    this.refreshDirect();
  }

  private fault: FaultHandler | undefined;
  /** See rowReader. */
  private direct: RowReader | undefined;
  /**
   * The one callback, when nothing else reads the stream: a generated step
   * calls it from its own code (generate-step.ts) as processRow would, so the
   * call site sees that query's callback only, not every query's (a shared
   * call site here went megamorphic once several queries had run, and the
   * callback and its events were no longer inlined: Q1 20% slower).
   */
  soleCallback: StreamCallback | undefined;

  constructor(
    readonly schema: StreamSchema,
    private readonly reportError: (error: unknown, where: string) => void,
  ) {}

  subscribe(reader: Processor<StreamEvent>): void {
    subscribing?.(this);
    // Exact-size copies while few (a pushed array reserves 17 slots, and partition keys make a view each);
    // pushes past that, or thousands of queries reading one stream copy their readers thousands of times.
    if (this.readers.length < 16) this.readers = this.readers.concat(reader);
    else this.readers.push(reader);
    this.refreshDirect();
  }

  /** The readers in order (kernel fusion looks at them; see runtime/kernel/fuse.ts). */
  get subscribers(): readonly Processor<StreamEvent>[] {
    return this.readers;
  }

  /** Puts `next` in the place of reader `i` (a fused kernel replacing a chain head). */
  replaceReader(i: number, next: Processor<StreamEvent>): void {
    this.readers[i] = next;
    this.refreshDirect();
  }

  addCallback(cb: StreamCallback): void {
    this.callbacks.push(cb);
    this.refreshDirect();
  }

  removeCallbacks(): void {
    this.callbacks = [];
    this.refreshDirect();
  }

  /**
   * The sole reader, when it takes rows directly and nothing else sees the
   * stream (no callback, no fault stream): input handlers then skip the event
   * and chunk, and may lend the sender's row (the kernel copies what it keeps).
   */
  get rowReader(): RowReader | undefined {
    return this.direct;
  }

  private refreshDirect(): void {
    const r = this.readers[0] as Partial<RowReader> | undefined;
    const sole = this.readers.length === 1 && this.callbacks.length === 0 && this.fault === undefined;
    // SIDDHI_KERNELS=off: no reader takes rows, whatever it is (the interpreted runs check the event paths).
    this.direct = sole && r!.acceptRow !== undefined && !rowsOff() ? (r as RowReader) : undefined;
    this.soleCallback = this.readers.length === 0 && this.callbacks.length === 1 ? this.callbacks[0] : undefined;
  }

  /** One event for `reader` (this.rowReader) as a row. */
  acceptRow(reader: RowReader, timestamp: number, data: unknown[]): void {
    this.eventsIn++;
    try {
      reader.acceptRow(timestamp, data);
    } catch (e) {
      this.dropFailed(e);
    }
  }

  /**
   * One event whose data no one else holds (a kernel just made it). With no
   * reader and one callback, the callback gets it without the copy that
   * process() makes: nothing in the engine keeps it. Generated steps repeat
   * this sole-callback branch inline (generate-step.ts emitLines, via
   * soleCallback, also used by join/join-step.ts): change them together.
   */
  processRow(timestamp: number, data: unknown[], type: EventType): void {
    if (this.readers.length !== 0 || this.callbacks.length > 1) {
      this.process([new StreamEvent(timestamp, data, type)]);
      return;
    }
    this.eventsIn++;
    if (this.callbacks.length === 0) return;
    this.eventsOut++;
    // Made before the try, as generate-step.ts's emitLines does: V8 then need not keep them for a callback that does not.
    const events = [callbackEvent(timestamp, data, type)];
    try {
      this.callbacks[0]!(events);
    } catch (err) {
      this.callbackFailed(err);
    }
  }

  /**
   * The events of one output chunk, each `data` made by a kernel and kept by
   * no one, as processRow does one. The generated join step repeats its
   * sole-callback branch inline (join/join-step.ts): change both together.
   */
  processRows(timestamp: number, rows: readonly unknown[][], type: EventType): void {
    if (this.readers.length !== 0 || this.callbacks.length > 1) {
      this.process(rowEvents(timestamp, rows, type));
      return;
    }
    this.eventsIn += rows.length;
    if (this.callbacks.length === 0) return;
    this.eventsOut += rows.length;
    const events: Event[] = [];
    for (let i = 0; i < rows.length; i++) events.push(callbackEvent(timestamp, rows[i]!, type));
    try {
      this.callbacks[0]!(events);
    } catch (err) {
      this.callbackFailed(err);
    }
  }

  /** A user callback threw: reported; the other readers and the sender go on. */
  callbackFailed(err: unknown): void {
    this.reportError(err, `callback of stream '${this.schema.name}'`);
  }

  /** Events that entered the stream (runtime.metrics()). */
  eventsIn = 0;
  /** Events handed to callbacks (sinks and user callbacks; runtime.metrics()). */
  eventsOut = 0;

  process(chunk: StreamEvent[]): void {
    if (chunk.length === 0) return;
    this.eventsIn += chunk.length;
    if (this.callbacks.length > 0) {
      this.eventsOut += chunk.length;
      this.deliver(chunk);
    }
    const readers = this.readers;
    if (readers.length === 0) return;
    const asCurrent = currentOnly(chunk);
    try {
      for (let i = 0; i < readers.length; i++) readers[i]!.process(asCurrent);
    } catch (e) {
      if (this.fault) this.fault(asCurrent, e);
      else this.dropFailed(e);
    }
  }

  /**
   * No @OnError (or action 'LOG'): as the reference's junction, a chunk whose
   * processing threw (a failing function, an operator error) is reported and
   * dropped; the sender and the other events go on.
   */
  dropFailed(e: unknown): void {
    this.reportError(droppedChunkError(this.schema.name, e), '');
  }

  private deliver(chunk: StreamEvent[]): void {
    for (const cb of this.callbacks) {
      const events = toCallbackEvents(chunk);
      try {
        cb(events);
      } catch (err) {
        // A failing user callback must not stop the other readers or corrupt state.
        this.callbackFailed(err);
      }
    }
  }
}

/** The chunk with expired events turned current (copies, since callbacks may hold the originals). */
function currentOnly(chunk: StreamEvent[]): StreamEvent[] {
  let out: StreamEvent[] | undefined;
  for (let i = 0; i < chunk.length; i++) {
    const e = chunk[i]!;
    if (e.type !== EXPIRED) {
      if (out) out.push(e);
      continue;
    }
    out ??= chunk.slice(0, i);
    out.push(new StreamEvent(e.timestamp, e.data, CURRENT));
  }
  return out ?? chunk;
}

/**
 * Copies of a chunk's events for user callbacks, so a callback that changes
 * an event or its data changes only its own copy, never what queries, other
 * callbacks and checkpoints see. Copies, not Object.freeze: freezing cost
 * ~5× a copy per event, and freezing the engine's own events in place would
 * change their hidden class and slow every operator that reads them.
 */
export function toCallbackEvents(chunk: readonly StreamEvent[]): Event[] {
  const out: Event[] = [];
  for (let i = 0; i < chunk.length; i++) {
    const e = chunk[i]!;
    out.push(callbackEvent(e.timestamp, e.data.slice(), e.type));
  }
  return out;
}

/**
 * Every Event a callback gets is made here, and every chunk of them is a
 * packed array: a callback then sees one object shape and one array kind
 * whichever path made its events, so its code (inlined into a query's
 * generated step) stays monomorphic.
 */
export function callbackEvent(timestamp: number, data: unknown[], type: EventType): Event {
  return { timestamp, data, isExpired: type === EXPIRED };
}

/** What is reported for a chunk dropped because its processing threw (a junction, or a partition key's instance). */
export function droppedChunkError(stream: string, e: unknown): SiddhiRuntimeError {
  return new SiddhiRuntimeError(`stream '${stream}': ${messageOf(e)}; event dropped`, { cause: e });
}
