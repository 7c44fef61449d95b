// A state cell for output rate limiters: a kind plus capture/restore closures
// over the limiter's fields, and what every limiter is built with. Used by the
// rate-*.ts operators.

import type { CaptureMode, StateCell } from '../../state/cell.js';
import type { Scheduler } from '../clock.js';
import type { DeclareCell } from '../instance.js';

/** What a rate limiter is built with: where it declares its cell (the planner chose the id), and the clock. */
export interface RateContext {
  readonly declare: DeclareCell;
  readonly scheduler: Scheduler;
}

export class RateCell implements StateCell {
  readonly version = 1;

  constructor(
    readonly kind: string,
    private readonly save: (mode: CaptureMode) => unknown,
    private readonly load: (state: any) => void,
  ) {}

  capture(mode: CaptureMode): unknown {
    return this.save(mode);
  }

  restore(state: unknown): void {
    this.load(state);
  }
}
