// The stand-in window of a join side without one: it keeps nothing, so each
// event probes the other side once as it arrives, then (when the query emits
// expired events) once more as an expiry stamped "now", then resets the
// selector's aggregates — the reference's behaviour for a window-less side.

import { CURRENT, EXPIRED, RESET, StreamEvent } from '../../event.js';
import { NOWHERE, type Linked, type Processor } from '../../processor.js';

export class PassWindow implements Linked<StreamEvent> {
  next: Processor = NOWHERE;

  constructor(private readonly expired: boolean, private readonly now: () => number) {}

  process(chunk: StreamEvent[]): void {
    for (let i = 0; i < chunk.length; i++) {
      const e = chunk[i]!;
      if (e.type !== CURRENT) continue;
      const now = this.now();
      const out = [e];
      if (this.expired) out.push(new StreamEvent(now, e.data, EXPIRED));
      out.push(new StreamEvent(now, e.data, RESET));
      this.next.process(out);
    }
  }
}
