// The end of a query that inserts into a stream or named window: hands the
// selector's chunks to the target. Stateless.

import type { StreamEvent } from '../event.js';
import type { Processor } from '../processor.js';

export class InsertInto implements Processor<StreamEvent> {
  constructor(private readonly target: Processor<StreamEvent>) {}

  process(chunk: StreamEvent[]): void {
    if (chunk.length > 0) this.target.process(chunk);
  }
}
