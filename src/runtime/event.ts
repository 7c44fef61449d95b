// Events that flow between operators. A chunk is a plain array of events: one
// input event, one timer firing or one batch flush is one chunk.

export const CURRENT = 0;
export const EXPIRED = 1;
export const TIMER = 2;
export const RESET = 3;
export type EventType = typeof CURRENT | typeof EXPIRED | typeof TIMER | typeof RESET;

/**
 * One event of one stream. `data` is never mutated once the event exists
 * (windows and checkpoints hold references to it); operators make new events.
 */
export class StreamEvent {
  constructor(
    public timestamp: number,
    public readonly data: unknown[],
    public type: EventType,
  ) {}

  /** The public Event view: user callbacks receive stream events as they are. */
  get isExpired(): boolean {
    return this.type === EXPIRED;
  }
}

/**
 * A row that joins or patterns produce: one slot per stream position. A slot
 * holds one event, or for a counted pattern state the list of collected events.
 */
export class StateEvent {
  constructor(
    public timestamp: number,
    public readonly events: (StreamEvent | StreamEvent[] | null)[],
    public type: EventType,
  ) {}
}

/** What a compiled expression reads: a stream event or a state event. */
export type Row = StreamEvent | StateEvent;

/** One chunk of events of one timestamp and type, each taking its row as it is (no copy). */
export function rowEvents(timestamp: number, rows: readonly unknown[][], type: EventType): StreamEvent[] {
  const chunk: StreamEvent[] = [];
  for (let i = 0; i < rows.length; i++) chunk.push(new StreamEvent(timestamp, rows[i]!, type));
  return chunk;
}

export function isExpired(e: { type: EventType }): boolean {
  return e.type === EXPIRED;
}

/** Codec for events kept in logged containers: `[timestamp, data, type]`. */
export const EVENT_CODEC = {
  encode(e: StreamEvent): unknown {
    return [e.timestamp, e.data, e.type];
  },
  decode(raw: unknown): StreamEvent {
    const [ts, data, type] = raw as [number, unknown[], EventType];
    return new StreamEvent(ts, data, type);
  },
};
