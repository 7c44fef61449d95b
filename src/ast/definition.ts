// Definition nodes: streams, tables, named windows, triggers, and the
// annotations that decorate them and queries.

import type { Location } from './location.js';
import type { Expression, Variable } from './expression.js';
import type { Selector, SingleInput } from './query.js';

export type AttributeType = 'string' | 'int' | 'long' | 'float' | 'double' | 'bool' | 'object';

export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['string', 'int', 'long', 'float', 'double', 'bool', 'object'];

export interface Attribute {
  readonly name: string;
  readonly type: AttributeType;
  readonly loc: Location;
}

/**
 * `@name(key='value', 'positional', …)` with nested annotations allowed
 * (`@sink(type='log', @map(type='json'))`). `@app:name('X')` has namespace 'app'.
 */
export interface Annotation {
  readonly kind: 'annotation';
  readonly namespace?: string;
  readonly name: string;
  readonly elements: readonly AnnotationElement[];
  readonly annotations: readonly Annotation[];
  readonly loc: Location;
}

/** `key='value'` or a positional `'value'` (key undefined). */
export interface AnnotationElement {
  readonly key?: string;
  readonly value: string;
  readonly loc: Location;
}

export type Definition = StreamDefinition | TableDefinition | WindowDefinition | TriggerDefinition | AggregationDefinition | FunctionDefinition;

/** `define function name[language] return type { body }`: a script function the app's expressions may call. */
export interface FunctionDefinition {
  readonly kind: 'function';
  readonly name: string;
  /** As written, e.g. 'JavaScript'. */
  readonly language: string;
  readonly returnType: AttributeType;
  /** The text between the braces. */
  readonly body: string;
  readonly annotations: readonly Annotation[];
  readonly loc: Location;
}

export interface StreamDefinition {
  readonly kind: 'stream';
  readonly name: string;
  /** `define stream #Inner (...)` is not SiddhiQL; inner streams are implicit. */
  readonly attributes: readonly Attribute[];
  readonly annotations: readonly Annotation[];
  readonly loc: Location;
}

export interface TableDefinition {
  readonly kind: 'table';
  readonly name: string;
  readonly attributes: readonly Attribute[];
  readonly annotations: readonly Annotation[];
  readonly loc: Location;
}

/** `define window W (attrs) length(5) output all events` */
export interface WindowDefinition {
  readonly kind: 'window';
  readonly name: string;
  readonly attributes: readonly Attribute[];
  readonly window: WindowCall;
  /** Which events the window emits to its readers; default 'all'. */
  readonly output: OutputEventType;
  readonly annotations: readonly Annotation[];
  readonly loc: Location;
}

/** `define trigger T at every 5 sec` | `at 'start'` | `at '0 * * * * ?'` (cron). */
export interface TriggerDefinition {
  readonly kind: 'trigger';
  readonly name: string;
  readonly at:
    | { readonly kind: 'start' }
    | { readonly kind: 'every'; readonly millis: number }
    | { readonly kind: 'cron'; readonly expression: string };
  readonly annotations: readonly Annotation[];
  readonly loc: Location;
}

/** A window (or stream function) invocation: `length(5)`, `unique:length(a, 5)`. */
export interface WindowCall {
  readonly namespace?: string;
  readonly name: string;
  readonly args: readonly Expression[];
  /** A stream function's `f(*)`: every attribute of its input, in order (args is empty). */
  readonly star?: boolean;
  readonly loc: Location;
}

export type OutputEventType = 'current' | 'expired' | 'all';

/** The granularities an aggregation keeps, finest first. */
export type AggregationDuration = 'sec' | 'min' | 'hour' | 'day' | 'month' | 'year';

export const AGGREGATION_DURATIONS: readonly AggregationDuration[] = ['sec', 'min', 'hour', 'day', 'month', 'year'];

/**
 * `define aggregation A from S[filter] select … group by … aggregate [by ts] every sec ... year`:
 * running roll-ups of S per duration (`durations` ascending, as listed or as the range spans).
 */
export interface AggregationDefinition {
  readonly kind: 'aggregation';
  readonly name: string;
  readonly input: SingleInput;
  readonly selector: Selector;
  /** `aggregate by attr`: event time from an attribute (long ms or a date string); else the event timestamp. */
  readonly by?: Variable;
  readonly durations: readonly AggregationDuration[];
  readonly annotations: readonly Annotation[];
  readonly loc: Location;
}
