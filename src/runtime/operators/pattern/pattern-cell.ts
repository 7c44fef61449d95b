// The state cell of one pattern or sequence query: every state's pending and
// new partial matches plus its flags. A partial match may sit in several
// lists at once (a count state and the state after it, both sides of a
// logical state) and count lists may be shared between matches, so matches
// and lists are written once each and referenced by number.

import type { StateCell } from '../../../state/cell.js';
import { EVENT_CODEC, type EventType, StateEvent, type StreamEvent } from '../../event.js';
import type { StreamNode } from './stream-node.js';

type RawSlot = null | [0, unknown] | [1, number];
type RawMatch = [timestamp: number, type: EventType, slots: RawSlot[]];
interface RawNode {
  p: number[];
  f: number[];
  x: unknown;
}
interface RawState {
  m: RawMatch[];
  l: unknown[][];
  n: RawNode[];
}

export class PatternCell implements StateCell {
  readonly kind = 'pattern';
  readonly version = 1;

  constructor(
    private readonly nodes: readonly StreamNode[],
  ) {}

  capture(): unknown {
    const matchIds = new Map<StateEvent, number>();
    const listIds = new Map<StreamEvent[], number>();
    const m: RawMatch[] = [];
    const l: unknown[][] = [];
    const listId = (list: StreamEvent[]): number => {
      let id = listIds.get(list);
      if (id === undefined) {
        id = l.length;
        listIds.set(list, id);
        l.push(list.map(EVENT_CODEC.encode));
      }
      return id;
    };
    const matchId = (s: StateEvent): number => {
      let id = matchIds.get(s);
      if (id === undefined) {
        id = m.length;
        matchIds.set(s, id);
        const raw: RawMatch = [s.timestamp, s.type, []];
        m.push(raw);
        raw[2] = s.events.map((e): RawSlot => (e === null ? null : Array.isArray(e) ? [1, listId(e)] : [0, EVENT_CODEC.encode(e)]));
      }
      return id;
    };
    const n = this.nodes.map((node): RawNode => ({
      p: node.pendingList().map(matchId),
      f: node.fresh.map(matchId),
      x: node.captureFlags(),
    }));
    return { m, l, n } satisfies RawState;
  }

  restore(state: unknown): void {
    const s = state as RawState;
    const lists = s.l.map((raw) => raw.map(EVENT_CODEC.decode));
    const matches = s.m.map(([ts, type, slots]) => new StateEvent(ts, slots.map((x) =>
      x === null ? null : x[0] === 1 ? lists[x[1]]! : EVENT_CODEC.decode(x[1])), type));
    this.nodes.forEach((node, i) => {
      const raw = s.n[i];
      node.setPending(raw ? raw.p.map((id) => matches[id]!) : []);
      node.fresh = raw ? raw.f.map((id) => matches[id]!) : [];
      node.restoreFlags(raw?.x);
    });
  }
}
