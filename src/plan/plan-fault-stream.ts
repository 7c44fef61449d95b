// @OnError(action='LOG'|'STREAM') on a stream definition, and the fault
// stream `!S` (S's attributes + `_error string`) that action 'STREAM' and
// sinks with on.error='STREAM' send failed events to. Called by plan-app.

import type { StreamDefinition } from '../ast/index.js';
import { messageOf } from '../errors.js';
import { CURRENT, StreamEvent } from '../runtime/event.js';
import type { StreamJunction } from '../runtime/junction.js';
import { defineJunction, planErrorAt, type PlanContext } from './plan-context.js';

const ACTIONS = ['LOG', 'STREAM'] as const;

export function planFaultStream(def: StreamDefinition, junction: StreamJunction, ctx: PlanContext): void {
  const onError = def.annotations.find((a) => a.name.toLowerCase() === 'onerror');
  const element = onError?.elements.find((e) => e.key === undefined || e.key.toLowerCase() === 'action');
  const action = (element?.value ?? 'LOG').toUpperCase();
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw planErrorAt(`@OnError of stream '${def.name}'`, `action '${element!.value}' is not one of ${ACTIONS.join(', ')}`, element!.loc);
  }
  const sinkStreams = def.annotations.some((a) => a.name.toLowerCase() === 'sink'
    && a.elements.some((e) => e.key === 'on.error' && e.value.toUpperCase() === 'STREAM'));
  let fault: StreamJunction | undefined;
  if (action === 'STREAM' || sinkStreams) {
    const name = `!${def.name}`;
    fault = defineJunction(ctx, name, [...def.attributes, { name: '_error', type: 'string' }]);
    // Sinks with on.error='STREAM' send through its input handler.
    ctx.inputStreams.add(name);
  }
  // 'LOG' is the junction's own default (report and drop).
  if (onError && action === 'STREAM') {
    const to = fault!;
    junction.onFault = (chunk, error) => to.process(chunk.map((e) => new StreamEvent(e.timestamp, [...e.data, messageOf(error)], CURRENT)));
  }
}
