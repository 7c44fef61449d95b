// Plan once, build many (issue #9): every conformance case is planned once
// (SiddhiManager.planSiddhiApp) and two runtimes are built from that one plan
// and fed the case's input step by step, interleaved; each must give the
// case's expected output, so no state planned into a closure leaks from one
// runtime into the other (what makes a plan cache safe). Halfway, the second
// restores the first's checkpoint: runtimes of one plan take each other's.
// The plan is the conformance harness's (runner.ts plannedApp: one per case
// and kernel setting in the process), so a worker that ran a conformance file
// does not plan every case again; its runtimes then also follow those runs'.

import { describe, expect, it } from 'vitest';
import { parseSiddhiApp, SiddhiManager, SiddhiPlanError } from '../../src/index.js';
import type { SiddhiAppPlan, SiddhiAppRuntime } from '../../src/index.js';
import type { RecordedEvent } from '../conformance/compare.js';
import { diffAgainstExpectations, equivalenceExemption, plannedApp, sendErrorLines, watchedStreams, type ConformanceCase, type InputStep } from '../conformance/runner.js';
import { active } from '../conformance/suite.js';

/** One runtime built from the plan, with what its watched streams received. */
interface Run {
  runtime: SiddhiAppRuntime;
  readonly streams: Map<string, RecordedEvent[]>;
  readonly types: Map<string, string[]>;
  readonly sendErrors: string[];
  /** Its own `checkpoint` steps' snapshot. */
  snapshot?: Uint8Array;
}

const SILENT = { info() {}, warn() {}, error() {}, debug() {} };

function open(manager: SiddhiManager, plan: SiddhiAppPlan, watched: readonly string[], into?: Run): Run {
  const runtime = manager.createSiddhiAppRuntime(plan, { playback: true });
  const run: Run = into ?? { runtime, streams: new Map(watched.map((s) => [s, []])), types: new Map(), sendErrors: [] };
  run.runtime = runtime;
  // The conformance runs show what operators report; here only the outputs count.
  runtime.onError(() => {});
  for (const s of watched) {
    const sink = run.streams.get(s)!;
    runtime.addCallback(s, (events) => { for (const e of events) sink.push({ timestamp: e.timestamp, data: [...e.data], isExpired: e.isExpired }); });
    run.types.set(s, runtime.getStreamAttributes(s).map((a) => a.type));
  }
  runtime.start();
  return run;
}

/** Plays one step; a `restart` builds the run's runtime again from the plan and restores its own checkpoint. */
function play(run: Run, step: InputStep, i: number, reopen: (into: Run) => void): void {
  if ('checkpoint' in step) {
    run.snapshot = run.runtime.snapshot();
  } else if ('restart' in step) {
    run.runtime.shutdown();
    reopen(run);
    if (run.snapshot !== undefined) run.runtime.restore(run.snapshot);
  } else if ('stream' in step) {
    try {
      run.runtime.getInputHandler(step.stream).send([...step.data], step.time);
    } catch (err) {
      run.sendErrors.push(`step ${i}: ${String(err)}`);
    }
  } else {
    run.runtime.advanceTime(step.time);
  }
}

/** Why case `c` fails the property, or undefined. */
function checkCase(c: ConformanceCase): string | undefined {
  const manager = new SiddhiManager({ logger: SILENT });
  // Planned with no functions of the manager's (as this one), once: the logger applies at build.
  const plan = plannedApp(c);
  const watched = watchedStreams(c);
  const reopen = (into: Run) => void open(manager, plan, watched, into);
  const runs = [open(manager, plan, watched), open(manager, plan, watched)] as const;
  const steps = c.input ?? [];
  // Halfway, the second restores the first's checkpoint (the same state it holds): it must take it and go on alike.
  const half = equivalenceExemption(c) === undefined ? Math.floor(steps.length / 2) : -1;
  try {
    steps.forEach((step, i) => {
      for (const run of runs) play(run, step, i, reopen);
      if (i === half - 1) runs[1].runtime.restore(runs[0].runtime.snapshot());
    });
    const problems = runs.flatMap((run, i) => [...sendErrorLines(run), ...diffAgainstExpectations(c, run)].map((line) => `runtime ${i + 1}: ${line}`));
    return problems.length === 0 ? undefined : `${c.id}: ${problems.join('\n  ')}`;
  } finally {
    for (const run of runs) run.runtime.shutdown();
  }
}

describe('one plan, two runtimes', () => {
  it('planSiddhiApp refuses what createSiddhiAppRuntime refuses, and its plan is taken wherever a parsed app is', () => {
    const manager = new SiddhiManager();
    expect(() => manager.planSiddhiApp('define stream S (a int); from S select b insert into O;')).toThrow(SiddhiPlanError);
    expect(() => manager.planSiddhiApp({ text: 'define stream S (a int);', app: parseSiddhiApp('define stream S (a int);').app })).toThrow(/an app parseSiddhiApp made/);
    const plan = manager.planSiddhiApp('@app:name(\'P\') define stream S (a int); from S select a insert into O;');
    expect(plan.name).toBe('P');
    expect(Object.isFrozen(plan.app)).toBe(true);
    manager.validateSiddhiApp(plan);
    // Planning again from a plan (as a parsed app) gives another plan of the same app.
    expect(manager.planSiddhiApp(plan).name).toBe('P');
  });

  it('math:rand(seed) draws in each runtime from a generator of its own', () => {
    const manager = new SiddhiManager();
    const text = 'define stream S (a int); @info(name=\'q\') from S select math:rand(7) as r insert into O;';
    const draws = (plan: SiddhiAppPlan | string, runtimes: number): number[][] => {
      const rts = Array.from({ length: runtimes }, () => manager.createSiddhiAppRuntime(plan, { playback: true }));
      const out = rts.map((rt) => {
        const got: number[] = [];
        rt.addCallback('O', (events) => { for (const e of events) got.push(e.data[0] as number); });
        rt.start();
        return got;
      });
      for (let t = 1; t <= 3; t++) for (const rt of rts) rt.getInputHandler('S').send([t], t);
      for (const rt of rts) rt.shutdown();
      return out;
    };
    const [alone] = draws(text, 1);
    expect(new Set(alone).size).toBe(3);
    expect(draws(manager.planSiddhiApp(text), 2)).toEqual([alone, alone]);
  });

  const runnable = active.filter((c) => c.expectError === undefined && (c.expect !== undefined || c.expectCount !== undefined));

  it('every conformance case gives its expected output in each runtime built from one plan', () => {
    const failures = runnable.flatMap((c) => checkCase(c) ?? []);
    expect(failures).toEqual([]);
    expect(runnable.length).toBeGreaterThan(1500);
  });
});
