// The states' new lists as SequenceMatcher keeps them and back: readRuns
// checks that the matches are runs of one event sequence ending at its last
// event (the matcher's load), copyRun and handBack rebuild the states' own
// matches from the matcher's ring (its detach, before a checkpoint or the
// states' own processing).

import { CURRENT, StateEvent, StreamEvent } from '../../event.js';
import type { StreamNode } from './stream-node.js';

/** The states' new matches as runs: every one is the end of `events`. */
export interface Runs {
  /** The longest match's events, in order. */
  readonly events: readonly StreamEvent[];
  /** The start state's armed match's time (-1: armed anew). */
  readonly armedTs: number;
  /** Per state k ≥ 1: how many events each slot its match fills holds; undefined when it has none. */
  readonly sizes: readonly (readonly number[] | undefined)[];
  /** Per state k ≥ 2: its match is state k-1's (a count state's, kept there too). */
  readonly same: readonly boolean[];
}

/**
 * The new matches of `states` (in slot order; `count` marks the `+` states)
 * as runs; undefined when they are not runs of the same events ending at the
 * last one, one a state (the pending lists are dropped before the next event anyway).
 */
export function readRuns(states: readonly StreamNode[], count: readonly boolean[]): Runs | undefined {
  const start = states[0]!;
  for (const m of start.pending) if (!armed(m)) return undefined;
  for (const m of start.fresh) if (!armed(m)) return undefined;
  // Only the new list outlives the next reset (which arms a new match when it is empty).
  if (start.fresh.length > 1) return undefined;
  const runs: (StreamEvent[] | undefined)[] = [undefined];
  const sizes: (number[] | undefined)[] = [undefined];
  const same: boolean[] = [false];
  let longest: StreamEvent[] = [];
  for (let k = 1; k < states.length; k++) {
    const f = states[k]!.fresh;
    if (f.length > 1) return undefined;
    const m = f[0];
    const run = m === undefined ? undefined : runOf(m, k, count);
    if (m !== undefined && run === undefined) return undefined;
    const shared = m !== undefined && k >= 2 && m === states[k - 1]!.fresh[0];
    if (shared && !count[k - 1]) return undefined;
    runs.push(run?.events);
    sizes.push(run?.sizes);
    same.push(shared);
    if (run !== undefined && run.events.length > longest.length) longest = run.events;
  }
  for (const r of runs) if (r !== undefined && !isSuffix(r, longest)) return undefined;
  const armedTs = start.fresh.length === 0 ? -1 : start.fresh[0]!.timestamp;
  return { events: longest, armedTs, sizes, same };
}

/** A match of its own (copied events, count lists) of `events` split into slots of `sizes`, at its last event's time. */
export function copyRun(events: readonly StreamEvent[], sizes: readonly number[], count: readonly boolean[]): StateEvent {
  const slots = new Array<StreamEvent | StreamEvent[] | null>(count.length).fill(null);
  let at = 0;
  for (let j = 0; j < sizes.length; j++) {
    const part = events.slice(at, (at += sizes[j]!)).map(copyEvent);
    slots[j] = count[j] ? part : part[0]!;
  }
  return new StateEvent(events[events.length - 1]!.timestamp, slots, CURRENT);
}

/** Gives the states these new matches (per state k ≥ 1, or none) and the start an armed one unless armed anew; no pending ones. */
export function handBack(states: readonly StreamNode[], armedTs: number, matches: readonly (StateEvent | undefined)[]): void {
  const start = states[0]!;
  start.setPending([]);
  start.fresh = armedTs === -1 ? [] : [new StateEvent(armedTs, new Array<null>(states.length).fill(null), CURRENT)];
  for (let k = 1; k < states.length; k++) {
    const m = matches[k];
    states[k]!.setPending([]);
    states[k]!.fresh = m === undefined ? [] : [m];
  }
}

/** A match of its own from a view over ring events (a selector that keeps what it is given). */
export function copyView(view: StateEvent): StateEvent {
  const events = view.events.map((s) => (s === null ? null : Array.isArray(s) ? s.map(copyEvent) : copyEvent(s)));
  return new StateEvent(view.timestamp, events, CURRENT);
}

/** A start state's armed match: current, no event yet. */
function armed(m: StateEvent): boolean {
  return m.type === CURRENT && m.events.every((s) => s === null);
}

/** The events of a match waiting at state k, in order, and its slots' sizes; undefined when not as a run keeps it. */
function runOf(m: StateEvent, k: number, count: readonly boolean[]): { events: StreamEvent[]; sizes: number[] } | undefined {
  if (m.type !== CURRENT) return undefined;
  const events: StreamEvent[] = [];
  const sizes: number[] = [];
  for (let j = 0; j < m.events.length; j++) {
    const s = m.events[j] ?? null;
    const must = j < k;
    const may = j === k && count[j] === true;
    if (s === null) {
      if (must) return undefined;
      continue;
    }
    if ((!must && !may) || sizes.length !== j) return undefined;
    if (Array.isArray(s)) {
      if (!count[j] || s.length === 0) return undefined;
      for (const e of s) events.push(e);
      sizes.push(s.length);
    } else {
      if (count[j]) return undefined;
      events.push(s);
      sizes.push(1);
    }
  }
  return { events, sizes };
}

/** Whether `r` is the end of `all`: the same times and values. */
function isSuffix(r: readonly StreamEvent[], all: readonly StreamEvent[]): boolean {
  const off = all.length - r.length;
  for (let i = 0; i < r.length; i++) {
    const a = r[i]!;
    const b = all[off + i]!;
    if (a === b) continue;
    if (a.timestamp !== b.timestamp || a.data.length !== b.data.length) return false;
    for (let x = 0; x < a.data.length; x++) if (!Object.is(a.data[x], b.data[x])) return false;
  }
  return true;
}

/** An event of its own with `e`'s time and values (the ring's events are reused). */
export function copyEvent(e: StreamEvent): StreamEvent {
  return new StreamEvent(e.timestamp, e.data.slice(), CURRENT);
}
