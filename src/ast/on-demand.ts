// On-demand queries, run against a live runtime's tables and named windows:
// `from T [as t] [on cond] select …`, or a table write with an optional
// selector and no `from` (`select 'IBM' as symbol delete T on T.symbol == symbol`).

import type { Location } from './location.js';
import type { Expression } from './expression.js';
import type { OutputAction, Selector, WithinPer } from './query.js';

export interface OnDemandQuery {
  readonly kind: 'onDemand';
  /** `from T [as t] [on cond]`; absent: one empty row feeds the selector. */
  readonly input?: OnDemandInput;
  /** `select *` when there is no select clause. */
  readonly selector: Selector;
  /** `return` when there is no output action. */
  readonly output: OutputAction;
  readonly loc: Location;
}

export interface OnDemandInput {
  readonly store: string;
  readonly alias?: string;
  readonly on?: Expression;
  /** Reading an aggregation: its time range and granularity. */
  readonly within?: WithinPer;
  readonly loc: Location;
}
