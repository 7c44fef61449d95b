import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'threads',
    // Vitest defaults to cpus - 1 workers, i.e. one on the 2-core CI machine:
    // the files then run one after another while the CLI, crash and scale-out
    // tests mostly wait on child processes. Two workers keep both cores busy.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 120_000,
  },
});
