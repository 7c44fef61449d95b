// Definition nodes: streams, tables, named windows, triggers, and the
// annotations that decorate them and queries.

import type { Location } from './location.js';
import type { Expression } from './expression.js';

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

export type Definition = StreamDefinition | TableDefinition | WindowDefinition | TriggerDefinition;

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
  readonly loc: Location;
}

export type OutputEventType = 'current' | 'expired' | 'all';
