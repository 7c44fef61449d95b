// The partial matches of one pattern or sequence query under stable numbers,
// logged like the state containers (state/logged-map.ts): a capture ships the
// matches and count lists created or changed since the previous capture and the
// numbers of those dropped. A match may sit in several states' lists and count
// lists may be shared between matches, so both are written once and referenced
// by number. Changes are found by comparing with what the last capture saw
// (slot references, list contents), so no state has to report its edits.

import { EVENT_CODEC, type EventType, StateEvent, type StreamEvent } from '../../event.js';
import { logsKept } from '../../../state/cell.js';
import type { Slot, StreamNode } from './stream-node.js';

type RawSlot = null | [0, unknown] | [1, number];
type RawMatch = [timestamp: number, type: EventType, slots: RawSlot[]];

/** Whole table (`f`), or what changed: set matches/lists and the numbers dropped. */
export interface MatchesCapture {
  readonly f?: 1;
  readonly m: [number, RawMatch][];
  readonly l: [number, unknown[]][];
  readonly dm?: number[];
  readonly dl?: number[];
}

/** What the last capture (or restore) saw of a match. */
interface Seen {
  id: number;
  ts: number;
  type: EventType;
  slots: Slot[];
}

export class PatternLog {
  private matches = new Map<StateEvent, Seen>();
  /** `items`: the list as the last capture saw it; null when no capture has shipped it yet. */
  private lists = new Map<StreamEvent[], { id: number; items: StreamEvent[] | null }>();
  private nextMatch = 0;
  private nextList = 0;
  /** Matches by number as the last restore left them: what the states' cells resolve against. */
  private restored = new Map<number, StateEvent>();
  private restoredLists = new Map<number, StreamEvent[]>();

  /** `beforeAccess` runs before a capture or restore: a runtime keeping matches outside the states writes them back (sequence-matcher.ts). */
  constructor(
    private readonly nodes: readonly StreamNode[],
    private readonly beforeAccess: () => void,
  ) {}

  /** The number of `m` (numbered now when the capture of its state runs first). */
  idOf(m: StateEvent): number {
    let seen = this.matches.get(m);
    if (seen === undefined) {
      seen = { id: this.nextMatch++, ts: NaN, type: m.type, slots: [] };
      this.matches.set(m, seen);
    }
    return seen.id;
  }

  /** The match restored under `id`; undefined for one dropped later in the restored chain. */
  match(id: number): StateEvent | undefined {
    return this.restored.get(id);
  }

  /** Inside keepingLogs (state/cell.ts) what it compares against stays as it was: the next capture ships these changes again. */
  capture(full: boolean): MatchesCapture {
    this.beforeAccess();
    const keep = logsKept();
    this.restored.clear();
    this.restoredLists.clear();
    const live = new Set<StateEvent>();
    for (const n of this.nodes) {
      for (const m of n.pendingList()) live.add(m);
      for (const m of n.newList()) live.add(m);
    }
    const m: [number, RawMatch][] = [];
    const l: [number, unknown[]][] = [];
    const liveLists = new Set<StreamEvent[]>();
    for (const match of live) {
      const id = this.idOf(match);
      const seen = this.matches.get(match)!;
      for (const s of match.events) if (Array.isArray(s)) this.captureList(s, full, keep, liveLists, l);
      if (!full && !changed(seen, match)) continue;
      if (!keep) {
        seen.ts = match.timestamp;
        seen.type = match.type;
        seen.slots = match.events.slice();
      }
      m.push([id, [match.timestamp, match.type, match.events.map((s) => this.rawSlot(s))]]);
    }
    const dm: number[] = [];
    for (const [match, seen] of this.matches) {
      if (live.has(match)) continue;
      if (!keep) this.matches.delete(match);
      dm.push(seen.id);
    }
    const dl: number[] = [];
    for (const [list, seen] of this.lists) {
      if (liveLists.has(list)) continue;
      if (!keep) this.lists.delete(list);
      dl.push(seen.id);
    }
    return full ? { f: 1, m, l } : { m, l, dm, dl };
  }

  restore(s: MatchesCapture): void {
    this.beforeAccess();
    if (s.f === 1) {
      this.restored = new Map();
      this.restoredLists = new Map();
    } else if (this.restored.size === 0) {
      // A delta on top of the running state (not of a restore just applied).
      for (const [m, seen] of this.matches) this.restored.set(seen.id, m);
      for (const [list, seen] of this.lists) this.restoredLists.set(seen.id, list);
    }
    for (const id of s.dm ?? []) this.restored.delete(id);
    for (const id of s.dl ?? []) this.restoredLists.delete(id);
    for (const [id, raw] of s.l) {
      const items = raw.map(EVENT_CODEC.decode);
      const list = this.restoredLists.get(id);
      // In place: matches restored earlier share this list.
      if (list === undefined) this.restoredLists.set(id, items);
      else {
        list.length = 0;
        for (const e of items) list.push(e);
      }
    }
    for (const [id, [ts, type, raw]] of s.m) {
      const slots = raw.map((x) => (x === null ? null : x[0] === 1 ? this.restoredLists.get(x[1])! : EVENT_CODEC.decode(x[1]) as StreamEvent));
      const match = this.restored.get(id);
      if (match === undefined) {
        this.restored.set(id, new StateEvent(ts, slots, type));
      } else {
        // In place: the states' lists restored earlier in the chain hold this object.
        match.timestamp = ts;
        match.type = type;
        for (let i = 0; i < slots.length; i++) match.events[i] = slots[i]!;
      }
    }
    this.relearn();
  }

  /** After a restore, the next delta is taken against the restored state. */
  private relearn(): void {
    this.matches = new Map();
    this.lists = new Map();
    this.nextMatch = 0;
    this.nextList = 0;
    for (const [id, items] of this.restoredLists) {
      this.lists.set(items, { id, items: items.slice() });
      this.nextList = Math.max(this.nextList, id + 1);
    }
    for (const [id, m] of this.restored) {
      this.matches.set(m, { id, ts: m.timestamp, type: m.type, slots: m.events.slice() });
      this.nextMatch = Math.max(this.nextMatch, id + 1);
    }
  }

  private captureList(list: StreamEvent[], full: boolean, keep: boolean, live: Set<StreamEvent[]>, out: [number, unknown[]][]): void {
    if (live.has(list)) return;
    live.add(list);
    let seen = this.lists.get(list);
    if (seen === undefined) {
      // Numbered now (a match refers to it); kept logs: null, so the next capture ships it even when empty.
      seen = { id: this.nextList++, items: null };
      this.lists.set(list, seen);
    } else if (!full && seen.items !== null && sameItems(seen.items, list)) {
      return;
    }
    if (!keep) seen.items = list.slice();
    out.push([seen.id, list.map(EVENT_CODEC.encode)]);
  }

  private rawSlot(s: Slot): RawSlot {
    if (s === null) return null;
    return Array.isArray(s) ? [1, this.lists.get(s)!.id] : [0, EVENT_CODEC.encode(s)];
  }
}

function changed(seen: Seen, m: StateEvent): boolean {
  if (seen.ts !== m.timestamp || seen.type !== m.type || seen.slots.length !== m.events.length) return true;
  for (let i = 0; i < m.events.length; i++) if (seen.slots[i] !== m.events[i]) return true;
  return false;
}

function sameItems(a: readonly StreamEvent[], b: readonly StreamEvent[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
