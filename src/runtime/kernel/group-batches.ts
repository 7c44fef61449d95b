// Which timeBatch windows keep their batch per group instead of every row
// (operators/batch-groups.ts): those whose query only emits each group's
// aggregates and last row. Decided once after planning, before fusion and
// whatever the fusion mode, so the state has one form fused or not.

import type { StreamJunction } from '../junction.js';
import { Selector } from '../operators/selector.js';
import { TimeBatchWindow } from '../operators/time-batch-window.js';
import { readChain } from './fuse.js';
import { readsAttributesOnly } from './step-shape.js';

export function groupBatches(junctions: Iterable<StreamJunction>): void {
  for (const junction of junctions) {
    for (const head of junction.subscribers) {
      const w = readChain(head).rest;
      if (w instanceof TimeBatchWindow && fitsGroups(w)) w.keepGroups(w.next as Selector);
    }
  }
}

/**
 * Nothing reads the batch's rows but the selector, and it needs per group
 * only the aggregates and the last row: no expired output, no having, order
 * or limit, and every aggregator's removal undoes its addition (expiring the
 * emitted batch then empties every group). Keys and arguments read plain
 * attributes: they are evaluated as rows arrive, not at the flush, so nothing
 * that can throw moves to the sender.
 */
function fitsGroups(w: TimeBatchWindow): boolean {
  if (w.options.streamCurrent || !(w.next instanceof Selector)) return false;
  const c = w.next.config;
  return c.aggregates !== undefined && !c.aggregates.forever && c.mode !== 'rows' && c.having === undefined
    && c.order.length === 0 && c.offset === 0 && c.limit === Infinity && c.current && !c.expired && readsAttributesOnly(c);
}
