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
import { type CellRegistry, type DeclareCell, declareIn } from '../runtime/instance.js';

export interface OutputRateOptions {
  readonly element: string;
  /** The query has `group by`: first/last work per group key. */
  readonly grouped: boolean;
  readonly shape: SnapshotShape;
}

/** Where one instance's limiter lives. */
export interface RateInstance {
  /** State id of the limiter, e.g. `q1/selector/rate`. */
  readonly id: string;
  readonly cells: CellRegistry;
  readonly scheduler: Scheduler;
}

export type RateLimiter = Linked<StreamEvent>;

/** Checks the rate (a count or period must be a positive integer) and returns what builds its limiter per instance. */
export function planOutputRate(rate: OutputRate, o: OutputRateOptions): (inst: RateInstance) => RateLimiter {
  const make = limiterOf(rate, o);
  return (inst) => make({ declare: declareIn(inst.cells, inst.id), scheduler: inst.scheduler });
}

type LimiterContext = { readonly declare: DeclareCell; readonly scheduler: Scheduler };

function limiterOf(rate: OutputRate, o: OutputRateOptions): (ctx: LimiterContext) => RateLimiter {
  switch (rate.kind) {
    case 'events': {
      const n = positive(rate.count, 'event count', rate.loc, o.element);
      switch (rate.type) {
        case 'all':
          return (ctx) => new AllEventsRate(n, ctx);
        case 'first':
          return o.grouped ? (ctx) => new FirstEventsPerGroupRate(n, ctx) : (ctx) => new FirstEventsRate(n, ctx);
        case 'last':
          return o.grouped ? (ctx) => new LastEventsPerGroupRate(n, ctx) : (ctx) => new LastEventsRate(n, ctx);
        default:
          return assertNever(rate.type, 'output rate type');
      }
    }
    case 'time': {
      const t = positive(rate.millis, 'period', rate.loc, o.element);
      switch (rate.type) {
        case 'all':
          return (ctx) => new TickRate('all', t, ctx);
        case 'last':
          return (ctx) => new TickRate(o.grouped ? 'lastPerGroup' : 'last', t, ctx);
        case 'first':
          return (ctx) => new FirstTimeRate(o.grouped, t, ctx);
        default:
          return assertNever(rate.type, 'output rate type');
      }
    }
    case 'snapshot': {
      const t = positive(rate.millis, 'period', rate.loc, o.element);
      return (ctx) => new SnapshotRate(o.shape, t, ctx);
    }
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
