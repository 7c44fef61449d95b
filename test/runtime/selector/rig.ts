// Shared by the selector and rate-limiter tests: hand-built AST nodes, a
// stream scope, a cell registry that can checkpoint, and a planned selector
// with its output collected.

import type {
  AttributeType, BinaryOperator, Expression, FunctionCall, OrderByAttribute, OutputAttribute, OutputEventType,
  OutputRate, Selector, Variable,
} from '../../../src/ast/index.js';
import { NO_LOCATION } from '../../../src/ast/index.js';
import { planSelector, type PlannedSelector } from '../../../src/plan/plan-selector.js';
import { createStreamScope } from '../../../src/plan/stream-scope.js';
import { Scheduler } from '../../../src/runtime/clock.js';
import { CURRENT, EXPIRED, type EventType, RESET, StreamEvent } from '../../../src/runtime/event.js';
import { StreamSchema } from '../../../src/runtime/schema.js';
import type { CaptureMode, CellRegistry, StateCell } from '../../../src/state/cell.js';
import { throughEnvelope } from '../../state/helpers.js';

const loc = NO_LOCATION;
export const v = (name: string): Variable => ({ kind: 'variable', name, loc });
export const k = (value: number | string | boolean, type: AttributeType = 'int'): Expression => ({ kind: 'constant', type, value, loc });
export const call = (name: string, ...args: Expression[]): FunctionCall => ({ kind: 'call', name, args, loc });
export const bin = (op: BinaryOperator, left: Expression, right: Expression): Expression => ({ kind: 'binary', op, left, right, loc });
export const out = (expression: Expression, rename?: string): OutputAttribute => ({ expression, ...(rename ? { rename } : {}), loc });
export const asc = (name: string, order: 'asc' | 'desc' = 'asc'): OrderByAttribute => ({ variable: v(name), order, loc });

export function selector(parts: Partial<Omit<Selector, 'loc'>>): Selector {
  return { star: false, attributes: [], groupBy: [], orderBy: [], ...parts, loc };
}

export const every = (type: 'all' | 'first' | 'last', count: number): OutputRate => ({ kind: 'events', type, count, loc });
export const per = (type: 'all' | 'first' | 'last', millis: number): OutputRate => ({ kind: 'time', type, millis, loc });
export const snapshot = (millis: number): OutputRate => ({ kind: 'snapshot', millis, loc });

/** A cell registry that captures and restores every registered cell through the checkpoint envelope. */
export class Cells implements CellRegistry {
  readonly cells = new Map<string, StateCell>();
  register(id: string, cell: StateCell): void {
    if (this.cells.has(id)) throw new Error(`duplicate cell ${id}`);
    this.cells.set(id, cell);
  }
  unregister(id: string): void {
    this.cells.delete(id);
  }
  capture(mode: CaptureMode): Map<string, unknown> {
    const m = new Map<string, unknown>();
    for (const [id, c] of this.cells) m.set(id, throughEnvelope(c.capture(mode), mode));
    return m;
  }
  restore(states: Map<string, unknown>): void {
    for (const [id, s] of states) this.cells.get(id)!.restore(s);
  }
}

export interface RigOptions {
  readonly attributes: readonly [string, AttributeType][];
  readonly selector: Selector;
  readonly events?: OutputEventType;
  readonly rate?: OutputRate;
  readonly windowed?: boolean;
  readonly scheduler?: Scheduler;
}

/** A planned selector fed with hand-made chunks; `rows` collects `[data…, flag]`. */
export class Rig {
  readonly scheduler: Scheduler;
  readonly cells = new Cells();
  readonly chunks: StreamEvent[][] = [];
  readonly planned: PlannedSelector;

  constructor(readonly o: RigOptions) {
    this.scheduler = o.scheduler ?? new Scheduler(0);
    const schema = new StreamSchema('S', o.attributes.map(([name, type]) => ({ name, type })));
    const scope = createStreamScope({ element: "query 'q'", schema, names: ['S'] });
    this.planned = planSelector({
      selector: o.selector,
      scope,
      inputSchema: schema.attributes,
      outputEvents: o.events ?? 'current',
      element: "query 'q'",
      cells: this.cells,
      id: 'q/selector',
      scheduler: this.scheduler,
      ...(o.rate ? { outputRate: o.rate } : {}),
      ...(o.windowed ? { windowed: true } : {}),
    });
    this.planned.tail.next = { process: (chunk) => this.chunks.push(chunk as StreamEvent[]) };
  }

  /** Sends one chunk; each entry is [type, timestamp, ...data]. */
  send(...rows: [EventType, number, ...unknown[]][]): this {
    const last = rows[rows.length - 1];
    if (last) this.scheduler.advanceTo(last[1]);
    this.planned.head.process(rows.map(([type, ts, ...data]) => new StreamEvent(ts, data, type)));
    return this;
  }

  add(ts: number, ...data: unknown[]): this {
    return this.send([CURRENT, ts, ...data]);
  }

  expire(ts: number, ...data: unknown[]): this {
    return this.send([EXPIRED, ts, ...data]);
  }

  reset(ts: number): this {
    return this.send([RESET, ts]);
  }

  advance(ts: number): this {
    this.scheduler.advanceTo(ts);
    return this;
  }

  /** Output rows so far, expired ones marked with a trailing 'x'. */
  rows(): unknown[][] {
    return this.chunks.flat().map((e) => (e.type === EXPIRED ? [...e.data, 'x'] : e.data));
  }

  /** Output chunk sizes so far. */
  sizes(): number[] {
    return this.chunks.map((c) => c.length);
  }
}

export { CURRENT, EXPIRED, RESET };
