// Cell signatures: a short hash of what a cell's state means (the query input
// up to the operator with its parameters, the schemas of the streams read, the
// aggregators and group-by keys), so a restore into an edited app loads a cell
// only where its meaning is unchanged. Locations are left out: whitespace and
// comments do not change a signature.

import { createHash } from 'node:crypto';
import { type CellGroup, type CellRegistry, type CellSignature, type ChangeLog, signatureText, type StateCell } from '../runtime/instance.js';
import type { PlanContext } from './plan-context.js';

/**
 * A stable hash of AST parts and schemas, ignoring source locations, computed
 * when first asked for (a checkpoint or a restore): hashing every cell of a
 * large app was a quarter of its planning, and an app that is only checked or
 * never checkpointed needs none. A part that is a function stands for what it
 * returns (a signature for its hash). The parts must not change after
 * planning (AST and schemas do not).
 */
export function signatureOf(...parts: readonly unknown[]): () => string {
  let text: string | undefined;
  let pending: readonly unknown[] | undefined = parts;
  return () => {
    if (text === undefined) {
      text = hashOf(pending!.map((p) => (typeof p === 'function' ? (p as () => unknown)() : p)));
      pending = undefined;
    }
    return text;
  };
}

/** `own/partition`: a partition instance's cell means its own signature under the partition's keys. */
export function joinedSignature(own: CellSignature, partition: CellSignature): () => string {
  let text: string | undefined;
  return () => (text ??= `${signatureText(own)}/${signatureText(partition)}`);
}

function hashOf(parts: readonly unknown[]): string {
  const text = JSON.stringify(parts, (key, value) => (key === 'loc' ? undefined : typeof value === 'bigint' ? `${value}n` : value));
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/** `base`, registering every cell with `signature`. */
export function signedCells(base: CellRegistry, signature: CellSignature): CellRegistry {
  return new SignedCells(base, signature);
}

/** One object per query instance, its methods on the prototype (partition keys make many). */
class SignedCells implements CellRegistry {
  constructor(private readonly base: CellRegistry, private readonly signature: CellSignature) {}

  register(id: string, cell: StateCell): void {
    this.base.register(id, cell, this.signature);
  }

  unregister(id: string): void {
    this.base.unregister(id);
  }

  groupCell(id: string, group: CellGroup): void {
    this.base.groupCell?.(id, group);
  }

  get changes(): ChangeLog | undefined {
    return this.base.changes;
  }

  declareScope(prefix: string): void {
    this.base.declareScope?.(prefix);
  }
}

/**
 * The schemas of every stream a query input reads (single, join sides,
 * pattern elements): an added or retyped attribute changes what windows hold.
 */
export function sourceSchemasOf(input: unknown, ctx: PlanContext): unknown[] {
  const out: unknown[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.kind === 'single' && typeof o.stream === 'string') out.push([o.stream, o.inner, schemaOf(o.stream, o.inner === true, ctx)]);
    for (const [k, v] of Object.entries(o)) if (k !== 'loc') visit(v);
  };
  visit(input);
  return out;
}

function schemaOf(name: string, inner: boolean, ctx: PlanContext): unknown {
  const { catalog } = ctx;
  const schema = inner ? catalog.inner?.get(name) : catalog.streams.get(name) ?? catalog.windows.get(name);
  if (schema) return schema.attributes;
  return catalog.tables.get(name)?.attributes;
}
