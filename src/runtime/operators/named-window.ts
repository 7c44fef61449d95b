// A `define window W (…) kind(args) output …` element: one window operator
// shared by every query that reads W. Writers insert through W's junction;
// readers get the window's output filtered to W's output event type.

import type { OutputEventType } from '../../ast/index.js';
import type { StreamEvent } from '../event.js';
import { CURRENT, EXPIRED } from '../event.js';
import type { Processor } from '../processor.js';
import type { StreamJunction } from '../junction.js';
import type { Window } from './window.js';

export class NamedWindowOutput implements Processor<StreamEvent> {
  private readers: Processor<StreamEvent>[] = [];
  private readonly current: boolean;
  private readonly expired: boolean;

  constructor(output: OutputEventType) {
    this.current = output !== 'expired';
    this.expired = output !== 'current';
  }

  subscribe(reader: Processor<StreamEvent>): void {
    this.readers.push(reader);
  }

  process(chunk: StreamEvent[]): void {
    let out = chunk;
    if (!this.current || !this.expired) {
      // Readers never see reset or timer events, and only the declared types.
      out = chunk.filter((e) => (e.type === CURRENT && this.current) || (e.type === EXPIRED && this.expired));
      if (out.length === 0) return;
    }
    for (let i = 0; i < this.readers.length; i++) this.readers[i]!.process(out);
  }
}

export interface NamedWindow {
  readonly name: string;
  /** Where writers insert; readers of W never see this junction's expired flags. */
  readonly input: StreamJunction;
  readonly window: Window;
  readonly output: NamedWindowOutput;
}
