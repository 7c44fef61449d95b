// The root of the AST: a whole SiddhiQL app. `parseApp` returns it; `planApp`
// consumes it. Elements keep source order so that positional ids stay stable.

import type { Location } from './location.js';
import type { Annotation, Definition } from './definition.js';
import type { Expression } from './expression.js';
import type { Query } from './query.js';

export interface App {
  readonly kind: 'app';
  /** `@app:name(...)`, `@app:playback`, `@app:checkpoint(...)` and friends. */
  readonly annotations: readonly Annotation[];
  readonly elements: readonly AppElement[];
}

export type AppElement = Definition | Query | Partition;

/** `partition with (key of S, range… of T) begin queries end` */
export interface Partition {
  readonly kind: 'partition';
  readonly annotations: readonly Annotation[];
  readonly keys: readonly PartitionKey[];
  readonly queries: readonly Query[];
  readonly loc: Location;
}

export type PartitionKey = ValuePartitionKey | RangePartitionKey;

/** `symbol of S` (any expression over S's attributes) */
export interface ValuePartitionKey {
  readonly kind: 'value';
  readonly stream: string;
  readonly expression: Expression;
  readonly loc: Location;
}

/** `price >= 100 as 'large' or price < 100 as 'small' of S` */
export interface RangePartitionKey {
  readonly kind: 'range';
  readonly stream: string;
  readonly ranges: readonly { readonly condition: Expression; readonly label: string; readonly loc: Location }[];
  readonly loc: Location;
}
