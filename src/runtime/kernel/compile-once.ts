// `new Function('env', source)` once per source text in the process: every
// runtime (and partition instance) whose query has the same shape gets its
// closure from one compiled function, so V8 shares the type feedback and the
// optimised code, and a caller's call site stays monomorphic across runtimes
// (V8's own eval cache is not kept reliably). Used by generate-step/-send.
//
// Sources embed an app's constants, so a service that creates many different
// apps would grow the cache without end: it keeps the most recently used
// COMPILED_KEPT sources. A runtime keeps its own closures; an evicted source
// is only compiled again, unshared, by the next runtime that needs it.

export const COMPILED_KEPT = 2048;

const FACTORIES = new Map<string, (env: never) => unknown>();

/** The function `function (env) { <source> }`, compiled the first time `source` is seen. */
export function compileOnce<E, T>(source: string): (env: E) => T {
  let f = FACTORIES.get(source);
  if (f === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    f = new Function('env', source) as (env: never) => unknown;
    if (FACTORIES.size >= COMPILED_KEPT) FACTORIES.delete(FACTORIES.keys().next().value!);
  } else {
    // Map order is insertion order: moving a hit to the end keeps the eviction least-recently used.
    FACTORIES.delete(source);
  }
  FACTORIES.set(source, f);
  return f as (env: E) => T;
}

/** How many sources are kept (for tests). */
export function compiledSources(): number {
  return FACTORIES.size;
}
