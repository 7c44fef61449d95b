// @sink(…, @distribution(strategy='roundRobin'|'partitioned'|'broadcast',
// partitionKey='…', @destination(…), @destination(…))): one sink per
// destination (the @sink's options with the destination's over them) behind
// one Sink that picks the destinations of each payload, as the reference's
// DistributedTransport. Planned by attach-io.ts.

import type { AttributeSchema } from '../runtime/schema.js';
import type { Event } from '../runtime/junction.js';
import { formatValue } from '../runtime/values.js';
import { javaHashCode } from '../runtime/operators/java-hash-order.js';
import type { Sink } from './contract.js';

export const DISTRIBUTION_STRATEGIES = ['roundRobin', 'partitioned', 'broadcast'] as const;
export type DistributionStrategy = (typeof DISTRIBUTION_STRATEGIES)[number];

export interface Distribution {
  readonly strategy: DistributionStrategy;
  /** partitioned: the attribute whose value picks the destination. */
  readonly partitionKey?: AttributeSchema & { readonly index: number };
}

/** The destination of an event under 'partitioned': |hashCode(String.valueOf(key)) % n|, as the reference. */
function partitionOf(key: NonNullable<Distribution['partitionKey']>, n: number): (e: Event) => number {
  return (e) => Math.abs(javaHashCode(formatValue(e.data[key.index], key.type), 'string') % n);
}

export function distributedSink(destinations: readonly Sink[], d: Distribution): Sink {
  const n = destinations.length;
  const partition = d.strategy === 'partitioned' ? partitionOf(d.partitionKey!, n) : undefined;
  const grouped = destinations.some((s) => s.groupBy);
  // A payload goes to one destination: under 'partitioned' a chunk is mapped per destination (and per dynamic option).
  const groupBy = grouped
    ? (e: Event) => `${partition ? partition(e) : ''}\u0000${destinations.map((s) => s.groupBy?.(e) ?? '').join('\u0000')}`
    : partition && ((e: Event) => String(partition(e)));
  // roundRobin's position is not checkpointed (the reference keeps it in memory too).
  let next = 0;
  const targets = (events: readonly Event[]): readonly Sink[] => {
    switch (d.strategy) {
      case 'broadcast': return destinations;
      case 'partitioned': return [destinations[partition!(events[0]!)]!];
      case 'roundRobin': return [destinations[next++ % n]!];
    }
  };
  return {
    ...(groupBy ? { groupBy } : {}),
    publish(payload, events) {
      const to = targets(events);
      if (to.length === 1) return to[0]!.publish(payload, events);
      return whenAll(to.map((s) => s.publish(payload, events)));
    },
    start: () => whenAll(destinations.map((s) => s.start?.())),
    stop: () => whenAll(destinations.map((s) => s.stop?.())),
  };
}

/** Resolves once every promise among `results` has (undefined when none is a promise: the call was synchronous). */
function whenAll(results: readonly unknown[]): Promise<void> | undefined {
  const pending = results.filter((r): r is Promise<void> => r instanceof Promise);
  return pending.length > 0 ? Promise.all(pending).then(() => undefined) : undefined;
}
