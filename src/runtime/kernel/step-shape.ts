// The lowered form of a fused query, from which generate-step.ts writes its
// per-row step: each condition, key, aggregator argument and output is either
// source over the row's data `d` or a compiled closure. Built by fuse.ts from
// the planned chain; undefined when the shape has no generated step.

import type { Row } from '../event.js';
import type { EventQueue } from '../event-queue.js';
import type { LoggedMap } from '../../state/logged-map.js';
import type { AggregatorKind } from '../aggregators/index.js';
import type { CompiledExpression } from '../expression.js';
import type { AggregatorSlot, GroupState, SelectorFrame } from '../operators/selector-groups.js';
import type { SelectorConfig } from '../operators/selector.js';
import type { TimeBatchWindow } from '../operators/time-batch-window.js';
import type { BatchGroups } from '../operators/batch-groups.js';

export interface Condition {
  readonly evaluate: (row: Row) => unknown;
  readonly js?: string;
}

export type ValueSource =
  | { readonly kind: 'data'; readonly js: string }
  | { readonly kind: 'slot'; readonly slot: number; readonly aggregator: AggregatorKind }
  | { readonly kind: 'closure'; readonly evaluate: (row: Row) => unknown };

export type KeySource =
  | { readonly kind: 'none' }
  | { readonly kind: 'data'; readonly parts: readonly string[] }
  | { readonly kind: 'closure'; readonly evaluate: (row: Row) => string };

export type WindowStep =
  | { readonly kind: 'length'; readonly size: number; readonly queue: EventQueue; readonly clock: { now(): number } }
  | { readonly kind: 'time'; readonly span: number; readonly queue: EventQueue; readonly clock: { now(): number } };

export interface StepShape {
  readonly conditions: readonly Condition[];
  readonly outputs: readonly ValueSource[];
  /** `having` over the projected row, which it reads through the frame (`frame.out`). */
  readonly having?: { readonly evaluate: (row: Row) => unknown; readonly frame: SelectorFrame };
  readonly aggregate?: {
    readonly slots: readonly AggregatorSlot[];
    readonly groups: LoggedMap<string, GroupState>;
    readonly frame: SelectorFrame;
    readonly key: KeySource;
    /** Sliding windows whose expiry the step does inline, reading keys and arguments back from the columns. */
    readonly window?: WindowStep;
    /** A timeBatch window keeping its batch per group: the step adds the row to its group; flushes emit. */
    readonly batch?: { readonly window: TimeBatchWindow; readonly groups: BatchGroups };
    /** Some slot's removal does not undo its addition (minForever, maxForever): groups never empty. */
    readonly forever: boolean;
    /**
     * [variable, data index] of each value the expiry reads back (`x<i>` for
     * `d[i]`), or 'row': the whole row, into the step's expired row (keys or
     * arguments other than attributes).
     */
    readonly expiredReads: readonly (readonly [string, number])[] | 'row';
  };
}

/** The outputs of a selector as sources; undefined when the selector does not carry its compiled expressions. */
export function lowerOutputs(c: SelectorConfig): ValueSource[] | undefined {
  const outputs = c.outputs;
  if (outputs === undefined || outputs.length !== c.projections.length) return undefined;
  return outputs.map((o) => lowerValue(o));
}

function lowerValue(o: CompiledExpression): ValueSource {
  if (o.js !== undefined) return { kind: 'data', js: o.js };
  if (o.slot !== undefined) return { kind: 'slot', slot: o.slot, aggregator: NO_KIND };
  return { kind: 'closure', evaluate: o.evaluate };
}

const ATTRIBUTE = /^d\[(\d+)\]$/;

/** An attribute's source `d[i]` as the generated step's local `xi` (other source unchanged). */
export function columnVar(js: string): string {
  return js.replace(ATTRIBUTE, 'x$1');
}

/** Placeholder until the slot's kind is known (lowerAggregate fills it in). */
const NO_KIND = undefined as unknown as AggregatorKind;

export function lowerAggregate(
  c: SelectorConfig, conditions: readonly Condition[], window: WindowStep | undefined,
  batch?: { readonly window: TimeBatchWindow; readonly groups: BatchGroups },
): StepShape | undefined {
  const store = c.aggregates;
  const lowered = lowerOutputs(c);
  if (store === undefined || lowered === undefined) return undefined;
  const slots = store.slots;
  const outputs = lowered.map((o): ValueSource => (o.kind === 'slot' ? { ...o, aggregator: slots[o.slot]!.kind } : o));
  const keys = c.keys ?? [];
  if (c.groupKey !== undefined && keys.length === 0) return undefined;
  const key: KeySource = c.groupKey === undefined ? { kind: 'none' }
    : keys.every((k) => k.js !== undefined) ? { kind: 'data', parts: keys.map((k) => k.js!) }
      : { kind: 'closure', evaluate: c.groupKey };
  const sources = [...(key.kind === 'data' ? key.parts : []), ...slots.flatMap((s) => (s.arg !== undefined ? [s.argSource] : []))];
  // The expiry reads attributes back one by one from the columns; anything else is computed over the whole row read back.
  const attributes = readsAttributesOnly(c);
  // A time window expires rows by its own timer when its expiry may fail (see fuse.ts).
  if (window?.kind === 'time' && !attributes) return undefined;
  const indexes = window === undefined || !attributes ? [] : [...new Set(sources.map((js) => Number(ATTRIBUTE.exec(js!)![1])))];
  return {
    conditions,
    outputs,
    ...(c.having !== undefined ? { having: { evaluate: c.having, frame: c.frame } } : {}),
    aggregate: {
      slots,
      groups: store.cell.groups,
      frame: c.frame,
      key,
      forever: store.forever,
      ...(window !== undefined ? { window } : {}),
      ...(batch !== undefined ? { batch } : {}),
      expiredReads: window !== undefined && !attributes ? 'row' : indexes.map((i) => [`x${i}`, i] as const),
    },
  };
}

/**
 * Whether the selector's group keys and aggregator arguments are attributes
 * only, so removing an expired row can neither fail nor need more than its
 * values read back from the window's columns.
 */
export function readsAttributesOnly(c: SelectorConfig): boolean {
  const keys = c.groupKey === undefined ? [] : c.keys ?? [];
  if (c.groupKey !== undefined && keys.length === 0) return false;
  const sources = [...keys.map((k) => k.js), ...(c.aggregates?.slots ?? []).flatMap((s) => (s.arg !== undefined ? [s.argSource] : []))];
  return sources.every((js) => js !== undefined && ATTRIBUTE.test(js));
}
