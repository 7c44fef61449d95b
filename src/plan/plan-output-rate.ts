// Plans `output [all|first|last] every N events | T` and `output snapshot every T`
// into a rate-limiting operator placed after the selector. Called by plan-selector.ts.

import { assertNever } from '../dispatch.js';
import type { Location, OutputRate } from '../ast/index.js';
import { SiddhiPlanError } from '../errors.js';
import type { Scheduler } from '../runtime/clock.js';
import type { StreamEvent } from '../runtime/event.js';
import type { Linked } from '../runtime/processor.js';
import {
  AllEventsRate, FirstEventsPerGroupRate, FirstEventsRate, LastEventsPerGroupRate, LastEventsRate,
} from '../runtime/operators/rate-events.js';
import { SnapshotRate, type SnapshotShape } from '../runtime/operators/rate-snapshot.js';
import { FirstTimeRate, TickRate } from '../runtime/operators/rate-time.js';
import { type CellRegistry, declareIn } from '../runtime/instance.js';

export interface OutputRateOptions {
  /** State id of the limiter, e.g. `q1/selector/rate`. */
  readonly id: string;
  readonly cells: CellRegistry;
  readonly scheduler: Scheduler;
  readonly element: string;
  /** The query has `group by`: first/last work per group key. */
  readonly grouped: boolean;
  readonly shape: SnapshotShape;
}

export type RateLimiter = Linked<StreamEvent>;

export function planOutputRate(rate: OutputRate, o: OutputRateOptions): RateLimiter {
  const ctx = { declare: declareIn(o.cells, o.id), scheduler: o.scheduler };
  switch (rate.kind) {
    case 'events': {
      const n = positive(rate.count, 'event count', rate.loc, o.element);
      switch (rate.type) {
        case 'all':
          return new AllEventsRate(n, ctx);
        case 'first':
          return o.grouped ? new FirstEventsPerGroupRate(n, ctx) : new FirstEventsRate(n, ctx);
        case 'last':
          return o.grouped ? new LastEventsPerGroupRate(n, ctx) : new LastEventsRate(n, ctx);
        default:
          return assertNever(rate.type, 'output rate type');
      }
    }
    case 'time': {
      const t = positive(rate.millis, 'period', rate.loc, o.element);
      switch (rate.type) {
        case 'all':
          return new TickRate('all', t, ctx);
        case 'last':
          return new TickRate(o.grouped ? 'lastPerGroup' : 'last', t, ctx);
        case 'first':
          return new FirstTimeRate(o.grouped, t, ctx);
        default:
          return assertNever(rate.type, 'output rate type');
      }
    }
    case 'snapshot':
      return new SnapshotRate(o.shape, positive(rate.millis, 'period', rate.loc, o.element), ctx);
  }
  return assertNever(rate, 'output rate');
}

function positive(n: number, what: string, loc: Location, element: string): number {
  if (!Number.isInteger(n) || n <= 0) {
    throw new SiddhiPlanError(`${element}: output rate ${what} must be a positive integer, got ${n}`, {
      line: loc.line,
      column: loc.column,
      element,
    });
  }
  return n;
}
