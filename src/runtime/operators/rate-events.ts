// `output all|first|last every N events`: counts the selector's output events
// (per group for first/last with group by) and lets some of them through.
// Built by plan/plan-output-rate.ts; sits between the selector and the output.

import { LoggedMap, type MapCapture } from '../../state/logged-map.js';
import { LoggedQueue, type QueueCapture } from '../../state/logged-queue.js';
import { IDENTITY_CODEC } from '../../state/cell.js';
import { CURRENT, EVENT_CODEC, EXPIRED, type StreamEvent } from '../event.js';
import { Pipe } from '../processor.js';
import { RateCell, type RateContext } from './rate-cell.js';

function counts(e: StreamEvent): boolean {
  return e.type === CURRENT || e.type === EXPIRED;
}

/** `output all every N events`: holds events and releases them N at a time. */
export class AllEventsRate extends Pipe<StreamEvent> {
  private readonly held = new LoggedQueue<StreamEvent>(EVENT_CODEC);

  constructor(private readonly n: number, ctx: RateContext) {
    super();
    ctx.declare(new RateCell('rate.allEvents', (m) => ({ q: this.held.capture(m) }),
      (s: { q: QueueCapture }) => this.held.restore(s.q)));
  }

  process(chunk: StreamEvent[]): void {
    let out: StreamEvent[] | undefined;
    for (const e of chunk) {
      if (!counts(e)) continue;
      this.held.push(e);
      if (this.held.length === this.n) (out ??= []).push(...this.held.drain());
    }
    if (out) this.next.process(out);
  }
}

/** `output first every N events` without group by: the 1st of every N. */
export class FirstEventsRate extends Pipe<StreamEvent> {
  private counter = 0;

  constructor(private readonly n: number, ctx: RateContext) {
    super();
    ctx.declare(new RateCell('rate.firstEvents', () => ({ c: this.counter }),
      (s: { c: number }) => (this.counter = s.c)));
  }

  process(chunk: StreamEvent[]): void {
    let out: StreamEvent[] | undefined;
    for (const e of chunk) {
      this.counter++;
      if (this.counter === 1) (out ??= []).push(e);
      if (this.counter >= this.n) this.counter = 0;
    }
    if (out) this.next.process(out);
  }
}

/** `output last every N events` without group by: the Nth of every N. */
export class LastEventsRate extends Pipe<StreamEvent> {
  private counter = 0;

  constructor(private readonly n: number, ctx: RateContext) {
    super();
    ctx.declare(new RateCell('rate.lastEvents', () => ({ c: this.counter }),
      (s: { c: number }) => (this.counter = s.c)));
  }

  process(chunk: StreamEvent[]): void {
    let out: StreamEvent[] | undefined;
    for (const e of chunk) {
      if (!counts(e)) continue;
      if (++this.counter === this.n) {
        (out ??= []).push(e);
        this.counter = 0;
      }
    }
    if (out) this.next.process(out);
  }
}

/** `output first every N events` with group by: per key, the 1st of every N of that key. */
export class FirstEventsPerGroupRate extends Pipe<StreamEvent> {
  private readonly seen = new LoggedMap<string, number>(IDENTITY_CODEC);

  constructor(private readonly n: number, ctx: RateContext) {
    super();
    ctx.declare(new RateCell('rate.firstEventsGroupBy', (m) => ({ g: this.seen.capture(m) }),
      (s: { g: MapCapture }) => this.seen.restore(s.g)));
  }

  process(chunk: StreamEvent[], keys?: readonly string[]): void {
    let out: StreamEvent[] | undefined;
    for (let i = 0; i < chunk.length; i++) {
      const key = keys?.[i] ?? '';
      const c = this.seen.get(key);
      if (c === undefined) {
        (out ??= []).push(chunk[i]!);
        if (this.n > 1) this.seen.set(key, 1);
      } else if (c + 1 >= this.n) {
        this.seen.delete(key);
      } else {
        this.seen.set(key, c + 1);
      }
    }
    if (out) this.next.process(out);
  }
}

/** `output last every N events` with group by: every N events, the latest of each key seen. */
export class LastEventsPerGroupRate extends Pipe<StreamEvent> {
  private counter = 0;
  private readonly latest = new LoggedMap<string, StreamEvent>(EVENT_CODEC);

  constructor(private readonly n: number, ctx: RateContext) {
    super();
    ctx.declare(new RateCell('rate.lastEventsGroupBy',
      (m) => ({ c: this.counter, g: this.latest.capture(m) }),
      (s: { c: number; g: MapCapture }) => {
        this.counter = s.c;
        this.latest.restore(s.g);
      }));
  }

  process(chunk: StreamEvent[], keys?: readonly string[]): void {
    let out: StreamEvent[] | undefined;
    for (let i = 0; i < chunk.length; i++) {
      const e = chunk[i]!;
      if (!counts(e)) continue;
      this.latest.set(keys?.[i] ?? '', e);
      if (++this.counter === this.n) {
        this.counter = 0;
        (out ??= []).push(...this.latest.values());
        this.latest.clear();
      }
    }
    if (out) this.next.process(out);
  }
}
