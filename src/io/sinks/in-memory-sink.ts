// @sink(type='inMemory', topic='…'): publishes each payload on a topic of the
// manager's broker (default mapper passThrough).

import type { SinkKind } from '../contract.js';
import type { InMemoryBroker } from '../in-memory-broker.js';

export function inMemorySink(broker: InMemoryBroker): SinkKind {
  return {
    defaultMapper: 'passThrough',
    create(ctx) {
      const topic = ctx.options.required('topic');
      return { publish: (payload) => void broker.publish(topic, payload) };
    },
  };
}
