// @OnError(action='LOG'|'STREAM') on a stream definition, and the fault
// stream `!S` (S's attributes + `_error object`) that action 'STREAM' and
// sinks with on.error='STREAM' send failed events to. Called by plan-app;
// the runtime builder wires S to `!S` (build-definitions.ts).

import type { StreamDefinition } from '../ast/index.js';
import type { FaultBlueprint } from '../runtime/build-definitions.js';
import { defineStream, planErrorAt, type PlanContext } from './plan-context.js';

const ACTIONS = ['LOG', 'STREAM'] as const;

/** Defines `!S` when S needs it; returns the wiring of S's failures to it under action 'STREAM'. */
export function planFaultStream(def: StreamDefinition, ctx: PlanContext): FaultBlueprint | undefined {
  const onError = def.annotations.find((a) => a.name.toLowerCase() === 'onerror');
  const element = onError?.elements.find((e) => e.key === undefined || e.key.toLowerCase() === 'action');
  if (onError && !element) {
    // The reference reads only `action` (and fails without it); older docs wrote name='STREAM'.
    throw planErrorAt(`@OnError of stream '${def.name}'`, `needs action='LOG' or action='STREAM'`, onError.loc,
      `write @OnError(action='STREAM') to send failed events to '!${def.name}'`);
  }
  const action = (element?.value ?? 'LOG').toUpperCase();
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw planErrorAt(`@OnError of stream '${def.name}'`, `action '${element!.value}' is not one of ${ACTIONS.join(', ')}`, element!.loc);
  }
  const sinkStreams = def.annotations.some((a) => a.name.toLowerCase() === 'sink'
    && a.elements.some((e) => e.key === 'on.error' && e.value.toUpperCase() === 'STREAM'));
  const name = `!${def.name}`;
  if (action === 'STREAM' || sinkStreams) {
    // `_error` is an object, as the reference's (its value here is the error message).
    defineStream(ctx, name, [...def.attributes, { name: '_error', type: 'object' }]);
    // Sinks with on.error='STREAM' send through its input handler.
    ctx.inputStreams.add(name);
  }
  // 'LOG' is the junction's own default (report and drop).
  return onError && action === 'STREAM' ? { kind: 'fault', stream: def.name, to: name } : undefined;
}

/** For a read of `!S` that is not defined: why S has no fault stream. */
export function faultStreamHint(name: string, ctx: PlanContext): string | undefined {
  if (!name.startsWith('!') || !ctx.catalog.streams.has(name.slice(1))) return undefined;
  const base = name.slice(1);
  return `'${name}' is the fault stream of '${base}': it exists when '${base}' has @OnError(action='STREAM') or a sink with on.error='STREAM'`;
}
