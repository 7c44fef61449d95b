// Turns kernel fusion off for the test file that imports this (SIDDHI_KERNELS=off)
// and puts the flag back after it: test files may share a worker (vitest isolate: false).

import { afterAll, beforeAll } from 'vitest';

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
