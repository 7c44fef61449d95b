// A partition instance's view of an outer stream: the instance's queries
// subscribe to it and the partition feeds it (by key, or to every instance);
// what the instance inserts into it goes to the outer stream.

import type { StreamEvent } from '../../event.js';
import { StreamJunction } from '../../junction.js';
import type { Processor } from '../../processor.js';

export class InstanceJunction extends StreamJunction {
  constructor(
    private readonly outer: StreamJunction,
    report: (error: unknown, where: string) => void,
    /** Called at the first subscription: only read views are fed. */
    private readonly onRead: () => void,
  ) {
    super(outer.schema, report);
  }

  override subscribe(reader: Processor<StreamEvent>): void {
    if (!this.read) {
      this.read = true;
      this.onRead();
    }
    super.subscribe(reader);
  }

  /** Writes from inside the instance go to the outer stream. */
  override process(chunk: StreamEvent[]): void {
    this.outer.process(chunk);
  }

  /** Hands a chunk of the outer stream to the instance's readers. */
  feed(chunk: StreamEvent[]): void {
    super.process(chunk);
  }

  private read = false;
}
