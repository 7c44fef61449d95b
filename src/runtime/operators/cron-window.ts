// `#window.cron('*/5 * * * * ?')`: collects events and, at each cron fire
// time, emits [expired previous batch…, this batch…]; a fire with nothing
// collected emits nothing, so a timer is armed only while a batch is open.

import type { CaptureMode } from '../../state/cell.js';
import { CronSyntaxError, parseCron, type CronExpression } from '../cron/cron-expression.js';
import { nextCronTime } from '../cron/cron-next.js';
import { CURRENT, EXPIRED, type StreamEvent } from '../event.js';
import { NOWHERE, type Processor } from '../processor.js';
import { TimerSlot } from '../timer-slot.js';
import { BatchCell, moveBatch } from './batch-cell.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

export class CronWindowCell extends BatchCell {
  /** Fire time that flushes the open batch; -1 while none is open. */
  next = -1;

  constructor(
    ctx: WindowContext,
    private readonly rearm: () => void,
  ) {
    super('window.cron', ctx);
  }

  override capture(mode: CaptureMode): unknown {
    return { ...(super.capture(mode) as object), n: this.next };
  }

  override restore(state: unknown): void {
    super.restore(state);
    this.next = (state as { n: number }).n;
    this.rearm();
  }
}

export class CronWindow implements Window {
  next: Processor = NOWHERE;
  private readonly cell: CronWindowCell;
  private readonly timer: TimerSlot;

  constructor(
    private readonly cron: CronExpression,
    private readonly ctx: WindowContext,
  ) {
    this.timer = new TimerSlot(ctx.scheduler, (time) => this.onDue(time));
    // The cell keeps only the fire time (no `tm`): a restore arms it afresh.
    this.cell = new CronWindowCell(ctx, () => {
      this.timer.disarm();
      this.arm();
    });
    ctx.declare(this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const cell = this.cell;
    const now = this.ctx.scheduler.now();
    // A fire a late timer would have done comes first, so the event opens the next batch.
    if (cell.next !== -1 && cell.next <= now) this.flush(cell.next);
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      cell.current.push(e);
      if (cell.next === -1) {
        cell.next = nextCronTime(this.cron, now) ?? -1;
        this.arm();
      }
    }
  }

  private onDue(time: number): void {
    if (time === this.cell.next) this.flush(time);
  }

  contents(): Iterable<StreamEvent> {
    return this.cell.expired;
  }

  private flush(time: number): void {
    const cell = this.cell;
    cell.next = -1;
    if (cell.current.length === 0) return;
    const out = cell.expired.drainAs(EXPIRED, time);
    moveBatch(cell.current, cell.expired, out);
    this.next.process(out);
  }

  private arm(): void {
    if (this.cell.next !== -1) this.timer.armAt(this.cell.next);
  }
}

const SIGNATURE = "cron(cron.expression string)";

export const CRON_WINDOW: WindowKind = {
  name: 'cron',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('cron', SIGNATURE, args, ctx).count(1, 1);
    const text = a.string(0, 'cron.expression');
    let cron: ReturnType<typeof parseCron>;
    try {
      cron = parseCron(text);
    } catch (e) {
      if (e instanceof CronSyntaxError) a.fail(`window 'cron': ${e.message}`, args[0]);
      throw e;
    }
    return (c) => new CronWindow(cron, c);
  },
};
