// A sequence of plain and `+` states on one stream (`every e1=S[f], e2=S[g]+,
// e3=S[h]`) run over a ring of the stream's events: every partial match of
// such a sequence is a run of consecutive events ending at the last one, so a
// state's match is where its slots start, not a match object with event
// copies and count lists. The same matches as the states' own processing
// (stream-node.ts restartSequence/processAndReturn, count-node.ts); PatternRuntime.side
// makes one when fitsSequenceMatcher, its step is generated for its shape
// (sequence-step.ts, inlined by pattern-step.ts), and detach() writes the
// states back (a checkpoint, the general path); sequence-runs.ts converts between the two.

import { CURRENT, StateEvent, StreamEvent } from '../../event.js';
import { CountNode } from './count-node.js';
import { copyEvent, copyRun, copyView, handBack, readRuns } from './sequence-runs.js';
import type { SequenceShape } from './sequence-step.js';
import { StreamNode } from './stream-node.js';

/** Where a completed match goes (PatternRuntime). */
export interface MatchEmitter {
  /** Projects `m` at once and returns true when the selector keeps nothing; false otherwise. */
  emitLent(m: StateEvent): boolean;
  emit(m: StateEvent): void;
}

/**
 * Whether `all` (every state, in slot order) is a sequence this runs: a plain
 * `every` start state (only itself under the every), then plain states and
 * counting states with a minimum of 1, ending in a plain state, no `within`.
 */
export function fitsSequenceMatcher(all: readonly StreamNode[]): boolean {
  const n = all.length;
  if (n < 2) return false;
  const shared = all[0]!.shared;
  if (shared.type !== 'sequence' || shared.within >= 0 || shared.slotCount !== n) return false;
  for (let k = 0; k < n; k++) {
    const s = all[k]!;
    const proto = Object.getPrototypeOf(s) as unknown;
    const count = proto === CountNode.prototype;
    if (proto !== StreamNode.prototype && !count) return false;
    if (s.slot !== k || s.shared !== shared || s.callback !== undefined || s.start !== (k === 0)) return false;
    if (s.every !== (k === 0 ? s : undefined) || s.next !== all[k + 1] || s.terminal !== (k === n - 1)) return false;
    if (count && (k === n - 1 || (s as CountNode).min !== 1 || !((s as CountNode).max >= 1))) return false;
  }
  return true;
}

export class SequenceMatcher {
  // The fields and methods the generated step (sequence-step.ts) reads and writes are public.
  /** The matches live here and the states' lists are stale; false until an event loads them (and after detach). */
  live = false;
  private readonly n: number;
  private readonly count: boolean[];
  private readonly max: number[];
  readonly filters: (((m: StateEvent) => boolean) | undefined)[];
  /** The events from the oldest live match's start on, by position (`pos & mask`); the matcher's own, lent to filters and projections. */
  ring: StreamEvent[] = [];
  mask = -1;
  /** The position of the next event. */
  pos = 0;
  /** The start state's armed match's time (-1: armed anew), which `eventTimestamp()` in its filter reads. */
  armedTs = -1;
  /** The match waiting at each state after the last event, and those handed over during the event being processed (the states' new lists). */
  now: Waiting;
  next: Waiting;
  /** Per state: the match its filter (and, last, the projection) reads, over ring events. */
  readonly views: StateEvent[];
  /** Per state and slot: the count list a view shows, and the position it starts at. */
  private readonly lists: StreamEvent[][];
  private readonly listFrom: Float64Array;
  /** Between the states' offers of one event (the step), when a re-entry must detach first. */
  busy = false;
  /** Completed matches of the states' own processing after a re-entry (offerRest). */
  private readonly out: StateEvent[] = [];

  constructor(
    private readonly states: readonly StreamNode[],
    private readonly output: MatchEmitter,
  ) {
    const n = (this.n = states.length);
    this.count = states.map((s) => s instanceof CountNode);
    this.max = states.map((s) => (s instanceof CountNode ? s.max : 1));
    this.filters = states.map((s) => s.filter);
    this.now = new Waiting(n);
    this.next = new Waiting(n);
    this.views = states.map(() => new StateEvent(-1, new Array<StreamEvent | StreamEvent[] | null>(n).fill(null), CURRENT));
    this.lists = Array.from({ length: n * n }, () => []);
    this.listFrom = new Float64Array(n * n).fill(NaN);
    this.grow(16);
  }

  /** What the step is generated for, with each filter's source over the ring (when it has one). */
  shape(ringFilters: readonly (string | undefined)[]): SequenceShape {
    return {
      count: this.count,
      max: this.max,
      filtered: this.filters.map((f) => f !== undefined),
      ringFilters: this.states.map((s) => ringFilters[s.slot]),
    };
  }

  /**
   * The matches as the states hold them when an event stops between them (a
   * throw, or the emitted match feeding the stream again): those handed over
   * so far, none below, and the start armed anew (the next reset re-arms it).
   */
  settleFailed(): void {
    this.armedTs = -1;
    const w = this.now;
    this.now = this.next;
    this.next = w;
  }

  /** The event x offered to the states below the last by the states themselves: the emit fed the stream again and detached this. */
  offerRest(x: StreamEvent): void {
    const e = copyEvent(x);
    const out = this.out;
    for (let k = this.n - 2; k >= 0; k--) {
      this.states[k]!.processAndReturn(e, out);
      // Each taken off the list before the selector runs: it may feed this stream again.
      while (out.length > 0) this.output.emit(out.shift()!);
    }
  }

  /** The last state's match completed by the event at p: projected from its view, or copied when the selector keeps it. */
  emitLast(ts: number, p: number): void {
    const view = this.lastView(ts, p);
    if (this.output.emitLent(view)) return;
    this.output.emit(copyView(view));
  }

  /** The last state's match completed by the event at p, as a view over the ring (a generated step projecting it itself reads it at once). */
  lastView(ts: number, p: number): StateEvent {
    const k = this.n - 1;
    const view = this.fillView(k, p, ts);
    view.events[k] = this.ring[p & this.mask]!;
    return view;
  }

  /** State k's match with the event at p in slot k (a count state's list from `from`), for a filter without a source over the ring. */
  viewOf(k: number, p: number, last: number, from: number): StateEvent {
    const view = this.fillView(k, p, last);
    view.events[k] = this.count[k] ? this.listOf(k, k, from, p + 1) : this.ring[p & this.mask]!;
    return view;
  }

  /** State k's view with its match's slots before k (the last slot it fills ends before p), at the match's time. */
  private fillView(k: number, p: number, ts: number): StateEvent {
    const now = this.now;
    const view = this.views[k]!;
    view.timestamp = ts;
    const filled = now.filled[k]!;
    const row = k * this.n;
    const events = view.events;
    for (let j = 0; j < k; j++) {
      const a = now.starts[row + j]!;
      if (!this.count[j]) events[j] = this.ring[a & this.mask]!;
      else events[j] = this.listOf(k, j, a, j + 1 < filled ? now.starts[row + j + 1]! : p);
    }
    return view;
  }

  /** View k's list of slot j over positions [a, b), grown from what it showed before when that is where it starts. */
  private listOf(k: number, j: number, a: number, b: number): StreamEvent[] {
    const at = k * this.n + j;
    const l = this.lists[at]!;
    let i = this.listFrom[at] === a && l.length <= b - a ? l.length : 0;
    this.listFrom[at] = a;
    for (let q = a + i; q < b; q++) l[i++] = this.ring[q & this.mask]!;
    // Cut by pops: a list set to length 0 loses its store, and the next push allocates one.
    while (l.length > b - a) l.pop();
    return l;
  }

  /** Makes room for the event at p beside every live match's events (and no more than 8 times what they need). */
  reserve(p: number): void {
    const now = this.now;
    let oldest = p;
    const n = this.n;
    for (let k = 1; k < n; k++) if (now.has[k] === 1 && now.starts[k * n]! < oldest) oldest = now.starts[k * n]!;
    const need = p - oldest + 1;
    const size = this.ring.length;
    // A ring grown for a long run shrinks once the live matches need an eighth of it.
    if (need <= size && (size <= 64 || 8 * need > size)) return;
    const old = this.ring;
    const oldMask = this.mask;
    this.grow(2 * need);
    for (let q = oldest; q < p; q++) this.ring[q & this.mask] = old[q & oldMask]!;
  }

  /** A ring of at least `size` new events (a power of two). */
  private grow(size: number): void {
    let c = 16;
    while (c < size) c *= 2;
    this.ring = Array.from({ length: c }, () => new StreamEvent(0, [], CURRENT));
    this.mask = c - 1;
  }

  /**
   * Writes the matches back into the states' lists, as the states would hold
   * them after the last event, and leaves the states in charge until the
   * next event loads them again. Called before a checkpoint reads or
   * replaces the states and before the states process an event themselves.
   */
  detach(): void {
    if (!this.live) return;
    if (this.busy) this.settleFailed();
    this.live = false;
    const matches: (StateEvent | undefined)[] = [undefined];
    for (let k = 1; k < this.n; k++) {
      const prev = matches[k - 1];
      if (this.now.has[k] === 0) matches.push(undefined);
      else matches.push(this.now.same[k] === 1 && prev !== undefined ? prev : this.copyMatch(k));
    }
    handBack(this.states, this.armedTs, matches);
  }

  /** State k's match as the states keep it: its own events and count lists. */
  private copyMatch(k: number): StateEvent {
    const row = k * this.n;
    const filled = this.now.filled[k]!;
    const end = this.pos;
    const sizes: number[] = [];
    for (let j = 0; j < filled; j++) sizes.push((j + 1 < filled ? this.now.starts[row + j + 1]! : end) - this.now.starts[row + j]!);
    const events: StreamEvent[] = [];
    for (let q = this.now.starts[row]!; q < end; q++) events.push(this.ring[q & this.mask]!);
    return copyRun(events, sizes, this.count);
  }

  /** Takes the matches from the states' new lists (readRuns); false when they are not as this keeps them. */
  load(): boolean {
    const runs = readRuns(this.states, this.count);
    if (runs === undefined) return false;
    const { events, sizes } = runs;
    const n = this.n;
    const end = this.pos + events.length;
    if (events.length + 1 > this.ring.length) this.grow(2 * (events.length + 1));
    for (let i = 0; i < events.length; i++) {
      const e = this.ring[(this.pos + i) & this.mask]!;
      e.timestamp = events[i]!.timestamp;
      const src = events[i]!.data;
      for (let a = 0; a < src.length; a++) e.data[a] = src[a];
      e.data.length = src.length;
    }
    this.pos = end;
    this.armedTs = runs.armedTs;
    this.listFrom.fill(NaN);
    for (let k = 1; k < n; k++) {
      const slots = sizes[k];
      this.now.has[k] = slots === undefined ? 0 : 1;
      this.now.same[k] = runs.same[k] ? 1 : 0;
      if (slots === undefined) continue;
      this.now.filled[k] = slots.length;
      let at = end;
      for (const size of slots) at -= size;
      for (let j = 0; j < slots.length; j++) {
        this.now.starts[k * n + j] = at;
        at += slots[j]!;
      }
    }
    this.live = true;
    return true;
  }
}

/** Per state: a match is waiting there, how many slots it has filled, and (k ≥ 2) it is the same match as state k-1's; row k of starts: where its slots start. */
export class Waiting {
  readonly has: Uint8Array;
  readonly filled: Int32Array;
  readonly same: Uint8Array;
  readonly starts: Float64Array;

  constructor(n: number) {
    this.has = new Uint8Array(n);
    this.filled = new Int32Array(n);
    this.same = new Uint8Array(n);
    this.starts = new Float64Array(n * n);
  }
}
