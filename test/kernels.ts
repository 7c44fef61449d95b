// Test helper: runs `f` with the fused kernels on (SIDDHI_KERNELS unset) or
// off ('off': the interpreted event path), putting the variable back after.
// The setting is read when an app is planned, when its runtime is built, and
// when a partition builds a key's instance (at the key's first event): so `f`
// plans, builds and feeds the runtime.

import { InMemoryStore, SiddhiManager } from '../src/index.js';
import type { SiddhiAppPlan, SiddhiAppRuntime } from '../src/index.js';

export function withKernels<T>(kernels: boolean, f: () => T): T {
  const before = process.env.SIDDHI_KERNELS;
  if (kernels) delete process.env.SIDDHI_KERNELS;
  else process.env.SIDDHI_KERNELS = 'off';
  try {
    return f();
  } finally {
    if (before === undefined) delete process.env.SIDDHI_KERNELS;
    else process.env.SIDDHI_KERNELS = before;
  }
}

/**
 * `app` planned once per kernel setting, by a manager without functions of
 * its own: a plan depends on the text, the manager's functions and
 * SIDDHI_KERNELS only (plan-pattern.ts reads it) and holds no per-run state
 * (test/plan/plan-once.test.ts), so property runs build every runtime of an
 * app from one plan instead of parsing and planning the same text thousands
 * of times. An app that does not plan throws each time. Not for tests that
 * watch what planning does (a spy on plan-time work sees it once per text).
 */
const plans = new Map<string, SiddhiAppPlan>();

/**
 * A runtime of `app` with kernels on or off: planned (once) and built under
 * that setting (building reads it too: fusing, row readers). A partitioned app
 * reads it again at each key's first event: feed it under the same setting
 * (withKernels), unless that is the default one (kernels on, variable unset).
 */
export function plannedRuntime(app: string, kernels: boolean, store?: InMemoryStore): SiddhiAppRuntime {
  return withKernels(kernels, () => {
    const key = `${kernels ? 'on' : 'off'}\n${app}`;
    let plan = plans.get(key);
    if (plan === undefined) plans.set(key, (plan = new SiddhiManager().planSiddhiApp(app)));
    return new SiddhiManager().createSiddhiAppRuntime(plan, { playback: true, ...(store ? { store } : {}) });
  });
}
