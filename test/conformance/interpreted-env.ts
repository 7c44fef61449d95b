// Turns kernel fusion off for the test file that imports this (SIDDHI_KERNELS=off)
// and puts the flag back after it: test files may share a worker (vitest isolate: false).
// Also tells which cases the flag changes nothing for.

import { afterAll, beforeAll } from 'vitest';
import { SiddhiManager } from '../../src/index.js';
import type { SiddhiAppRuntime } from '../../src/index.js';
import type { StreamJunction } from '../../src/runtime/junction.js';
import type { Processor } from '../../src/runtime/processor.js';
import { hasPattern, parsedApp, plannedApp, watchedStreams, type ConformanceCase } from './runner.js';

export function interpretedOnly(): void {
  const before = process.env.SIDDHI_KERNELS;
  beforeAll(() => {
    process.env.SIDDHI_KERNELS = 'off';
  });
  afterAll(() => {
    if (before === undefined) delete process.env.SIDDHI_KERNELS;
    else process.env.SIDDHI_KERNELS = before;
  });
}

const changedByFlag = new WeakMap<ConformanceCase, boolean>();

/**
 * Whether SIDDHI_KERNELS=off changes the code a case runs. The flag is read
 * (rowsOff, src/runtime/kernel/row-reader.ts) only where a pattern is planned
 * or run, where kernels are fused onto a stream's readers, and where a stream
 * takes a sole row reader (a partition's per-key streams too, built only when
 * their key comes, so not seen here). So a case with no
 * pattern, sequence or partition whose fused runtime (built as the runs build
 * it: callbacks on the watched streams) has neither a fused kernel nor a row
 * reader runs the same code both ways: its checkpoint equivalence runs with
 * fusion on (conformance.test.ts, equivalence-incremental-*.test.ts) already
 * cover it, and the interpreted files skip only those runs.
 */
export function fusionChangesRun(c: ConformanceCase): boolean {
  let known = changedByFlag.get(c);
  if (known === undefined) {
    known = hasPattern(c) || parsedApp(c).app.elements.some((e) => e.kind === 'partition') || takesRows(c);
    changedByFlag.set(c, known);
  }
  return known;
}

/**
 * A fused kernel among a stream's readers (fuse.ts replaces a planned reader
 * by one, which takes rows), or a stream's sole row reader. The plan is the
 * runs' own (a pattern-free app plans alike either way); fusion happens as the
 * runtime is built, so the flag is cleared for that.
 */
function takesRows(c: ConformanceCase): boolean {
  const setting = process.env.SIDDHI_KERNELS;
  delete process.env.SIDDHI_KERNELS;
  let rt: SiddhiAppRuntime | undefined;
  try {
    rt = new SiddhiManager().createSiddhiAppRuntime(plannedApp(c), { playback: true });
    for (const s of watchedStreams(c)) rt.addCallback(s, () => {});
    // The runtime's junctions are not public: read through its parts, as the planned graph is otherwise unseen from a test.
    // Only the streams' junctions: a named window's input and output junctions take no row reader today (none of
    // their readers has acceptRow), so the flag changes nothing there.
    const junctions = (rt as unknown as { parts: { junctions: ReadonlyMap<string, StreamJunction> } }).parts.junctions;
    return [...junctions.values()].some((j) => j.rowReader !== undefined || j.subscribers.some(takesRowsItself));
  } finally {
    rt?.shutdown();
    if (setting !== undefined) process.env.SIDDHI_KERNELS = setting;
  }
}

const takesRowsItself = (p: Processor): boolean => 'acceptRow' in p;
