// Test rig for window operators: builds a window from the registry with a
// playback scheduler, records emitted chunks, and replays runs with a
// checkpoint/restore inserted to compare against the uninterrupted run.

import { pack, unpack } from 'msgpackr';
import type { AttributeType } from '../../../src/ast/index.js';
import { NO_LOCATION } from '../../../src/ast/location.js';
import { Scheduler } from '../../../src/runtime/clock.js';
import { CURRENT, EXPIRED, StreamEvent } from '../../../src/runtime/event.js';
import type { Window, WindowArg, WindowContext } from '../../../src/runtime/operators/window.js';
import { WINDOW_KINDS } from '../../../src/runtime/operators/windows.js';
import type { CaptureMode, StateCell } from '../../../src/state/cell.js';
import { expectEqual } from '../../expect-equal.js';

export function constArg(value: unknown, type?: AttributeType): WindowArg {
  const t: AttributeType =
    type ??
    (typeof value === 'string'
      ? 'string'
      : typeof value === 'boolean'
        ? 'bool'
        : Number.isInteger(value)
          ? 'int'
          : 'double');
  return { type: t, constant: true, value, get: () => value, loc: NO_LOCATION };
}

/** A time literal: a long of milliseconds. */
export const ms = (n: number): WindowArg => constArg(n, 'long');

export function attrArg(index: number, type: AttributeType, name = `a${index}`): WindowArg {
  return { type, constant: false, get: (e) => e.data[index], attribute: { name, index }, loc: NO_LOCATION };
}

/** A non-constant expression such as `1/2`. */
export function exprArg(type: AttributeType): WindowArg {
  return { type, constant: false, get: () => 0, loc: NO_LOCATION };
}

export type Attributes = WindowContext['attributes'];

/** A schema `a0, a1, …` of the given types (columnar windows store by type). */
export const schema = (...types: AttributeType[]): Attributes => types.map((type, i) => ({ name: `a${i}`, type }));

export interface Out {
  t: number;
  x: boolean;
  d: unknown[];
}

/** Input: an event at time t, or (no data) a clock step to t. */
export interface Step {
  t: number;
  d?: unknown[];
}

export class Rig {
  readonly scheduler: Scheduler;
  readonly cells = new Map<string, StateCell>();
  readonly chunks: Out[][] = [];
  /** The clock when each chunk was emitted. */
  readonly times: number[] = [];
  readonly window: Window;

  constructor(
    readonly kind: string,
    readonly args: WindowArg[],
    start = 0,
    /** The input schema; without one, columnar windows keep rows whole. */
    attributes: Attributes = [],
  ) {
    this.scheduler = new Scheduler(start);
    const ctx: WindowContext = {
      id: `q1/0:window.${kind}`,
      scheduler: this.scheduler,
      declare: (cell, part) => this.cells.set(part === undefined ? `q1/0:window.${kind}` : `q1/0:window.${kind}/${part}`, cell),
      attributes,
      element: "query 'q1'",
    };
    this.window = WINDOW_KINDS[kind]!.plan(args, ctx)(ctx);
    this.window.next = {
      process: (chunk) => {
        this.times.push(this.scheduler.now());
        this.chunks.push(
          chunk.map((e) => {
            const s = e as StreamEvent;
            if (s.type !== CURRENT && s.type !== EXPIRED) throw new Error(`unexpected event type ${s.type}`);
            return { t: s.timestamp, x: s.type === EXPIRED, d: s.data };
          }),
        );
      },
    };
  }

  step(s: Step): void {
    this.scheduler.advanceTo(s.t);
    if (s.d) this.window.process([new StreamEvent(s.t, s.d, CURRENT)]);
  }

  send(t: number, ...d: unknown[]): this {
    this.step({ t, d });
    return this;
  }

  advance(t: number): this {
    this.step({ t });
    return this;
  }

  /** Captures the single cell, serialized as the checkpoint store would. */
  capture(mode: CaptureMode): Buffer {
    // expectEqual: an expect() per capture of ~200 runs a call was a good part of the property runs.
    expectEqual(this.cells.size, 1);
    const cell = [...this.cells.values()][0]!;
    return pack(cell.capture(mode));
  }

  restore(blob: Buffer): void {
    [...this.cells.values()][0]!.restore(unpack(blob));
  }

  /** Emitted events, flattened, as [time, 'c'|'x', ...data] rows. */
  rows(): unknown[][] {
    return this.chunks.flat().map((o) => [o.t, o.x ? 'x' : 'c', ...o.d]);
  }

  contentsData(): unknown[][] {
    return [...this.window.contents()].map((e) => e.data);
  }
}

export function runAll(kind: string, args: WindowArg[], steps: readonly Step[], attributes: Attributes = []): Out[][] {
  const rig = new Rig(kind, args, 0, attributes);
  for (const s of steps) rig.step(s);
  return rig.chunks;
}

/**
 * Runs `steps` capturing after each index in `captureAt` (the first capture
 * full, the rest `modes[i]`), restarts into a fresh window and scheduler after
 * the last capture by restoring every capture in order, and finishes the run.
 */
export function runWithRestart(
  kind: string,
  args: WindowArg[],
  steps: readonly Step[],
  captureAt: readonly number[],
  modes: readonly CaptureMode[] = [],
  attributes: Attributes = [],
): Out[][] {
  const a = new Rig(kind, args, 0, attributes);
  const blobs: Buffer[] = [];
  const last = captureAt[captureAt.length - 1]!;
  for (let i = 0; i <= last; i++) {
    a.step(steps[i]!);
    const k = captureAt.indexOf(i);
    if (k >= 0) blobs.push(a.capture(k === 0 ? 'full' : (modes[k] ?? 'delta')));
  }
  // Keep only the captures since the last full one: that is what a store restores.
  let from = 0;
  captureAt.forEach((_, k) => {
    if (k === 0 || (modes[k] ?? 'delta') === 'full') from = k;
  });
  const b = new Rig(kind, args, a.scheduler.now(), attributes);
  for (const blob of blobs.slice(from)) b.restore(blob);
  for (let i = last + 1; i < steps.length; i++) b.step(steps[i]!);
  return [...a.chunks, ...b.chunks];
}

/** Checks the restart equivalence after every step, with a full capture then a delta a few steps on. */
export function expectRestartEquivalence(kind: string, args: WindowArg[], steps: readonly Step[], attributes: Attributes = []): void {
  const expected = runAll(kind, args, steps, attributes);
  // expectEqual: toEqual, far slower over ~200 runs a call, only judges and shows a difference.
  const same = (actual: Out[][], label: string) => expectEqual(actual, expected, label);
  for (let i = 0; i < steps.length; i++) {
    same(runWithRestart(kind, args, steps, [i], [], attributes), `full capture after step ${i}`);
    for (const d of [1, 3]) {
      if (i + d >= steps.length) continue;
      const at = [i, i + d];
      same(runWithRestart(kind, args, steps, at, ['full', 'delta'], attributes), `full@${i} + delta@${i + d}`);
      if (i + 2 * d < steps.length) {
        const at3 = [i, i + d, i + 2 * d];
        same(runWithRestart(kind, args, steps, at3, ['full', 'delta', 'delta'], attributes), `full@${i} + deltas`);
      }
    }
  }
}

/** A deterministic pseudo-random input: events at non-decreasing times with clock steps mixed in. */
export function randomSteps(seed: number, n: number, makeData: (i: number, r: () => number) => unknown[]): Step[] {
  let x = seed >>> 0 || 1;
  const r = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const steps: Step[] = [];
  let t = 1000;
  for (let i = 0; i < n; i++) {
    t += Math.floor(r() * 4) * 250;
    if (r() < 0.2) steps.push({ t });
    else steps.push({ t, d: makeData(i, r) });
  }
  return steps;
}
