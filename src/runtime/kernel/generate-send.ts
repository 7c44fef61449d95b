// send() of one input stream generated with its sole reader's generated step
// inlined (schema test, playback clock, counters, the step), so no call site
// on the way is shared between streams or queries: each query shape gets its
// own compiled code. Built by InputHandler; whatever is off the fast path (no
// timestamp, a row to normalise, a timer due, another reader) takes the
// general send, which does everything again from the start.

import type { AttributeType } from '../../ast/index.js';
import { normalRowSource } from '../values.js';
import { printSources } from './generate-step.js';
import type { RowReader, StepSource } from './row-reader.js';
import { compileOnce } from './compile-once.js';

export type Send = (data: readonly unknown[], timestamp?: number) => void;

/** What the generated source refers to by name (its only free variables). */
export interface SendEnv {
  readonly handler: { accepted: number };
  readonly junction: { readonly rowReader: RowReader | undefined; eventsIn: number };
  /** The reader the step belongs to: while it is the junction's row reader, the inlined step stands for it. */
  readonly reader: RowReader;
  readonly step: StepSource;
  /** The playback clock's scheduler (the event's timestamp moves it). */
  readonly scheduler: { moveQuietly(time: number): boolean };
  readonly gate: { enter(): void; exit(): void };
  readonly isRunning: () => boolean;
  /** The general send: checks, normalises and stamps from the start. */
  readonly general: Send;
  /** A step that threw: reported and dropped, as the junction does for its readers. */
  readonly failed: (error: unknown) => void;
}

export function generateSend(types: readonly AttributeType[], env: SendEnv): Send {
  const source = sendSource(types, env.step.source);
  if (printSources()) console.error(source);
  return compileOnce<SendEnv, Send>(source)(env);
}

/**
 * The body of `function (env) { … return send; }`. The step's source is part
 * of it, so streams feeding the same query shape share compiled code and
 * different shapes never do.
 */
export function sendSource(types: readonly AttributeType[], stepSource: string): string {
  return [
    "'use strict';",
    // var, not const: as in stepSource, the bindings send() reads per event need no initialisation check.
    'var { handler, junction, reader, scheduler, gate, isRunning, general, failed } = env;',
    'var step = (function (env) {',
    stepSource,
    '})(env.step.env);',
    'return function send(data, timestamp) {',
    `  if (typeof timestamp !== 'number' || junction.rowReader !== reader || !isRunning() || !(${normalRowSource(types, 'data')})`,
    '    || !Number.isSafeInteger(timestamp) || !scheduler.moveQuietly(timestamp)) {',
    '    general(data, timestamp);',
    '    return;',
    '  }',
    '  handler.accepted++;',
    '  junction.eventsIn++;',
    '  gate.enter();',
    '  try {',
    '    step(timestamp, data);',
    '  } catch (e) {',
    '    failed(e);',
    '  } finally {',
    '    gate.exit();',
    '  }',
    '};',
  ].join('\n');
}
