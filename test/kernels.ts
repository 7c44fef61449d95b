// Test helper: runs `f` with the fused kernels on (SIDDHI_KERNELS unset) or
// off ('off': the interpreted event path), putting the variable back after.
// The setting is read when an app is planned, so `f` plans; it may run too.

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
