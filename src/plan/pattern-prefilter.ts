// The part of a pattern state's filter that reads only the arriving event
// (`price < 10` in `e2=S[symbol == e1.symbol and price < 10]`), as a test of
// the event's row. The runtime runs it once per event, before the state's
// partial matches: when it fails no match can take the event, so a pattern
// state is skipped and the event is not built (StreamNode.mayTake). Called by
// plan-pattern.ts.

import type { Expression } from '../ast/index.js';
import { conjuncts } from './conjuncts.js';
import { CURRENT, StreamEvent } from '../runtime/event.js';
import { compileOnce } from '../runtime/kernel/compile-once.js';
import { assertNever } from '../dispatch.js';
import { compileCondition } from './compile-expression.js';
import { slotOfName, type PatternSlot } from './pattern-scope.js';
import { createStreamScope } from './stream-scope.js';

/** A test of an arriving event's row: false when no partial match can accept it. */
export type RowTest = (data: unknown[]) => boolean;

/** The test, and its JavaScript over the row `d` when it was compiled from one (a generated pattern step inlines it). */
export interface OwnTest {
  readonly test: RowTest;
  readonly js?: string;
  /** Every conjunct of the filter reads only the own event: passing the test is passing the filter. */
  readonly whole: boolean;
}

/**
 * The test of the own-event conjuncts of `conditions` over the row of the
 * event for slot `own`, compiled as JavaScript when every conjunct has a
 * source (attributes, literals, comparisons); undefined when there are none.
 */
export function ownEventTest(
  conditions: readonly Expression[], own: number, slots: readonly PatternSlot[], element: string,
): OwnTest | undefined {
  const slot = slots[own]!;
  if (slot.count) return undefined;
  const reads = new OwnReads(own, slots);
  const scope = createStreamScope({ element, schema: slot.schema, names: slot.ref === undefined ? [slot.stream] : [slot.ref, slot.stream] });
  const all = conditions.flatMap(conjuncts);
  const tests = all.filter((c) => reads.only(c)).map((c) => compileCondition(c, scope, 'a filter'));
  if (tests.length === 0) return undefined;
  const whole = tests.length === all.length;
  if (tests.every((t) => t.js !== undefined)) {
    const js = tests.map((t) => `${t.js} === true`).join(' && ');
    return { test: compileOnce<undefined, RowTest>(`'use strict';\nreturn (d) => ${js};`)(undefined), js, whole };
  }
  const evaluators = tests.map((t) => t.evaluate);
  const probe = new StreamEvent(0, NO_DATA, CURRENT) as { data: unknown[] } & StreamEvent;
  const test: RowTest = (d) => {
    probe.data = d;
    let ok = true;
    for (let i = 0; ok && i < evaluators.length; i++) ok = evaluators[i]!(probe) === true;
    probe.data = NO_DATA;
    return ok;
  };
  return { test, whole };
}

const NO_DATA: unknown[] = [];

/** Which expressions read nothing but the own slot's event (resolved as pattern-scope.ts resolves names). */
class OwnReads {
  constructor(
    private readonly own: number,
    private readonly slots: readonly PatternSlot[],
  ) {}

  /** Function calls and table look-ups are left out: they may read more than the event, or differ between calls. */
  only(e: Expression): boolean {
    switch (e.kind) {
      case 'constant': case 'time': return true;
      case 'variable': return e.index === undefined && this.slotOf(e.name, e.stream) === this.own;
      case 'binary': return this.only(e.left) && this.only(e.right);
      case 'unary': case 'isNull': return this.only(e.operand);
      case 'call': case 'in': return false;
      default: return assertNever(e, 'expression');
    }
  }

  private slotOf(name: string, stream: string | undefined): number {
    if (stream !== undefined) return slotOfName(this.slots, stream);
    return this.slots[this.own]!.schema.indexOf(name) >= 0 ? this.own : -1;
  }
}
