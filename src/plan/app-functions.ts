// Functions an app may call beyond the built-ins: those registered with
// manager.setFunction and the app's `define function`s. planApp is
// synchronous, so the table is handed to compileCall for the duration of one
// planApp call rather than threaded through every scope (scopes are built in
// many planners; this keeps the hook to one line in each end). What compiles
// after planning (on-demand queries, expression window conditions) captures
// currentAppFunctions() when planned and compiles inside withAppFunctions.

import type { FunctionKind } from '../runtime/functions/index.js';

let current: ReadonlyMap<string, FunctionKind> | undefined;

export function withAppFunctions<T>(functions: ReadonlyMap<string, FunctionKind>, plan: () => T): T {
  const previous = current;
  current = functions;
  try {
    return plan();
  } finally {
    current = previous;
  }
}

/** The functions in force now (inside withAppFunctions), for planning that happens later: on-demand queries. */
export function currentAppFunctions(): ReadonlyMap<string, FunctionKind> {
  return current ?? new Map();
}

/** The app's function called `name` (as written, then ignoring case). */
export function appFunction(name: string): FunctionKind | undefined {
  if (!current) return undefined;
  const exact = current.get(name);
  if (exact) return exact;
  for (const [k, v] of current) if (k.toLowerCase() === name.toLowerCase()) return v;
  return undefined;
}

export function appFunctionNames(): string[] {
  return current ? [...current.keys()] : [];
}
