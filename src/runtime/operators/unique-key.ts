// Shared by the unique: windows: the key of an event (its key attributes'
// values joined, as the reference concatenates them) and a keyed-event cell.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { EVENT_CODEC, type StreamEvent } from '../event.js';
import type { WindowArg } from './window.js';

export function keyOf(keys: readonly WindowArg[], e: StreamEvent): string {
  let k = '';
  for (const a of keys) k += String(a.get(e));
  return k;
}

/** Events by key in arrival order, plus (for unique:length) the window queue in order. */
export class KeyedEventsCell implements StateCell {
  readonly version = 1;
  map = new Map<string, StreamEvent>();
  queue: StreamEvent[] = [];
  count = 0;

  constructor(readonly kind: string) {}

  capture(_mode: CaptureMode): unknown {
    const index = new Map<StreamEvent, string>();
    for (const [k, e] of this.map) index.set(e, k);
    return {
      m: [...this.map].map(([k, e]) => [k, EVENT_CODEC.encode(e)]),
      // Queue entries that are also map values are stored as their key, so identity survives a restore.
      q: this.queue.map((e) => (index.has(e) ? { k: index.get(e) } : { e: EVENT_CODEC.encode(e) })),
      c: this.count,
    };
  }

  restore(state: unknown): void {
    const s = state as { m: [string, unknown][]; q: ({ k: string } | { e: unknown })[]; c: number };
    this.map = new Map(s.m.map(([k, e]) => [k, EVENT_CODEC.decode(e)]));
    this.queue = s.q.map((x) => ('k' in x ? this.map.get(x.k)! : EVENT_CODEC.decode(x.e)));
    this.count = s.c;
  }
}
