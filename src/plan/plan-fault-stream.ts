// @OnError(action='LOG'|'STREAM') on a stream definition, and the fault
// stream `!S` (S's attributes + `_error string`) that action 'STREAM' and
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
  const action = (element?.value ?? 'LOG').toUpperCase();
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw planErrorAt(`@OnError of stream '${def.name}'`, `action '${element!.value}' is not one of ${ACTIONS.join(', ')}`, element!.loc);
  }
  const sinkStreams = def.annotations.some((a) => a.name.toLowerCase() === 'sink'
    && a.elements.some((e) => e.key === 'on.error' && e.value.toUpperCase() === 'STREAM'));
  const name = `!${def.name}`;
  if (action === 'STREAM' || sinkStreams) {
    defineStream(ctx, name, [...def.attributes, { name: '_error', type: 'string' }]);
    // Sinks with on.error='STREAM' send through its input handler.
    ctx.inputStreams.add(name);
  }
  // 'LOG' is the junction's own default (report and drop).
  return onError && action === 'STREAM' ? { kind: 'fault', stream: def.name, to: name } : undefined;
}
