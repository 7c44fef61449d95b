// `#window.session(gap [, key] [, allowed.latency])`: current events pass at
// once; a key's session ends at its last event + gap and then expires as one
// chunk. With a latency the ended session is held (late events may join it)
// and expires at end + latency.

import type { StateCell } from '../../state/cell.js';
import { CURRENT, EVENT_CODEC, EXPIRED, StreamEvent } from '../event.js';
import { Pipe } from '../processor.js';
import { type TimerCapture, TimerSlot } from '../timer-slot.js';
import type { Window, WindowArg, WindowContext, WindowFactory, WindowKind, WindowPlanContext } from './window.js';
import { WindowArgs } from './window-args.js';

interface Session {
  events: StreamEvent[];
  start: number;
  end: number;
  /** Where the next late event goes (see insertLate); absent until the first one. */
  cursor?: number;
}

type CapturedSession = [key: string, start: number, end: number, events: unknown[], cursor?: number];

function encodeSessions(m: Map<string, Session>): CapturedSession[] {
  const out: CapturedSession[] = [];
  for (const [k, s] of m) {
    const row: CapturedSession = [k, s.start, s.end, s.events.map(EVENT_CODEC.encode)];
    if (s.cursor !== undefined) row.push(s.cursor);
    out.push(row);
  }
  return out;
}

function decodeSessions(m: Map<string, Session>, raw: CapturedSession[]): void {
  m.clear();
  for (const [k, start, end, events, cursor] of raw) {
    m.set(k, { start, end, events: events.map(EVENT_CODEC.decode), ...(cursor !== undefined ? { cursor } : {}) });
  }
}

/**
 * Puts late `events` into an open session where the reference does, so a
 * session expires its events in the reference's order: its session chunk
 * inserts before an iterator's element after advancing the iterator when it
 * can (the first late event goes first, later ones after those before them).
 */
function insertLate(s: Session, events: readonly StreamEvent[]): void {
  let at = s.cursor ?? -1;
  if (at < s.events.length - 1) at++;
  // Not splice(at, 0, ...events): a held session of ~10^5 events is too many arguments for a spread.
  s.events = s.events.slice(0, at).concat(events, s.events.slice(at));
  s.cursor = at + events.length;
}

export class SessionWindowCell implements StateCell {
  readonly kind = 'window.session';
  readonly version = 1;
  /** Open sessions by key. */
  readonly open = new Map<string, Session>();
  /** Ended sessions waiting out the allowed latency, by key. */
  readonly held = new Map<string, Session>();

  constructor(
    private readonly timer: TimerSlot,
    private readonly rearm: () => void,
  ) {}

  capture(): unknown {
    return { o: encodeSessions(this.open), h: encodeSessions(this.held), tm: this.timer.capture() };
  }

  restore(state: unknown): void {
    const s = state as { o: CapturedSession[]; h: CapturedSession[]; tm?: TimerCapture };
    decodeSessions(this.open, s.o);
    decodeSessions(this.held, s.h);
    this.timer.restore(s.tm, this.rearm);
  }
}

export class SessionWindow extends Pipe<StreamEvent> implements Window {
  private readonly timer: TimerSlot;
  private readonly cell: SessionWindowCell;

  constructor(
    private readonly gap: number,
    private readonly keyOf: ((e: StreamEvent) => unknown) | undefined,
    private readonly latency: number,
    ctx: WindowContext,
  ) {
    super();
    this.timer = new TimerSlot(ctx.scheduler, (time) => this.onDue(time));
    this.cell = new SessionWindowCell(this.timer, () => this.rearm());
    ctx.declare(this.cell);
  }

  process(chunk: StreamEvent[]): void {
    const { open } = this.cell;
    const out: StreamEvent[] = [];
    const expired: StreamEvent[] = [];
    for (const e of chunk) {
      if (e.type !== CURRENT) continue;
      const key = this.keyOf ? String(this.keyOf(e)) : '';
      const ts = e.timestamp;
      const s = open.get(key);
      if (!s) {
        open.set(key, { events: [e], start: ts, end: ts + this.gap });
      } else if (ts >= s.start && ts <= s.end) {
        s.events.push(e);
        s.end = Math.max(s.end, ts + this.gap);
      } else if (ts > s.end) {
        // The session's timer is late: end it here, as it would have.
        this.close(key, s, ts, expired);
        open.set(key, { events: [e], start: ts, end: ts + this.gap });
      } else if (!this.addLate(key, s, e)) {
        continue;
      }
      this.arm(open.get(key)!.end);
      out.push(e);
    }
    for (const x of expired) out.push(x);
    if (expired.length > 0) this.rearm();
    this.emit(out);
  }

  private onDue(time: number): void {
    const { open, held } = this.cell;
    const out: StreamEvent[] = [];
    for (const [key, s] of dueSessions(open, time, 0)) this.close(key, s, time, out);
    for (const [key, s] of dueSessions(held, time, this.latency)) {
      held.delete(key);
      for (const ev of s.events) out.push(new StreamEvent(time, ev.data, EXPIRED));
    }
    this.rearm();
    this.emit(out);
  }

  *contents(): Iterable<StreamEvent> {
    for (const s of this.cell.held.values()) yield* s.events;
    for (const s of this.cell.open.values()) yield* s.events;
  }

  /** Ends an open session: expires it now, or holds it for the allowed latency. */
  private close(key: string, s: Session, time: number, out: StreamEvent[]): void {
    this.cell.open.delete(key);
    if (this.latency <= 0) {
      for (const ev of s.events) out.push(new StreamEvent(time, ev.data, EXPIRED));
      return;
    }
    const old = this.cell.held.get(key);
    if (old) for (const ev of old.events) out.push(new StreamEvent(time, ev.data, EXPIRED));
    this.cell.held.set(key, s);
  }

  /** An event older than its key's open session: joins it or the held one, or is dropped. */
  private addLate(key: string, s: Session, e: StreamEvent): boolean {
    const ts = e.timestamp;
    const held = this.cell.held.get(key);
    if (ts >= s.start - this.gap) {
      insertLate(s, [e]);
      s.start = ts;
      if (held && held.end >= s.start - this.gap) this.merge(key, held, s);
      return true;
    }
    if (this.latency <= 0 || !held || ts < held.start - this.gap) return false;
    held.events.push(e);
    if (ts < held.start) held.start = ts;
    else {
      held.end = Math.max(held.end, ts + this.gap);
      if (held.end >= s.start - this.gap) this.merge(key, held, s);
    }
    return true;
  }

  private merge(key: string, held: Session, s: Session): void {
    insertLate(s, held.events);
    s.start = Math.min(held.start, s.start);
    this.cell.held.delete(key);
  }

  /** Makes sure a timer fires by `due`; the timer then re-arms for the next session. */
  private arm(due: number): void {
    this.timer.armBy(due);
  }

  /** Arms the earliest of all session ends (open) and expiries (held): once per timer, not per event. */
  private rearm(): void {
    let due = Infinity;
    for (const s of this.cell.open.values()) if (s.end < due) due = s.end;
    for (const s of this.cell.held.values()) if (s.end + this.latency < due) due = s.end + this.latency;
    if (due === Infinity) this.timer.disarm();
    else this.timer.armAt(due);
  }
}

/** Sessions with `end + extra <= time`, earliest first. */
function dueSessions(m: Map<string, Session>, time: number, extra: number): [string, Session][] {
  const due: [string, Session][] = [];
  for (const entry of m) if (entry[1].end + extra <= time) due.push(entry);
  if (due.length > 1) due.sort((a, b) => a[1].end - b[1].end);
  return due;
}

const SIGNATURE = 'session(session.gap int|long|time [, session.key string] [, allowed.latency int|long|time])';

export const SESSION_WINDOW: WindowKind = {
  name: 'session',
  signature: SIGNATURE,
  plan(args: readonly WindowArg[], ctx: WindowPlanContext): WindowFactory {
    const a = new WindowArgs('session', SIGNATURE, args, ctx).count(1, 3);
    const gap = a.time(0, 'session.gap');
    let key: ((e: StreamEvent) => unknown) | undefined;
    let latency = 0;
    if (args.length === 3) {
      key = a.attribute(1, 'session.key', ['string']).get;
      latency = a.time(2, 'allowed.latency');
    } else if (args.length === 2) {
      if (a.isAttribute(1)) key = a.attribute(1, 'session.key', ['string']).get;
      else latency = a.time(1, 'allowed.latency (or a session.key attribute)');
    }
    if (latency > gap) a.fail(`window 'session': allowed.latency (${latency}) must not exceed session.gap (${gap})`, args[args.length - 1]);
    return (c) => new SessionWindow(gap, key, latency, c);
  },
};

