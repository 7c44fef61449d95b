// A sequence of plain and `+` states on one stream (`every e1=S[f], e2=S[g]+,
// e3=S[h]`) run over a ring of the stream's events: every partial match of
// such a sequence is a run of consecutive events ending at the last one, so a
// state's match is where its slots start, not a match object with event
// copies and count lists. The same matches as the states' own processing
// (stream-node.ts restartSequence/processAndReturn, count-node.ts); PatternRuntime.side
// makes one when fitsSequenceMatcher, the generated step (pattern-step.ts)
// runs it, and detach() writes the states back (a checkpoint, the general
// path); sequence-runs.ts converts between the two.

import { CURRENT, StateEvent, StreamEvent } from '../../event.js';
import { CountNode } from './count-node.js';
import { copyEvent, copyRun, copyView, handBack, readRuns } from './sequence-runs.js';
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
  /** The matches live here and the states' lists are stale; false until an event loads them (and after detach). */
  private live = false;
  private readonly n: number;
  private readonly count: boolean[];
  private readonly max: number[];
  private readonly filters: (((m: StateEvent) => boolean) | undefined)[];
  /** The events from the oldest live match's start on, by position (`pos & mask`); the matcher's own, lent to filters and projections. */
  private ring: StreamEvent[] = [];
  private mask = -1;
  /** The position of the next event. */
  private pos = 0;
  /** The start state's armed match's time (-1: armed anew), which `eventTimestamp()` in its filter reads. */
  private armedTs = -1;
  /** The match waiting at each state after the last event, and those handed over during the event being processed (the states' new lists). */
  private now: Waiting;
  private next: Waiting;
  /** Per state: its match took the event being processed. */
  private readonly took: Uint8Array;
  /** Per state: the match its filter (and, last, the projection) reads, over ring events. */
  private readonly views: StateEvent[];
  /** Per state and slot: the count list a view shows, and the position it starts at. */
  private readonly lists: StreamEvent[][];
  private readonly listFrom: Float64Array;
  /** Between the states' offers of one event (step), when a re-entry must detach first. */
  private busy = false;
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
    this.took = new Uint8Array(n);
    this.views = states.map(() => new StateEvent(-1, new Array<StreamEvent | StreamEvent[] | null>(n).fill(null), CURRENT));
    this.lists = Array.from({ length: n * n }, () => []);
    this.listFrom = new Float64Array(n * n).fill(NaN);
    this.grow(16);
  }

  /**
   * Processes the event (ts, row `d`, lent) as the states would; false, with
   * nothing done, when they hold matches this cannot represent (the caller
   * then runs the states).
   */
  step(ts: number, d: unknown[]): boolean {
    // Re-entered: the match being emitted fed this stream again, and the states take over (detach).
    if (this.busy) {
      this.detach();
      return false;
    }
    if (!this.live && !this.load()) return false;
    const p = this.pos;
    this.reserve(p);
    const x = this.ring[p & this.mask]!;
    x.timestamp = ts;
    const row = x.data;
    for (let i = 0; i < d.length; i++) row[i] = d[i];
    if (row.length !== d.length) row.length = d.length;
    this.pos = p + 1;
    const n = this.n;
    // Loops, not fill(): a builtin call each costs more than a few stores.
    const nextHas = this.next.has;
    const took = this.took;
    for (let k = 0; k < n; k++) {
      nextHas[k] = 0;
      took[k] = 0;
    }
    // Every waiting match ends at the previous event, and carries its time.
    const last = p === 0 ? -1 : this.ring[(p - 1) & this.mask]!.timestamp;
    this.busy = true;
    try {
      // The last state's match goes to the selector before the lower states see the event, as the states hand it on.
      if (this.now.has[n - 1] === 1 && this.offerPlain(n - 1, p, x, last)) {
        this.emit(ts);
        if (!this.live) {
          this.offerRest(x);
          return true;
        }
      }
      for (let k = n - 2; k >= 1; k--) {
        if (this.now.has[k] === 0) continue;
        if (this.count[k]) this.offerCount(k, p, last);
        else this.offerPlain(k, p, x, last);
      }
      this.offerStart(p, x);
    } catch (e) {
      // A filter or the selector failed: what the states above it handed on stays, the rest is lost, the start re-armed.
      if (this.live) this.settleFailed();
      throw e;
    } finally {
      this.busy = false;
    }
    this.swap();
    return true;
  }

  /**
   * The matches as the states hold them when an event stops between them (a
   * throw, or the emitted match feeding the stream again): those handed over
   * so far, none below, and the start armed anew (the next reset re-arms it).
   */
  private settleFailed(): void {
    this.armedTs = -1;
    this.swap();
  }

  /** The event x offered to the states below the last by the states themselves: the emit fed the stream again and detached this. */
  private offerRest(x: StreamEvent): void {
    const e = copyEvent(x);
    const out = this.out;
    for (let k = this.n - 2; k >= 0; k--) {
      this.states[k]!.processAndReturn(e, out);
      // Each taken off the list before the selector runs: it may feed this stream again.
      while (out.length > 0) this.output.emit(out.shift()!);
    }
  }

  /** State k (plain) offered x: its match takes it and is handed on, or is dropped. */
  private offerPlain(k: number, p: number, x: StreamEvent, last: number): boolean {
    const view = this.fillView(k, p, last);
    view.events[k] = x;
    const f = this.filters[k];
    if (f !== undefined && !f(view)) return false;
    this.took[k] = 1;
    if (k + 1 < this.n) this.handOn(k, k + 1, p, false);
    return true;
  }

  /** State k (counting) offered x: its list grows by it and the match is handed on and kept, or is dropped. */
  private offerCount(k: number, p: number, last: number): void {
    const now = this.now;
    const next = this.next;
    // The next state took this very match: it no longer collects here.
    if (now.same[k + 1] === 1 && this.took[k + 1] === 1) return;
    const n = this.n;
    const from = now.filled[k] === k ? p : now.starts[k * n + k]!;
    const view = this.fillView(k, p, last);
    view.events[k] = this.listOf(k, k, from, p + 1);
    const f = this.filters[k];
    if (f !== undefined && !f(view)) return;
    this.took[k] = 1;
    now.starts[k * n + k] = from;
    const size = p + 1 - from;
    const keeps = size !== this.max[k];
    this.handOn(k, k + 1, p, keeps);
    if (keeps) {
      next.has[k] = 1;
      next.filled[k] = k + 1;
      for (let j = k * n; j <= k * n + k; j++) next.starts[j] = now.starts[j]!;
      next.same[k] = 0;
    }
  }

  /** The armed start state offered x: a new match holding it goes to state 1 when that has none new yet. */
  private offerStart(p: number, x: StreamEvent): void {
    const next = this.next;
    const f = this.filters[0];
    if (f !== undefined) {
      const view = this.views[0]!;
      view.events[0] = x;
      view.timestamp = this.armedTs;
      if (!f(view)) {
        this.armedTs = -1;
        return;
      }
    }
    this.armedTs = x.timestamp;
    if (next.has[1] === 1) return;
    next.has[1] = 1;
    next.filled[1] = 1;
    next.starts[this.n] = p;
    next.same[1] = 0;
  }

  /**
   * State `from`'s match, with slot `from` ending at p (a plain slot: it
   * starts at p), handed to state `to` unless that has a new match already;
   * `same` when state `from` keeps it too.
   */
  private handOn(from: number, to: number, p: number, same: boolean): void {
    const now = this.now;
    const next = this.next;
    if (next.has[to] === 1) return;
    const n = this.n;
    next.has[to] = 1;
    next.filled[to] = from + 1;
    for (let j = 0; j < from; j++) next.starts[to * n + j] = now.starts[from * n + j]!;
    next.starts[to * n + from] = this.count[from] ? now.starts[from * n + from]! : p;
    next.same[to] = same ? 1 : 0;
  }

  private swap(): void {
    const w = this.now;
    this.now = this.next;
    this.next = w;
  }

  /** The last state's match completed by the event at p: projected from its view, or copied when the selector keeps it. */
  private emit(ts: number): void {
    const view = this.views[this.n - 1]!;
    view.timestamp = ts;
    if (this.output.emitLent(view)) return;
    this.output.emit(copyView(view));
  }

  /** State k's view with its match's slots before k (the last slot it fills ends before p), at the match's time. */
  private fillView(k: number, p: number, last: number): StateEvent {
    const now = this.now;
    const view = this.views[k]!;
    view.timestamp = last;
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
  private reserve(p: number): void {
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
  private load(): boolean {
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
class Waiting {
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
