// `#unique:deduplicate(unique.key, time.interval)`: drops an event whose key
// was seen within `time.interval` ms before it (by event time). Keys older than
// the interval are forgotten as later events arrive.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import { CURRENT, type StreamEvent } from '../event.js';
import { NOWHERE, type Linked, type Processor } from '../processor.js';
import type { StreamFunctionKind } from './stream-function.js';
import { WindowArgs } from './window-args.js';

/** Seen keys with the time they were first let through, oldest first. */
class DeduplicateCell implements StateCell {
  readonly kind = 'streamfn.unique:deduplicate';
  readonly version = 1;
  seen = new Map<string, number>();

  capture(_mode: CaptureMode): unknown {
    return [...this.seen];
  }

  restore(state: unknown): void {
    this.seen = new Map(state as [string, number][]);
  }
}

export class UniqueDeduplicate implements Linked<StreamEvent> {
  next: Processor = NOWHERE;

  constructor(
    private readonly key: (e: StreamEvent) => unknown,
    private readonly interval: number,
    private readonly cell: DeduplicateCell,
  ) {}

  process(chunk: StreamEvent[]): void {
    const seen = this.cell.seen;
    const out: StreamEvent[] = [];
    for (const e of chunk) {
      for (const [k, t] of seen) {
        if (e.timestamp - t > this.interval) seen.delete(k);
        else break;
      }
      if (e.type !== CURRENT) {
        out.push(e);
        continue;
      }
      const key = String(this.key(e));
      if (seen.has(key)) continue;
      seen.set(key, e.timestamp);
      out.push(e);
    }
    if (out.length > 0) this.next.process(out);
  }
}

const SIGNATURE = 'unique:deduplicate(unique.key any, time.interval int|long|time)';

export const UNIQUE_DEDUPLICATE: StreamFunctionKind = {
  name: 'unique:deduplicate',
  signature: SIGNATURE,
  plan(args, ctx) {
    const a = new WindowArgs('unique:deduplicate', SIGNATURE, args, ctx, 'stream processor').count(2, 2);
    const interval = a.time(1, 'time.interval');
    return {
      added: [],
      build: (inst) => {
        const cell = new DeduplicateCell();
        inst.declare(cell);
        return new UniqueDeduplicate(args[0]!.get, interval, cell);
      },
    };
  },
};
