// The runtime's logger: where `#log(…)` writes (and, with the same shape,
// where io's log sink writes). Injected with `new SiddhiManager({ logger })` or
// per runtime with `createSiddhiAppRuntime(text, { logger })`; default the console.

import { assertNever } from '../dispatch.js';

export type LogPriority = 'FATAL' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';

export const LOG_PRIORITIES: readonly LogPriority[] = ['FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'];

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

export const CONSOLE_LOGGER: Logger = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
  debug: (m) => console.debug(m),
};

/** Writes at a priority: FATAL as error, TRACE as debug, as log4j's levels map onto four methods. */
export function writeLog(logger: Logger, priority: LogPriority, message: string): void {
  switch (priority) {
    case 'FATAL':
    case 'ERROR':
      return logger.error(message);
    case 'WARN':
      return logger.warn(message);
    case 'INFO':
      return logger.info(message);
    case 'DEBUG':
    case 'TRACE':
      return logger.debug(message);
    default:
      return assertNever(priority, 'log priority');
  }
}
