// A state cell for output rate limiters: a kind plus capture/restore closures
// over the limiter's fields. Used by the rate-*.ts operators.

import type { CaptureMode, StateCell } from '../../state/cell.js';

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
