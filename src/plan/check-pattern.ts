// Compile-time checks of a pattern or sequence that the reference grammar
// refuses: count bounds, absent states without a waiting time (outside
// `and`), two absent states in a row, and `every` where it is not allowed
// (nested in an every group, or not at the start of a sequence).
// Called by plan-pattern.ts.

import type { StateElement, StateInput } from '../ast/index.js';
import { planErrorAt } from './plan-context.js';
import { assertNever } from '../dispatch.js';

export function checkPattern(input: StateInput, element: string): void {
  const c = new Checker(element, input.type === 'sequence');
  c.visit(input.element, false);
  if (c.sequence) c.sequenceEvery(input.element, true);
}

class Checker {
  constructor(readonly element: string, readonly sequence: boolean) {}

  visit(e: StateElement, inEvery: boolean): void {
    switch (e.kind) {
      case 'stream':
        return;
      case 'absent':
        if (e.waitMillis === undefined) {
          throw planErrorAt(this.element, "an absent state outside 'and'/'or' needs a waiting time", e.loc,
            `write 'not ${e.input.stream}[…] for <time>', e.g. 'for 1 sec'`);
        }
        return;
      case 'count':
        if (e.max >= 0 && e.min > e.max) {
          throw planErrorAt(this.element, `count <${e.min}:${e.max}> has a minimum greater than its maximum`, e.loc,
            `write <${e.max}:${e.min}>`);
        }
        return this.visit(e.stream, inEvery);
      case 'logical':
        for (const side of [e.left, e.right]) {
          if (side.kind === 'absent' && side.waitMillis === undefined && e.op === 'or') {
            throw planErrorAt(this.element, "an absent state in 'or' needs a waiting time", side.loc,
              `write 'not ${side.input.stream}[…] for <time>'`);
          }
        }
        if (e.left.kind === 'absent' && e.right.kind === 'absent' && (e.left.waitMillis === undefined || e.right.waitMillis === undefined)) {
          throw planErrorAt(this.element, 'two absent states in one logical state both need a waiting time', e.loc);
        }
        return;
      case 'next': {
        if (lastLeaf(e.first)?.kind === 'absent' && firstLeaf(e.next)?.kind === 'absent') {
          throw planErrorAt(this.element, 'an absent state cannot directly follow another absent state', e.next.loc,
            'put a present state between them, or combine them with and/or');
        }
        this.visit(e.first, inEvery);
        return this.visit(e.next, inEvery);
      }
      case 'every':
        // The reference's grammar allows a nested every only in groups that contain absent states.
        if (inEvery && !this.sequence) {
          throw planErrorAt(this.element, "'every' cannot be nested inside another 'every' group", e.loc,
            "drop the inner 'every', or move it out of the group");
        }
        return this.visit(e.element, inEvery || !hasAbsent(e.element));
      default:
        return assertNever(e, 'state');
    }
  }

  /** In a sequence, `every` may only wrap its first state. */
  sequenceEvery(e: StateElement, atStart: boolean): void {
    switch (e.kind) {
      case 'every':
        if (!atStart) {
          throw planErrorAt(this.element, "in a sequence 'every' can only start the sequence", e.loc,
            "write 'every' before the first state, or use a pattern ('->')");
        }
        return this.sequenceEvery(e.element, false);
      case 'next':
        this.sequenceEvery(e.first, atStart);
        return this.sequenceEvery(e.next, false);
      case 'stream': case 'absent': case 'count': case 'logical':
        return;
      default:
        return assertNever(e, 'state');
    }
  }
}

function firstLeaf(e: StateElement): StateElement | undefined {
  switch (e.kind) {
    case 'next': return firstLeaf(e.first);
    case 'every': return firstLeaf(e.element);
    case 'count': return e.stream;
    case 'stream': case 'absent': case 'logical': return e;
    default: return assertNever(e, 'state');
  }
}

function lastLeaf(e: StateElement): StateElement | undefined {
  switch (e.kind) {
    case 'next': return lastLeaf(e.next);
    case 'every': return lastLeaf(e.element);
    case 'count': return e.stream;
    case 'stream': case 'absent': case 'logical': return e;
    default: return assertNever(e, 'state');
  }
}

function hasAbsent(e: StateElement): boolean {
  switch (e.kind) {
    case 'absent': return true;
    case 'stream': return false;
    case 'count': return false;
    case 'logical': return e.left.kind === 'absent' || e.right.kind === 'absent';
    case 'next': return hasAbsent(e.first) || hasAbsent(e.next);
    case 'every': return hasAbsent(e.element);
    default: return assertNever(e, 'state');
  }
}
