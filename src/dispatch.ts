// Exhaustive dispatch on a `kind` field: a table with one handler per kind,
// so a new node kind fails to compile until every pass handles it.

/** One handler per `kind` of the union `T`, each typed with its own member. */
export type Handlers<T extends { readonly kind: string }, A extends unknown[], R> = {
  readonly [K in T['kind']]: (node: Extract<T, { readonly kind: K }>, ...args: A) => R;
};

/** Calls the handler of `node.kind`. */
export function dispatch<T extends { readonly kind: string }, A extends unknown[], R>(
  handlers: Handlers<T, A, R>,
  node: T,
  ...args: A
): R {
  // The mapped type guarantees the pairing; TypeScript cannot correlate it through the index.
  return (handlers[node.kind as T['kind']] as unknown as (node: T, ...args: A) => R)(node, ...args);
}

// assertNever lives in errors.ts, which the state layer may import too.
export { assertNever } from './errors.js';
