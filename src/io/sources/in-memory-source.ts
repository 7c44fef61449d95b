// @source(type='inMemory', topic='…'): receives what is published on a topic
// of the manager's broker (default mapper passThrough).

import type { SourceKind } from '../contract.js';
import type { InMemoryBroker } from '../in-memory-broker.js';

export function inMemorySource(broker: InMemoryBroker): SourceKind {
  return {
    defaultMapper: 'passThrough',
    create(ctx) {
      const topic = ctx.options.required('topic');
      let off: (() => void) | undefined;
      return {
        start: () => {
          off ??= broker.subscribe(topic, (m) => void ctx.deliver(m));
        },
        stop: () => {
          off?.();
          off = undefined;
        },
        address: () => `inMemory:${topic}`,
      };
    },
  };
}
