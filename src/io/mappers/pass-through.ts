// @map(type='passThrough'): events as values, no text. A source takes
// {data, timestamp?}, a bare data array, or an array of either; a sink
// publishes each event object.

import type { MappedEvent, SinkMapperKind, SourceMapperKind } from '../contract.js';

export const passThroughSourceMapper: SourceMapperKind = {
  create() {
    const one = (item: unknown): MappedEvent => {
      if (Array.isArray(item)) return { data: item };
      if (typeof item === 'object' && item !== null && Array.isArray((item as { data?: unknown }).data)) {
        const { data, timestamp } = item as { data: unknown[]; timestamp?: unknown };
        return typeof timestamp === 'number' ? { data, timestamp } : { data };
      }
      throw new Error(`passThrough expects a data array or {data, timestamp}, got ${typeof item}`);
    };
    return (payload) => (isMany(payload) ? payload.map(one) : [one(payload)]);
  },
};

/** An array of arrays or of {data} objects is many events; a flat array of values is one. */
function isMany(payload: unknown): payload is unknown[] {
  return Array.isArray(payload) && payload.length > 0
    && payload.every((x) => Array.isArray(x) || (typeof x === 'object' && x !== null && 'data' in x));
}

export const passThroughSinkMapper: SinkMapperKind = {
  create: () => (events) => [...events],
};
