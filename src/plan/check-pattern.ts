// Compile-time checks of a pattern or sequence that the reference refuses:
// count bounds, absent states without a waiting time. Called by plan-pattern.ts.

import type { StateElement, StateInput } from '../ast/index.js';
import { planErrorAt } from './plan-context.js';

export function checkPattern(input: StateInput, element: string): void {
  visit(input.element, element);
}

function visit(e: StateElement, element: string): void {
  switch (e.kind) {
    case 'stream':
      return;
    case 'absent':
      if (e.waitMillis === undefined) {
        throw planErrorAt(element, "an absent state outside 'and'/'or' needs a waiting time", e.loc,
          `write 'not ${e.input.stream}[…] for <time>', e.g. 'for 1 sec'`);
      }
      return;
    case 'count':
      if (e.max >= 0 && e.min > e.max) {
        throw planErrorAt(element, `count <${e.min}:${e.max}> has a minimum greater than its maximum`, e.loc,
          `write <${e.max}:${e.min}>`);
      }
      return visit(e.stream, element);
    case 'logical':
      // Inside and/or an absent state may go without 'for'.
      if (e.left.kind === 'stream') visit(e.left, element);
      if (e.right.kind === 'stream') visit(e.right, element);
      return;
    case 'next':
      visit(e.first, element);
      return visit(e.next, element);
    case 'every':
      return visit(e.element, element);
    default: {
      const never: never = e;
      throw new Error(`unhandled state ${JSON.stringify(never)}`);
    }
  }
}
