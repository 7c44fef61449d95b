// The one contract that built-in and user-registered sources, sinks and
// mappers share. attach-io.ts plans them from @source/@sink/@map annotations.

import type { AttributeSchema } from '../runtime/schema.js';
import type { Event } from '../runtime/junction.js';
import type { IoOptions } from './io-options.js';

/** What a source hands back from `deliver`: how many events went in, and why the rest did not. */
export interface Delivery {
  readonly accepted: number;
  /** One reason per payload or event that did not map or was refused by the stream. */
  readonly errors: readonly string[];
}

/** State a source keeps across checkpoints (a file offset, a stream entry id). */
export interface SourceState<T> {
  /** The cell's kind in checkpoints; default `source.<type>`. */
  readonly kind?: string;
  capture(): T;
  restore(value: T): void;
}

export interface SourceContext {
  readonly appName: string;
  readonly streamName: string;
  readonly attributes: readonly AttributeSchema[];
  /** The @source elements except `type`. */
  readonly options: IoOptions;
  /**
   * Maps a payload with the source's @map and sends the events; never throws (errors are reported and returned).
   * `transport` answers the mapping's `trp:<name>` attributes (a request header, a message id); undefined is null.
   */
  deliver(payload: unknown, transport?: TransportProperties): Delivery;
  /** Reports a transport error through runtime.onError. */
  report(error: unknown): void;
  /** Registers the source's position as a checkpointed state cell (call from create). */
  keepState<T>(state: SourceState<T>): void;
}

/** Looks up a transport property by name (`trp:messageId` asks for 'messageId'). */
export type TransportProperties = (name: string) => unknown;

/** A running source: receives payloads from the world and calls `ctx.deliver`. */
export interface Source {
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
  /** Where it receives, once started (e.g. the http source's actual URL). */
  address?(): string | undefined;
}

/**
 * A source type: `@source(type='name', …)`.
 *
 * @example
 * manager.setExtension('source:timer', { create: (ctx) => { let t; return {
 *   start: () => { t = setInterval(() => ctx.deliver({ event: { n: 1 } }), 1000); },
 *   stop: () => clearInterval(t) }; } });
 */
export interface SourceKind {
  /** Mapper when @map is absent; default 'passThrough' for inMemory, else 'json'. */
  readonly defaultMapper?: string;
  create(ctx: SourceContext): Source;
}

export interface SinkContext {
  readonly appName: string;
  readonly streamName: string;
  readonly attributes: readonly AttributeSchema[];
  /** The @sink elements except `type`, `on.error` and the map. */
  readonly options: IoOptions;
  /** The @map type ('json' when absent and the sink's default): http-call and http-service-response pick their Content-Type by it. */
  readonly mapper: string;
  /**
   * What a null attribute becomes in an option filled in per event (topic='t-{{a}}'): 'undefined' under
   * the json mapper, which puts it in place of the event's nulls before the reference builds the options
   * (unless enable.null.attribute.value='true'), else 'null'. Absent means 'null'.
   */
  readonly nullText?: string;
  /** Reports an error through runtime.onError. */
  report(error: unknown): void;
}

/** A running sink: publishes mapped payloads. A rejected promise or a throw counts as a failed publish (see on.error). */
export interface Sink {
  /** `events`: the events the payload was mapped from (one when the kind is `perEvent`). */
  publish(payload: unknown, events: readonly Event[]): void | Promise<void>;
  /**
   * Options filled in per event (`topic='{{symbol}}'`): the events of a chunk are mapped and
   * published in groups of one key, in the order each key first comes, as the reference groups them.
   */
  readonly groupBy?: (event: Event) => string;
  start?(): void | Promise<void>;
  stop?(): void | Promise<void>;
}

/** A sink type: `@sink(type='name', …)`. */
export interface SinkKind {
  readonly defaultMapper?: string;
  /** Map and publish each event on its own: the sink reads per-event options (`message.id='{{id}}'`) from it. */
  readonly perEvent?: boolean;
  create(ctx: SinkContext): Sink;
}

/** One event a source mapper produced; the timestamp defaults to the clock's now. */
export interface MappedEvent {
  readonly data: unknown[];
  readonly timestamp?: number;
  /** Set when this one event of a payload did not map (reported and skipped; the payload's other events go in). */
  readonly error?: Error;
}

export interface MapperContext {
  readonly streamName: string;
  readonly attributes: readonly AttributeSchema[];
  /** The @map elements except `type`. */
  readonly options: IoOptions;
  /** `@attributes(a='path', …)` or positional `@attributes('path', …)`; undefined when absent. */
  readonly attributeMappings?: readonly { readonly key?: string; readonly value: string }[];
  /** `@payload("…{{a}}…")` for sink mappers. */
  readonly payloadTemplate?: string;
  /** Every element of @payload, e.g. keyvalue's `@payload(a='symbol', b='{{symbol}} is here')`. */
  readonly payloadMappings?: readonly { readonly key?: string; readonly value: string }[];
  /** Reports an error through runtime.onError without failing the chunk (a sink mapper dropping one payload of several). */
  readonly report?: (error: unknown) => void;
}

/** Turns one payload into events; throws (an Error with the reason) when it does not map. */
export interface SourceMapperKind {
  create(ctx: MapperContext): (payload: unknown) => MappedEvent[];
}

/**
 * Turns one output chunk into payloads (one or many). `group` is true for a
 * part of a chunk split by Sink.groupBy: the reference maps it as an Event[]
 * even when it holds one event (the json mapper writes an array of one).
 */
export interface SinkMapperKind {
  create(ctx: MapperContext): (events: readonly Event[], group?: boolean) => unknown[];
}
