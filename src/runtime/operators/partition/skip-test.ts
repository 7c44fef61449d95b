// Which rows a partition's router may keep from a key's pattern: when the
// key's sole reader is a pattern whose every state has an own-event test
// (plan/pattern-prefilter.ts), a row that fails all of them would only move
// the key's matches on in time (expiry, pending lists), which the next row
// delivered does as well. row-skip.ts keeps that exact (a late row or a capture
// first catches up with a skipped row); build-partition.ts asks here.

import type { RowReader } from '../../kernel/row-reader.js';
import { KeyedNode } from '../pattern/keyed-node.js';
import { KeyedRowNode } from '../pattern/keyed-row-node.js';
import type { PatternSide } from '../pattern/pattern-runtime.js';
import type { PatternStepEnv } from '../pattern/pattern-step.js';
import { StreamNode } from '../pattern/stream-node.js';

/**
 * A pattern side a router may skip rows for, and the JavaScript over row `d`
 * and the key's states `n` (PatternSide.states) that is true when some state may take it
 * (it may assign the router step's temporaries `sv` and `sb`).
 */
export interface SkipTest {
  readonly js: string;
}

/**
 * Undefined unless every state of the pattern reads this stream, is a plain
 * (or keyed: by match or by row) state with an own-event test as JavaScript, restarts no `every`
 * on expiry (expiry would restart once per call, not once per row), and is part of a pattern (a sequence's states see every event).
 * With `within`, at most two states: then a new match starts at its e1 row,
 * after every pending one unless that row was late (SkipTable.noteRow then skips
 * nothing until a later row has made it pending), so a later row's stabilize
 * drops what the skipped row's would have: expiry from the front of the
 * pending list (StreamNode.expireEvents) drops the same prefix at one time as
 * at two. With three, a new match can start before a live pending one; the
 * skipped row would have made it pending behind that one, safe from expiry.
 */
export function findSkipTest(reader: RowReader): SkipTest | undefined {
  const side = reader as Partial<PatternSide>;
  if (side.settle === undefined || reader.generated === undefined) return undefined;
  const env = reader.generated.env as Partial<PatternStepEnv>;
  const nodes = env.nodes;
  if (nodes === undefined || nodes.length === 0) return undefined;
  const tests: string[] = [];
  for (let k = 0; k < nodes.length; k++) {
    const n = nodes[k]!;
    const proto = Object.getPrototypeOf(n) as unknown;
    if (proto !== StreamNode.prototype && !(n instanceof KeyedNode)) return undefined;
    if (n.ownTest === undefined || n.ownSource === undefined) return undefined;
    // A start state's matches hold no start event, so they never expire and restart nothing.
    if (n.withinEvery !== undefined && !n.start) return undefined;
    // Defensive: plan-pattern.ts gives own-event tests to pattern states only, so a
    // sequence's states (which see every event) fail the ownSource check above.
    if (n.shared.type !== 'pattern' || n.shared !== nodes[0]!.shared) return undefined;
    tests.push(n instanceof KeyedNode ? keyedTest(n, k) : `(${n.ownSource})`);
  }
  if (nodes[0]!.shared.within >= 0 && nodes.length > 2) return undefined;
  // Every state of the pattern is one of `nodes`. Defensive: a state on another stream makes the
  // instance read two streams, so build-partition.ts finds no sole reader and never asks here.
  if (nodes[0]!.shared.slotCount !== nodes.length) return undefined;
  return { js: tests.join(' || ') };
}

/**
 * A keyed state (`e2=S[k == e1.k and …]`) takes a row only when a match
 * waits under the row's key: its own test and that, asked before the
 * stabilize the row would run. That stabilize can only drop its waiting
 * matches (expiry) or add its new ones (updateState: so a state with new
 * matches counts as waiting). Most rows of Q6 below 10 find none and stay.
 */
function keyedTest(n: KeyedNode<unknown>, k: number): string {
  return `((${n.ownSource}) && (n[${k}].fresh.length !== 0 || ${n instanceof KeyedRowNode ? rowWaitsSource(k, n.eventIndex) : `n[${k}].waitsFor(d[${n.eventIndex}])`}))`;
}

/**
 * KeyedRowNode.waitsFor written into the router's script (its temporaries
 * `sv`, `sb` are the router step's, routers.ts): the shared method took the
 * type feedback of every partitioned pattern in the process.
 */
function rowWaitsSource(k: number, index: number): string {
  const n = `n[${k}]`;
  return `((sv = d[${index}]) !== null && sv !== undefined && (sb = sv === ${n}.lastKey ? ${n}.lastBucket : ${n}.buckets.get(sv)) !== undefined && sb.length > 0)`;
}
