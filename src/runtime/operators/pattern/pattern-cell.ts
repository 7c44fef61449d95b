// The state cells of one pattern or sequence query: `q/pattern` holds the
// partial matches (pattern-log.ts), and `q/pattern:N` the state at position N
// (slot N-1, `eN` when written in order): the numbers of its pending and new
// matches, its flags and its absent-state deadlines. A delta capture of a
// state lists the matches dropped and appended since the previous capture, so
// touching one of many pending matches ships a few numbers.

import { logsKept, type CaptureMode, type StateCell } from '../../../state/cell.js';
import type { StateEvent } from '../../event.js';
import type { MatchesCapture, PatternLog } from './pattern-log.js';
import type { StreamNode } from './stream-node.js';

export class PatternMatchesCell implements StateCell {
  readonly kind = 'pattern.matches';
  readonly version = 1;

  constructor(private readonly log: PatternLog) {}

  capture(mode: CaptureMode): unknown {
    return this.log.capture(mode === 'full');
  }

  restore(state: unknown): void {
    this.log.restore(state as MatchesCapture);
  }
}

/**
 * The state's matches, pending then new, whole (`l`) or as a change against the
 * previous capture: dropped (`d`) and appended (`a`); `n` of them are pending;
 * `x` flags. New matches move to the pending list in order, so that move is free.
 */
interface StateCapture {
  readonly l?: number[];
  readonly d?: number[];
  readonly a?: number[];
  readonly n: number;
  readonly x: unknown;
}

export class PatternStateCell implements StateCell {
  readonly kind = 'pattern.state';
  readonly version = 1;
  /** The match numbers (pending, then new) the last capture or restore saw. */
  private last: number[] | undefined;

  constructor(
    private readonly node: StreamNode,
    private readonly log: PatternLog,
  ) {}

  capture(mode: CaptureMode): unknown {
    const log = this.log;
    const pending = this.node.pendingList();
    const l = pending.concat(this.node.newList()).map((m) => log.idOf(m));
    const base = this.last;
    if (!logsKept()) this.last = l;
    const n = pending.length;
    const x = this.node.captureFlags();
    const delta = mode === 'delta' && base !== undefined ? listDelta(base, l) : undefined;
    return delta === undefined ? { l, n, x } : { ...delta, n, x };
  }

  restore(state: unknown): void {
    const s = state as StateCapture;
    let l: number[];
    if (s.l !== undefined) {
      l = s.l;
    } else {
      const dropped = new Set(s.d);
      l = (this.last ?? []).filter((id) => !dropped.has(id)).concat(s.a ?? []);
    }
    this.last = l;
    this.node.setPending(this.resolve(l.slice(0, s.n)));
    this.node.fresh = this.resolve(l.slice(s.n));
    this.node.restoreFlags(s.x);
  }

  /** Matches by number; one dropped later in a restored chain is skipped (its state's later capture no longer lists it). */
  private resolve(ids: readonly number[]): StateEvent[] {
    const out: StateEvent[] = [];
    for (const id of ids) {
      const m = this.log.match(id);
      if (m !== undefined) out.push(m);
    }
    return out;
  }
}

/**
 * `now` as `base` without some numbers and with some appended, when that is
 * what happened and it is shorter than `now`; else undefined (ship it whole).
 */
function listDelta(base: readonly number[], now: readonly number[]): { d: number[]; a: number[] } | undefined {
  const present = new Set(now);
  const d: number[] = [];
  let kept = 0;
  for (const id of base) {
    if (!present.has(id)) {
      d.push(id);
      continue;
    }
    if (now[kept] !== id) return undefined;
    kept++;
  }
  const a = now.slice(kept);
  return d.length + a.length < now.length ? { d, a } : undefined;
}
