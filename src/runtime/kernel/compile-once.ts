// `new Function('env', source)` once per source text in the process: every
// runtime (and partition instance) whose query has the same shape gets its
// closure from one compiled function, so V8 shares the type feedback and the
// optimised code, and a caller's call site stays monomorphic across runtimes
// (V8's own eval cache is not kept reliably). Used by generate-step/-send.

const FACTORIES = new Map<string, (env: never) => unknown>();

/** The function `function (env) { <source> }`, compiled the first time `source` is seen. */
export function compileOnce<E, T>(source: string): (env: E) => T {
  let f = FACTORIES.get(source);
  if (f === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    f = new Function('env', source) as (env: never) => unknown;
    FACTORIES.set(source, f);
  }
  return f as (env: E) => T;
}
