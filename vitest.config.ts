import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Wall seconds of the files that take longest (2 cores), in the
 * order they should start: the longest first, so that the workers finish
 * together instead of one running a long file alone at the end. Only the
 * order counts: the figures are a quiet full run's (2026-12-06 08:04), the
 * wall-bound files (children, leases) kept first. Without this order vitest
 * starts files by the duration of the last run it remembers
 * (node_modules/.vite, shared by every checkout and partial run) or, on a
 * clean clone (CI), by file size: the conformance mode files are a few lines
 * each and started last. Files missing here follow in vitest's order.
 */
export const LONG_FILES: Readonly<Record<string, number>> = {
  // Mostly waiting on child processes (leases, failover), so it starts first (pinned above the rest; it takes
  // ~11 s) and its waits overlap the rest.
  'test/cluster/scale-out.test.ts': 30,
  // Its child process keeps one core busy while its worker waits: beside scale-out's waits, not beside two conformance files
  // (started after them, 04:51 at 40k events, it ran 12.4 s and slowed the conformance files beside it).
  'test/cli/crash.test.ts': 14,
  // Incremental equivalence, each mode in two halves (suite.ts half).
  'test/conformance/equivalence-incremental-a.test.ts': 10.5,
  'test/conformance/equivalence-incremental-b.test.ts': 10.3,
  // Plain runs, then full equivalence (taking the plain runs over as its uninterrupted runs).
  'test/conformance/conformance.test.ts': 9.1,
  'test/conformance/interpreted.test.ts': 6.1,
  'test/cluster/worker-stop.test.ts': 5.2,
  'test/conformance/interpreted-incremental-a.test.ts': 5.1,
  'test/state/own-bodies.test.ts': 4.1,
  'test/conformance/interpreted-incremental-b.test.ts': 3.4,
  'test/state/chained-restore.test.ts': 3,
  'test/cluster/rejoin.test.ts': 2.8,
  'test/cluster/worker-stop-bound.test.ts': 2.8,
  'test/parser/parse-by-element.test.ts': 2.1,
  'test/state/body-frames.test.ts': 2.1,
  'test/runtime/operators/pattern/sequence-matcher.test.ts': 2,
};

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const weight = (f: TestSpecification) => LONG_FILES[relative(f.project.config.root, f.moduleId).split('\\').join('/')] ?? 0;
    // Array.prototype.sort is stable: files of equal weight (all the unlisted ones) keep vitest's order.
    return base.sort((a, b) => weight(b) - weight(a));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'threads',
    // Files share a worker's module cache instead of importing the engine again
    // per file (that import was over half the suite's CPU). Tests that set
    // process.env or globals put them back.
    isolate: false,
    // Vitest defaults to cpus - 1 workers, i.e. one on the 2-core CI machine.
    // One worker per core: the suite is CPU-bound (the child-process and lease
    // waits of the crash, scale-out and cluster files are short beside it). A
    // quiet clean-clone run on 2 cores (03:25, b6a5914): 3 workers 114 s wall,
    // 219 s user CPU; 2 workers 106 s wall, 170 s user CPU (a third worker
    // only shares the cores: more CPU, no less wall).
    maxWorkers: availableParallelism(),
    testTimeout: 120_000,
    sequence: { sequencer: LongestFirst, shuffle: false },
  },
});
