// `S[condition]`: passes the events whose condition is true. Stateless.

import type { Row } from '../event.js';
import { Pipe } from '../processor.js';

export class Filter extends Pipe {
  constructor(
    readonly condition: (row: Row) => unknown,
    /** The condition as source over the row's data `d`, when it has one (fused kernels inline it). */
    readonly source?: string,
  ) {
    super();
  }

  process(chunk: Row[]): void {
    const cond = this.condition;
    if (chunk.length === 1) {
      if (cond(chunk[0]!) === true) this.next.process(chunk);
      return;
    }
    const out: Row[] = [];
    for (let i = 0; i < chunk.length; i++) if (cond(chunk[i]!) === true) out.push(chunk[i]!);
    this.emit(out);
  }
}
