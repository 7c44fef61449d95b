// Where errors raised while an app runs go (failing callbacks, timers,
// periodic checkpoints): the handlers of runtime.onError, else the console.
// Made by the runtime's creator before planning: instances hand it to their operators (InstanceScope.report).

import { SiddhiError, SiddhiRuntimeError } from '../errors.js';

/**
 * Receives errors raised while the app runs (failing callbacks, timers, periodic checkpoints).
 *
 * @example
 * runtime.onError((error) => log.warn(error.message));
 */
export type ErrorHandler = (error: Error) => void;

export class ErrorReporter {
  private readonly handlers: ErrorHandler[] = [];

  constructor(private readonly appName: string) {}

  add(handler: ErrorHandler): void {
    this.handlers.push(handler);
  }

  /** Reports an error to the handlers (console when none). */
  report(error: unknown, where: string): void {
    const err = error instanceof Error ? error : new Error(String(error));
    const wrapped = err instanceof SiddhiError ? err : new SiddhiRuntimeError(`${where}: ${err.message}`, { cause: err });
    if (this.handlers.length === 0) {
      console.error(`[siddhi-ts] ${this.appName}: ${wrapped.message}`);
      return;
    }
    for (const h of this.handlers) {
      try {
        h(wrapped);
      } catch (e) {
        // Reports arrive from inside event processing, which a throwing handler must not abort.
        console.error(`[siddhi-ts] ${this.appName}: error handler failed on '${wrapped.message}': ${String(e)}`);
      }
    }
  }
}
