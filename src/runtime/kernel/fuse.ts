// Kernel fusion, the one dispatch point of the fast path: after planning,
// each stream reader that heads a chain of a known shape is replaced by one
// fused operator doing the same work with fewer calls and allocations. The
// planned operators stay where they are (their state cells are the kernel's
// state), so checkpoints are the same fused or not. SIDDHI_KERNELS=off turns
// fusion off (the conformance suite runs both ways); =print lists what fused.

import type { StreamEvent } from '../event.js';
import type { StreamJunction } from '../junction.js';
import { Filter } from '../operators/filter.js';
import { QueryCallbackTap } from '../operators/query-callback.js';
import { Selector } from '../operators/selector.js';
import type { Processor } from '../processor.js';
import { rowsOff } from './row-reader.js';
import { KernelOutput } from './kernel-output.js';
import { ProjectKernel } from './project-kernel.js';
import { AggregateKernel } from './aggregate-kernel.js';
import { LengthWindow } from '../operators/length-window.js';
import { TimeWindow } from '../operators/time-window.js';
import { TimeBatchWindow } from '../operators/time-batch-window.js';
import type { Window } from '../operators/window.js';
import { buildJoinKernel } from '../operators/join/join-kernel.js';
import { type Condition, lowerAggregate, lowerOutputs, readsAttributesOnly, type WindowStep } from './step-shape.js';

/** A planned chain read from its head: filters, then what follows them. */
export interface Chain {
  readonly conditions: Condition[];
  readonly rest: Processor;
}

/** Builds a kernel for a chain, or says the shape is not one it fuses. */
type KernelBuilder = (chain: Chain) => Processor<StreamEvent> | undefined;

const BUILDERS: readonly { readonly name: string; readonly build: KernelBuilder }[] = [
  { name: 'filter+project', build: buildProjectKernel },
  { name: 'aggregate', build: buildAggregateKernel },
  { name: 'join', build: (chain) => buildJoinKernel(chain.conditions, chain.rest) },
];

export function fuseKernels(junctions: Iterable<StreamJunction>): void {
  if (rowsOff()) return;
  const mode = typeof process === 'undefined' ? undefined : process.env.SIDDHI_KERNELS;
  for (const junction of junctions) {
    junction.subscribers.forEach((head, i) => {
      const chain = readChain(head);
      for (const b of BUILDERS) {
        const kernel = b.build(chain);
        if (kernel === undefined) continue;
        junction.replaceReader(i, kernel);
        if (mode === 'print') console.error(`kernel ${b.name} fused for a reader of stream '${junction.schema.name}'`);
        return;
      }
    });
  }
}

/** The filters heading a chain and what follows them. */
export function readChain(head: Processor): Chain {
  const conditions: Condition[] = [];
  let p = head;
  while (p instanceof Filter) {
    conditions.push(p.source !== undefined ? { evaluate: p.condition, js: p.source } : { evaluate: p.condition });
    p = p.next;
  }
  return { conditions, rest: p };
}

/** The selector and tap of a query whose selector output goes straight to its tap (no rate limiter). */
function selectorAndTap(p: Processor): { selector: Selector; tap: QueryCallbackTap } | undefined {
  if (!(p instanceof Selector) || !(p.next instanceof QueryCallbackTap)) return undefined;
  return { selector: p, tap: p.next };
}

function buildProjectKernel(chain: Chain): Processor<StreamEvent> | undefined {
  const st = selectorAndTap(chain.rest);
  if (!st || !st.selector.plain) return undefined;
  const c = st.selector.config;
  const outputs = c.current ? lowerOutputs(c) : undefined;
  const having = c.having !== undefined ? { having: { evaluate: c.having, frame: c.frame } } : {};
  return new ProjectKernel(chain.conditions.map((x) => x.evaluate), c, new KernelOutput(st.tap), outputs && { conditions: chain.conditions, outputs, ...having });
}

/** Windows that keep arrivals as columns (never the arriving data array). */
function isColumnar(p: Processor): p is Window {
  return p instanceof LengthWindow || p instanceof TimeWindow || p instanceof TimeBatchWindow;
}

function buildAggregateKernel(chain: Chain): Processor<StreamEvent> | undefined {
  const window = isColumnar(chain.rest) ? chain.rest : undefined;
  const st = selectorAndTap(window ? window.next : chain.rest);
  if (!st) return undefined;
  const c = st.selector.config;
  const aggregated = c.mode !== 'rows' && c.aggregates !== undefined;
  if (!aggregated || c.order.length > 0 || c.offset !== 0 || c.limit !== Infinity) return undefined;
  // The inline window steps reuse one row for expired events, so expired rows must never be emitted.
  const length = window instanceof LengthWindow && window.size > 0 && !c.expired ? window : undefined;
  // A failing removal (a function of the expired row) must fail in the chunk of its due time, as the window's timer makes it.
  const time = window instanceof TimeWindow && !c.expired && readsAttributesOnly(c) ? window : undefined;
  const batch = window instanceof TimeBatchWindow ? window : undefined;
  const step = c.current ? stepWindow(window, length, time) : undefined;
  // With `having` only the generated step is fused (its chunks go through the planned selector).
  if (c.having !== undefined && (step === undefined || batch !== undefined || !lowerAggregate(c, chain.conditions, step.window))) return undefined;
  return new AggregateKernel({
    conditions: chain.conditions.map((x) => x.evaluate),
    ...(step !== undefined ? { lower: (batch) => lowerAggregate(c, chain.conditions, step.window, batch) } : {}),
    ...(c.having !== undefined ? { checked: st.selector } : {}),
    ...(window ? { window } : {}),
    ...(length ? { length } : {}),
    ...(time ? { time } : {}),
    ...(batch ? { batch } : {}),
    selector: c,
    output: new KernelOutput(st.tap),
  });
}

/** The window step a generated kernel does inline: none, length or time; undefined for windows it leaves to the operator. */
function stepWindow(window: Window | undefined, length: LengthWindow | undefined, time: TimeWindow | undefined): { window: WindowStep | undefined } | undefined {
  if (window === undefined || window instanceof TimeBatchWindow) return { window: undefined };
  if (length !== undefined) return { window: { kind: 'length', size: length.size, queue: length.queue, clock: length.ctx.scheduler } };
  if (time !== undefined) return { window: { kind: 'time', span: time.span, queue: time.queue, clock: time.ctx.scheduler } };
  return undefined;
}
