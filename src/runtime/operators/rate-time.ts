// `output all|last every T` (released on clock ticks at start + k·T) and
// `output first every T` (event-driven: emit, then suppress for T), with
// per-group variants. Built by plan/plan-output-rate.ts.

import { IDENTITY_CODEC } from '../../state/cell.js';
import { LoggedMap, type MapCapture } from '../../state/logged-map.js';
import { LoggedQueue, type QueueCapture } from '../../state/logged-queue.js';
import { CURRENT, EVENT_CODEC, EXPIRED, type StreamEvent } from '../event.js';
import { Pipe } from '../processor.js';
import { type TimerCapture, TimerSlot } from '../timer-slot.js';
import { RateCell, type RateContext } from './rate-cell.js';

/**
 * `output all every T`, `output last every T` and (grouped) the last event of
 * each key: events are held and released at each tick. The first tick is one
 * period after creation (app start or partition instance creation).
 */
export class TickRate extends Pipe<StreamEvent> {
  private readonly timer: TimerSlot;
  private readonly all = new LoggedQueue<StreamEvent>(EVENT_CODEC);
  private readonly latest = new LoggedMap<string, StreamEvent>(EVENT_CODEC);

  constructor(
    private readonly policy: 'all' | 'last' | 'lastPerGroup',
    private readonly period: number,
    private readonly ctx: RateContext,
  ) {
    super();
    this.timer = new TimerSlot(ctx.scheduler, (time) => this.onDue(time));
    this.timer.armAt(ctx.scheduler.now() + period);
    ctx.declare(new RateCell(`rate.${policy}Time`,
      (m) => ({ due: this.timer.pending, q: this.all.capture(m), g: this.latest.capture(m), tm: this.timer.capture() }),
      (s: { due: number; q: QueueCapture; g: MapCapture; tm?: TimerCapture }) => {
        this.all.restore(s.q);
        this.latest.restore(s.g);
        this.timer.restore(s.tm, () => this.timer.armAt(s.due));
      }));
  }

  process(chunk: StreamEvent[], keys?: readonly string[]): void {
    for (let i = 0; i < chunk.length; i++) this.hold(chunk[i]!, keys?.[i] ?? '');
  }

  private onDue(time: number): void {
    // Everything held goes out now, so ticks before anything else happens would be empty.
    this.timer.armAt(this.ctx.scheduler.nextPeriodic(time, this.period));
    let out: StreamEvent[];
    if (this.policy === 'all') {
      out = this.all.drain();
    } else {
      out = [...this.latest.values()];
      if (out.length > 0) this.latest.clear();
    }
    if (out.length > 0) this.next.process(out);
  }

  private hold(e: StreamEvent, key: string): void {
    if (e.type !== CURRENT && e.type !== EXPIRED) return;
    if (this.policy === 'all') this.all.push(e);
    else if (this.policy === 'last') this.latest.set('', e);
    else {
      // Keep the key's first-seen position but its latest event.
      this.latest.set(key, e);
    }
  }
}

/**
 * `output first every T`: the first event goes out at once, then output is
 * suppressed until T has passed (per key with group by). Needs no timer.
 */
export class FirstTimeRate extends Pipe<StreamEvent> {
  /** Per key, when its last event went out. */
  private readonly emitted = new LoggedMap<string, number>(IDENTITY_CODEC);

  constructor(
    private readonly grouped: boolean,
    private readonly period: number,
    private readonly ctx: RateContext,
  ) {
    super();
    ctx.declare(new RateCell(grouped ? 'rate.firstTimeGroupBy' : 'rate.firstTime',
      (m) => ({ g: this.emitted.capture(m) }),
      (s: { g: MapCapture }) => this.emitted.restore(s.g)));
  }

  process(chunk: StreamEvent[], keys?: readonly string[]): void {
    if (chunk.length === 0) return;
    const now = this.ctx.scheduler.now();
    if (!this.grouped || keys === undefined) {
      // Without group by only the chunk's first event can go out, as in the reference.
      if (this.open('', now)) this.next.process([chunk[0]!]);
      return;
    }
    let out: StreamEvent[] | undefined;
    for (let i = 0; i < chunk.length; i++) if (this.open(keys[i]!, now)) (out ??= []).push(chunk[i]!);
    if (out) this.next.process(out);
  }

  private open(key: string, now: number): boolean {
    const last = this.emitted.get(key);
    if (last !== undefined && last + this.period > now) return false;
    this.emitted.set(key, now);
    return true;
  }
}
