// One line of a multi-stream JSON-lines event file (the `siddhi run --input`
// format): `{"stream":"S","data":[…],"time":T}` sends an event to S,
// `{"time":T}` advances the playback clock. Read by event-file-source.ts.

/** `origin` is "file:line" for messages; `source` is the file's index among the inputs. */
export type EventLine =
  | { readonly kind: 'event'; readonly stream: string; readonly data: unknown[]; readonly time?: number; readonly origin: string; readonly source: number }
  | { readonly kind: 'time'; readonly time: number; readonly origin: string; readonly source: number };

/** One line's text as an event line; anything malformed is thrown as `fail(message naming origin)`. */
export function parseEventLine(text: string, origin: string, source: number, fail: (message: string) => Error): EventLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw fail(`${origin}: not JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw fail(`${origin}: expected an object like {"stream":"S","data":[…],"time":1000} or {"time":1000}`);
  }
  const v = value as { stream?: unknown; data?: unknown; time?: unknown };
  if (v.time !== undefined && (typeof v.time !== 'number' || !Number.isFinite(v.time))) {
    throw fail(`${origin}: "time" must be a number (epoch milliseconds)`);
  }
  if (v.stream === undefined) {
    if (v.time === undefined || v.data !== undefined) throw fail(`${origin}: an event needs "stream" and "data"; a clock line has only "time"`);
    return { kind: 'time', time: v.time, origin, source };
  }
  if (typeof v.stream !== 'string') throw fail(`${origin}: "stream" must be a string`);
  if (!Array.isArray(v.data)) throw fail(`${origin}: "data" must be an array of attribute values`);
  return v.time === undefined
    ? { kind: 'event', stream: v.stream, data: v.data, origin, source }
    : { kind: 'event', stream: v.stream, data: v.data, time: v.time, origin, source };
}
