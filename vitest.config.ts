import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'threads',
    // Files share a worker's module cache instead of importing the engine again
    // per file (that import was over half the suite's CPU). Tests that set
    // process.env or globals put them back.
    isolate: false,
    // Vitest defaults to cpus - 1 workers, i.e. one on the 2-core CI machine:
    // the files then run one after another while the CLI, crash and scale-out
    // tests mostly wait on child processes. Two workers keep both cores busy.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 120_000,
  },
});
