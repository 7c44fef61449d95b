// @sink(type='inMemory', topic='…'): publishes each payload on a topic of the
// manager's broker (default mapper passThrough). A topic naming attributes
// (topic='{{symbol}}') is filled in per event, and a chunk published in groups of one
// topic, as the reference does with a dynamic option.

import type { SinkKind } from '../contract.js';
import type { InMemoryBroker } from '../in-memory-broker.js';
import { compileTemplate } from '../mappers/template.js';

export function inMemorySink(broker: InMemoryBroker): SinkKind {
  return {
    defaultMapper: 'passThrough',
    create(ctx) {
      const topic = ctx.options.required('topic');
      if (!topic.includes('{{')) return { publish: (payload) => void broker.publish(topic, payload) };
      let topicOf;
      try {
        topicOf = compileTemplate(topic, ctx.attributes, ctx.nullText);
      } catch (e) {
        throw new Error(`topic '${topic}': ${(e as Error).message.replace(/^@payload names/, 'names')}`);
      }
      return { groupBy: topicOf, publish: (payload, events) => void broker.publish(topicOf(events[0]!), payload) };
    },
  };
}
