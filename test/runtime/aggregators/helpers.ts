// Shared by the aggregator tests: run adds/removes through a kind and round-trip
// its state through save/load and the real checkpoint envelope.

import type { AggregatorKind } from '../../../src/runtime/aggregators/index.js';
import { throughEnvelope } from '../../state/helpers.js';

export function run(kind: AggregatorKind, adds: readonly unknown[], removes: readonly unknown[] = []): unknown {
  let s = kind.init();
  for (const v of adds) s = kind.add(s, v);
  for (const v of removes) s = kind.remove(s, v);
  return s;
}

/** The state after save → checkpoint envelope → load. */
export function roundTrip(kind: AggregatorKind, state: unknown): unknown {
  const saved = kind.save ? kind.save(state) : state;
  const back = throughEnvelope(saved);
  return kind.load ? kind.load(back) : back;
}
