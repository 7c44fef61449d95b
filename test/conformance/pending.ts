// Conformance cases whose features belong to later issues (patterns, sequences,
// joins, tables, partitions, triggers). Read by run.ts and the conformance test files;
// shrink it as features land — run.ts reports pending cases that already pass.

export interface PendingCase {
  readonly id: string;
  readonly reason: string;
}

export const PENDING: readonly PendingCase[] = [
];

const byId = new Map(PENDING.map((p) => [p.id, p.reason]));

/** The reason a case is pending, or undefined when it must pass. */
export function pendingReason(id: string): string | undefined {
  return byId.get(id);
}
