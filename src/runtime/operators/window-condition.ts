// The compiled condition of `#window.expression(…)` / `expressionBatch(…)`:
// a bool closure over rows [event, first, last] whose aggregator calls
// (count(), sum(price)) read slots the window keeps. The planner compiles it
// (plan/plan-window-expression.ts); ConditionAggregates holds the slot states.

import type { AggregatorKind } from '../aggregators/aggregator.js';
import type { Row, StreamEvent } from '../event.js';
import { StateEvent } from '../event.js';

export interface WindowCondition {
  readonly text: string;
  readonly slots: readonly { readonly kind: AggregatorKind; readonly arg: ((row: Row) => unknown) | undefined }[];
  /** Slot values the condition reads; ConditionAggregates writes them. */
  readonly values: unknown[];
  readonly evaluate: (row: Row) => unknown;
}

/** Compiles condition text at plan time, or at run time when the text is an attribute (dynamic). */
export type ConditionCompiler = (text: string) => WindowCondition;

/** The row a condition sees: the event, the window's first (oldest) and last events. */
export function conditionRow(event: StreamEvent, first: StreamEvent, last: StreamEvent, type = event.type): StateEvent {
  return new StateEvent(event.timestamp, [event, first, last], type);
}

/** Aggregator states of one condition: `add`/`remove` an event, then `holds` reads the condition. */
export class ConditionAggregates {
  private states: unknown[];

  constructor(readonly condition: WindowCondition) {
    this.states = condition.slots.map((s) => s.kind.init());
    this.refresh();
  }

  add(row: Row): void {
    this.apply(row, (k, s, v) => k.add(s, v));
  }

  remove(row: Row): void {
    this.apply(row, (k, s, v) => k.remove(s, v));
  }

  reset(): void {
    this.states = this.condition.slots.map((s) => s.kind.init());
    this.refresh();
  }

  holds(row: Row): boolean {
    return this.condition.evaluate(row) === true;
  }

  save(): unknown[] {
    return this.condition.slots.map((s, i) => (s.kind.save ? s.kind.save(this.states[i]) : this.states[i]));
  }

  load(raw: readonly unknown[]): void {
    this.states = this.condition.slots.map((s, i) => (s.kind.load ? s.kind.load(raw[i]) : raw[i]));
    this.refresh();
  }

  private apply(row: Row, step: (k: AggregatorKind, s: unknown, v: unknown) => unknown): void {
    const slots = this.condition.slots;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      this.states[i] = step(s.kind, this.states[i], s.arg ? s.arg(row) : undefined);
    }
    this.refresh();
  }

  private refresh(): void {
    const slots = this.condition.slots;
    for (let i = 0; i < slots.length; i++) this.condition.values[i] = slots[i]!.kind.value(this.states[i]);
  }
}
