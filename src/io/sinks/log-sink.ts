// @sink(type='log', prefix='…', priority='INFO'): one log line per payload,
// `<prefix> : <payload>`; the prefix defaults to `<app> : <stream>`.

import type { Event } from '../../runtime/junction.js';
import { formatDouble, formatFloat, formatObject } from '../../runtime/values.js';
import type { SinkKind } from '../contract.js';

/** Where log sinks write; default console. Injected with `new SiddhiManager({ logger })`. */
export interface IoLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

const PRIORITIES = ['INFO', 'DEBUG', 'WARN', 'FATAL', 'ERROR', 'OFF', 'TRACE'] as const;
type Priority = (typeof PRIORITIES)[number];

const WRITE: Record<Priority, ((logger: IoLogger, m: string) => void) | undefined> = {
  INFO: (l, m) => l.info(m),
  DEBUG: (l, m) => l.debug(m),
  TRACE: (l, m) => l.debug(m),
  WARN: (l, m) => l.warn(m),
  ERROR: (l, m) => l.error(m),
  FATAL: (l, m) => l.error(m),
  OFF: undefined,
};

export function logSink(logger: IoLogger): SinkKind {
  return {
    defaultMapper: 'passThrough',
    create(ctx) {
      const prefix = ctx.options.get('prefix', `${ctx.appName} : ${ctx.streamName}`);
      const write = WRITE[ctx.options.oneOf('priority', PRIORITIES, 'INFO')];
      const format = formatterOf(ctx.attributes.map((a) => a.type));
      return { publish: (payload) => write?.(logger, `${prefix} : ${format(payload)}`) };
    },
  };
}

/** Events as the reference prints them: Event{timestamp=…, data=[…], isExpired=…}, doubles as Java writes them. */
function formatterOf(types: readonly string[]): (payload: unknown) => string {
  const text = types.map((t) => (t === 'float' ? formatFloat : t === 'double' ? formatDouble : String));
  return (payload) => {
    if (typeof payload === 'string') return payload;
    if (isEvent(payload)) {
      const data = payload.data.map((v, i) => (typeof v === 'number' ? (text[i] ?? String)(v) : formatObject(v)));
      return `Event{timestamp=${payload.timestamp}, data=[${data.join(', ')}], isExpired=${payload.isExpired}}`;
    }
    return JSON.stringify(payload) ?? String(payload);
  };
}

function isEvent(v: unknown): v is Event {
  return typeof v === 'object' && v !== null && Array.isArray((v as Event).data) && typeof (v as Event).timestamp === 'number';
}
