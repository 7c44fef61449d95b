// Shared by the state tests: a real envelope round trip for a captured state,
// and small cells built on the logged containers.

import {
  decodeCheckpoint, packCheckpoint, sealCheckpoint, IDENTITY_CODEC, LoggedMap, LoggedQueue,
  type CaptureMode, type StateCell,
} from '../../src/state/index.js';

/** Sends one state through pack → seal → decode, as a checkpoint would. */
export function throughEnvelope<T>(state: T, mode: CaptureMode = 'full'): T {
  const packed = packCheckpoint(
    { revision: 'r', parent: null, mode, createdAt: 0, cells: [{ id: 'x', kind: 'k', version: 1, mode, state }] },
    { appName: 'a', fingerprint: 'f' },
  );
  return decodeCheckpoint(sealCheckpoint(packed, 'none')).cells[0]!.state as T;
}

/** A window-like cell: a queue of rows plus a counter. */
export class QueueCell implements StateCell {
  readonly kind = 'test.queue';
  queue = new LoggedQueue<unknown[]>(IDENTITY_CODEC);
  count = 0;
  restores = 0;
  constructor(readonly version = 1) {}

  capture(mode: CaptureMode): unknown {
    return { q: this.queue.capture(mode), n: this.count };
  }

  restore(state: unknown): void {
    const s = state as { q: any; n: number };
    this.queue.restore(s.q);
    this.count = s.n;
    this.restores++;
  }

  add(row: unknown[], keep: number): void {
    this.queue.push(row);
    this.count++;
    while (this.queue.length > keep) this.queue.shift();
  }
}

/** A group-by-like cell: a map of key → running sums. */
export class MapCell implements StateCell {
  readonly kind = 'test.map';
  readonly version = 1;
  map = new LoggedMap<string, { sum: number; n: number }>({
    encode: (v) => [v.sum, v.n],
    decode: (raw) => {
      const [sum, n] = raw as [number, number];
      return { sum, n };
    },
  });
  restores = 0;

  capture(mode: CaptureMode): unknown {
    return this.map.capture(mode);
  }

  restore(state: unknown): void {
    this.map.restore(state as any);
    this.restores++;
  }

  add(key: string, x: number): void {
    const v = this.map.get(key);
    if (v) {
      v.sum += x;
      v.n++;
      this.map.touch(key);
    } else {
      this.map.set(key, { sum: x, n: 1 });
    }
  }
}
