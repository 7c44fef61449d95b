// Every run of a case in these files builds its runtime from one plan of one
// parse (runner.ts plannedApp; parsedApp for the parse), and runtimes of the same shape share process-wide
// compiled code (kernels and pattern steps: compileOnce; row checks and
// appends), and selector copies share their compiled closures and frame. None
// of that may carry state from one runtime to another: two runtimes of a
// case's app, open together and fed different inputs (the case's steps, and
// the second half of them) one step each in turn, each give what it gives
// alone. The first runtime is built from the runs' plan, the second planned
// again from the same parse: one plan shared, and compiled code shared across plans. One case per feature tag, kernels on and off.

import { describe, expect, it } from 'vitest';
import { SiddhiManager } from '../../src/index.js';
import type { SiddhiAppRuntime } from '../../src/index.js';
import { parsedApp, plannedApp, watchedStreams } from './runner.js';
import type { ConformanceCase, InputStep } from './runner.js';
import { eligible } from './suite.js';

/** The first eligible case with a feature tag no earlier pick has. */
const sample: ConformanceCase[] = [];
const covered = new Set<string>();
for (const c of eligible) {
  const fresh = (c.features ?? []).filter((f) => !covered.has(f));
  if (fresh.length === 0) continue;
  for (const f of fresh) covered.add(f);
  sample.push(c);
}

/** A runtime of the case's app and what it gave: events per watched stream, send() errors and onError reports, in order. */
interface Run {
  readonly rt: SiddhiAppRuntime;
  readonly log: string[];
}

function open(c: ConformanceCase, planAgain = false): Run {
  const rt = new SiddhiManager().createSiddhiAppRuntime(planAgain ? parsedApp(c) : plannedApp(c), { playback: true });
  const log: string[] = [];
  rt.onError((err) => log.push(`reported ${String(err)}`));
  for (const s of watchedStreams(c)) {
    rt.addCallback(s, (events) => {
      for (const e of events) log.push(`${s} ${e.timestamp} ${e.isExpired ? 'expired' : 'current'} ${JSON.stringify(e.data, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`);
    });
  }
  rt.start();
  return { rt, log };
}

function play(run: Run, step: InputStep, i: number): void {
  if ('stream' in step) {
    try {
      run.rt.getInputHandler(step.stream).send([...step.data], step.time);
    } catch (err) {
      run.log.push(`step ${i} send threw ${String(err)}`);
    }
  } else if ('time' in step) run.rt.advanceTime(step.time);
  else throw new Error(`step ${i}: an eligible case has only event and time steps`);
}

function alone(c: ConformanceCase, steps: readonly InputStep[]): string[] {
  const run = open(c);
  try {
    steps.forEach((s, i) => play(run, s, i));
  } finally {
    run.rt.shutdown();
  }
  return run.log;
}

function interleaved(c: ConformanceCase, a: readonly InputStep[], b: readonly InputStep[]): [string[], string[]] {
  const [x, y] = [open(c), open(c, true)];
  try {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i < a.length) play(x, a[i]!, i);
      if (i < b.length) play(y, b[i]!, i);
    }
  } finally {
    x.rt.shutdown();
    y.rt.shutdown();
  }
  return [x.log, y.log];
}

function checkIndependent(c: ConformanceCase, kernels: 'on' | 'off'): void {
  const before = process.env.SIDDHI_KERNELS;
  if (kernels === 'off') process.env.SIDDHI_KERNELS = 'off';
  else delete process.env.SIDDHI_KERNELS;
  try {
    const a = c.input ?? [];
    const b = a.length < 2 ? a : a.slice(a.length >> 1);
    const [x, y] = interleaved(c, a, b);
    expect(x, 'the first runtime (all steps), interleaved vs alone').toEqual(alone(c, a));
    expect(y, 'the second runtime (the later steps), interleaved vs alone').toEqual(alone(c, b));
  } finally {
    if (before === undefined) delete process.env.SIDDHI_KERNELS;
    else process.env.SIDDHI_KERNELS = before;
  }
}

describe('two runtimes from one parsed app keep apart (one case per feature tag)', () => {
  it('the sample covers every feature tag of the eligible cases', () => {
    expect(covered).toEqual(new Set(eligible.flatMap((c) => c.features ?? [])));
    expect(sample.length).toBeGreaterThan(100);
  });

  it.each(sample.map((c) => [c.id, c] as const))('%s, kernels on', (_id, c) => checkIndependent(c, 'on'));
  it.each(sample.map((c) => [c.id, c] as const))('%s, kernels off', (_id, c) => checkIndependent(c, 'off'));
});
