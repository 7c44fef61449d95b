// Decides, before any cell is touched, what a restore will do: checks a chain
// of decoded checkpoints (base + deltas), matches its cells to the registered
// ones, runs migrations. Called by the checkpoint manager.

import { SiddhiStateError } from '../errors.js';
import type { StateCell } from './cell.js';
import type { CapturedCell, DecodedCheckpoint } from './codec.js';
import type { Migrations } from './migrations.js';

/**
 * What a restore did (or, in an error, would have done).
 *
 * @example
 * const report = runtime.restore(bytes, { lenient: true });
 * if (report.missing.length > 0) console.log('started empty:', report.missing);
 */
export interface RestoreReport {
  /** The revision restored (the last of the chain). */
  readonly revision: string;
  /** Revisions applied, base first. */
  readonly chain: readonly string[];
  readonly restored: string[];
  /** Cells of the app that the checkpoint does not have: they start empty (strict mode refuses them only for checkpoints without signatures). */
  readonly missing: string[];
  /** Cells in the checkpoint that the app does not have. */
  readonly gone: string[];
  /** Same id, but a different kind or signature (what the state means changed): not restored. */
  readonly changed: string[];
  /** Cells of partition keys a restore of a subset of keys did not take (RestoreOptions.keys). */
  readonly leftOut: string[];
  /**
   * The checkpoint was taken from a different app text. Informational when its
   * cells carry signatures (then strict mode compares those); checkpoints
   * written before signatures are refused by strict mode on any text change.
   */
  readonly fingerprintChanged: boolean;
  /** Newer revisions skipped because they were damaged or their chain was broken. */
  readonly skipped: { readonly revision: string; readonly reason: string }[];
  readonly inputs?: Record<string, number>;
  readonly meta?: unknown;
}

/** A chain's cell states: per id, its last full state and the deltas after it. */
export type CellSequences = Map<string, CapturedCell[]>;

/**
 * Checks that `chain` (base first) links up and every cell has a full state to
 * start from. A delta that lists `dropped` ids (format 2) leaves out the cells
 * that did not change; an older delta lists every live cell.
 */
export function sequenceChain(chain: readonly DecodedCheckpoint[]): CellSequences {
  let live: CellSequences = new Map();
  chain.forEach((c, i) => {
    const h = c.header;
    if (i === 0 && h.mode !== 'full') broken(h.revision, 'the chain does not start with a full checkpoint');
    if (i > 0) {
      const prev = chain[i - 1]!.header;
      if (h.mode !== 'delta' || h.parent !== prev.revision) broken(h.revision, `it does not follow ${prev.revision}`);
      if (h.appName !== prev.appName) broken(h.revision, 'app names differ along the chain');
    }
    const next: CellSequences = h.dropped === undefined ? new Map() : live;
    for (const id of h.dropped ?? []) next.delete(id);
    const seen = new Set<string>();
    for (const cell of c.cells) {
      if (seen.has(cell.id)) broken(h.revision, `cell '${cell.id}' appears twice`);
      seen.add(cell.id);
      const before = live.get(cell.id);
      if (cell.mode === 'full') {
        next.set(cell.id, [cell]);
      } else if (!before) {
        broken(h.revision, `cell '${cell.id}' has no full state in the chain`);
      } else if (before[0]!.kind !== cell.kind) {
        broken(h.revision, `cell '${cell.id}' changes kind along the chain`);
      } else {
        next.set(cell.id, [...before, cell]);
      }
    }
    live = next;
  });
  return live;
}

function broken(revision: string, reason: string): never {
  throw new SiddhiStateError(`checkpoint refused: revision ${revision} is not a consistent chain: ${reason}`);
}

export interface MatchContext {
  readonly appName: string;
  readonly fingerprint: string;
  /** Registered cells, in registration order. */
  readonly cells: ReadonlyMap<string, StateCell>;
  /** Signatures of the registered cells that have one. */
  readonly signatures: ReadonlyMap<string, string>;
  /** Id prefixes whose cells are created during the restore (partition instances). */
  readonly scopes: readonly string[];
  readonly migrations: Migrations;
  readonly lenient: boolean;
  /** Restore only these partition keys (see RestoreOptions.keys). */
  readonly keys?: (key: string) => boolean;
}

export interface RestorePlan {
  readonly report: RestoreReport;
  /** Migrated states to apply, per registered cell id. */
  readonly apply: Map<string, unknown[]>;
  /** States for scoped cells expected to register while the restore is applied. */
  readonly pending: CellSequences;
}

/** Throws SiddhiStateError when `header` is of another app than `appName` (checked before a body is decoded, too). */
export function refuseForeign(header: { readonly appName: string }, appName: string): void {
  if (header.appName !== appName) {
    throw new SiddhiStateError(`checkpoint refused: it belongs to app '${header.appName}', not '${appName}'`);
  }
}

/** Matches a checked chain against the app; throws SiddhiStateError on a refusal. */
export function planRestore(chain: readonly DecodedCheckpoint[], seqs: CellSequences, ctx: MatchContext): RestorePlan {
  const head = chain[chain.length - 1]!.header;
  refuseForeign(head, ctx.appName);
  const report: RestoreReport = {
    revision: head.revision,
    chain: chain.map((c) => c.header.revision),
    restored: [], missing: [], gone: [], changed: [], leftOut: [],
    fingerprintChanged: head.fingerprint !== ctx.fingerprint,
    skipped: [],
    ...(head.inputs !== undefined ? { inputs: head.inputs } : {}),
    ...(head.meta !== undefined ? { meta: head.meta } : {}),
  };
  const inScope = (id: string) => ctx.scopes.some((p) => id.startsWith(p));
  const pending: CellSequences = new Map();
  const matched = new Map<string, CapturedCell[]>();
  for (const [id, seq] of seqs) {
    const cell = ctx.cells.get(id);
    if (ctx.keys && !acceptsKeyOf(id, ctx.scopes, ctx.keys)) {
      report.leftOut.push(id);
    } else if (!cell) {
      if (inScope(id)) pending.set(id, seq);
      else report.gone.push(id);
    } else if (!sameMeaning(cell, ctx.signatures.get(id), seq)) {
      report.changed.push(id);
    } else {
      matched.set(id, seq);
    }
  }
  for (const id of ctx.cells.keys()) if (!seqs.has(id) && !inScope(id)) report.missing.push(id);

  // Signed checkpoints are compared by what the cells depend on, not by the app text.
  const signed = [...seqs.values()].some((seq) => seq[seq.length - 1]!.signature !== undefined);
  const textCounts = report.fingerprintChanged && !signed;
  // A new cell (a query added) starts empty in either mode; state that would be dropped or misread is refused.
  const mismatch = textCounts || report.gone.length + report.changed.length > 0 || (!signed && report.missing.length > 0);
  if (mismatch && !ctx.lenient) throw new CheckpointMismatchError(describeMismatch(report, ctx, textCounts), report, matched.size);

  const apply = new Map<string, unknown[]>();
  for (const [id, seq] of matched) {
    const cell = ctx.cells.get(id)!;
    const states = migrateSequence(id, seq, cell, ctx.migrations);
    const keys = ctx.keys;
    apply.set(id, keys && cell.subset ? states.map((s) => cell.subset!(s, keys)) : states);
    report.restored.push(id);
  }
  return { report, apply, pending };
}

/**
 * Whether a cell belongs to an accepted key: cells outside scopes belong to no
 * key; a scoped (partition instance) cell's id is `<query>/<pos>:<kind>@<key>`.
 */
function acceptsKeyOf(id: string, scopes: readonly string[], accept: (key: string) => boolean): boolean {
  const scope = scopes.find((p) => id.startsWith(p));
  if (scope === undefined) return true;
  const at = id.indexOf('@', scope.length);
  return at < 0 || accept(id.slice(at + 1));
}

/** Checks and migrates one cell's states to the cell's version, all or nothing. */
export function migrateSequence(id: string, seq: readonly CapturedCell[], cell: StateCell, migrations: Migrations): unknown[] {
  for (const e of seq) migrations.check(id, e.kind, e.version, cell.version, cell.migrations);
  return seq.map((e) => migrations.apply(id, e.kind, e.mode, e.state, e.version, cell.version, cell.migrations));
}

/** A strict restore refused because checkpoint and app differ; `report` says how. */
export class CheckpointMismatchError extends SiddhiStateError {
  constructor(message: string, readonly report: RestoreReport, matching: number) {
    super(message, { hint: `restore with { lenient: true } to restore the ${matching} matching cell(s)` });
  }
}

/**
 * A checkpointed cell fits a registered one when the kind is the same and, if
 * both carry a signature, the signature too (a cell without one, from an older
 * checkpoint or an unsigned operator, is matched by kind), and the cell can
 * take the captured state's form.
 */
export function sameMeaning(cell: StateCell, signature: string | undefined, seq: readonly CapturedCell[]): boolean {
  const last = seq[seq.length - 1]!;
  if (last.kind !== cell.kind) return false;
  if (cell.fits !== undefined && !cell.fits(last.state)) return false;
  return signature === undefined || last.signature === undefined || signature === last.signature;
}

function describeMismatch(r: RestoreReport, ctx: MatchContext, textCounts: boolean): string {
  const parts: string[] = [];
  if (textCounts) parts.push('the app text changed since it was taken (the checkpoint predates cell signatures)');
  if (r.missing.length) parts.push(`new in the app: ${list(r.missing)}`);
  if (r.gone.length) parts.push(`gone from the app: ${list(r.gone)}`);
  if (r.changed.length) parts.push(`changed (kind, parameters, schema, aggregators or group-by): ${list(r.changed)}`);
  return `checkpoint ${r.revision} does not match app '${ctx.appName}'; nothing was restored. ` +
    `${parts.join('; ')}.`;
}

/** Sorted, so the message does not depend on the order operators registered their cells. */
function list(ids: readonly string[]): string {
  const shown = [...ids].sort().slice(0, 10).map((id) => `'${id}'`).join(', ');
  return ids.length > 10 ? `${shown} and ${ids.length - 10} more` : shown;
}
