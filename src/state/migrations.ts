// State schema migrations: per cell kind, one step from each old version to
// the next. The checkpoint manager runs them on old states before a restore.

import { SiddhiStateError } from '../errors.js';
import type { CaptureMode } from './cell.js';

/** Turns a state of version `from` into version `from + 1`; `mode` tells full from delta states. */
export type Migration = (state: unknown, info: { readonly id: string; readonly mode: CaptureMode }) => unknown;

/** A cell kind's own steps, keyed by the version each step migrates from. */
export type CellMigrations = Readonly<Record<number, Migration>>;

export class Migrations {
  private readonly steps = new Map<string, Map<number, Migration>>();

  /** Registers the step `fromVersion → fromVersion + 1` for `kind`. */
  register(kind: string, fromVersion: number, migrate: Migration): this {
    let byVersion = this.steps.get(kind);
    if (!byVersion) this.steps.set(kind, (byVersion = new Map()));
    if (byVersion.has(fromVersion)) {
      throw new SiddhiStateError(`a migration for '${kind}' from version ${fromVersion} is already registered`);
    }
    byVersion.set(fromVersion, migrate);
    return this;
  }

  /**
   * Throws unless `from` can reach `to` (same version, or a step for each
   * version between); `own` are the steps the cell itself declares.
   */
  check(id: string, kind: string, from: number, to: number, own?: CellMigrations): void {
    if (from > to) {
      throw new SiddhiStateError(
        `cannot restore cell '${id}' (${kind}): the checkpoint has state version ${from}, newer than this app's ${to}`,
        { cell: id },
      );
    }
    for (let v = from; v < to; v++) {
      if (!own?.[v] && !this.steps.get(kind)?.has(v)) {
        throw new SiddhiStateError(
          `cannot restore cell '${id}' (${kind}): no migration from state version ${v} to ${v + 1}`,
          { cell: id },
        );
      }
    }
  }

  /** Runs the steps from `from` up to `to`; call `check` first. */
  apply(id: string, kind: string, mode: CaptureMode, state: unknown, from: number, to: number, own?: CellMigrations): unknown {
    let s = state;
    for (let v = from; v < to; v++) {
      try {
        s = (own?.[v] ?? this.steps.get(kind)!.get(v)!)(s, { id, mode });
      } catch (e) {
        if (e instanceof SiddhiStateError) throw e;
        throw new SiddhiStateError(
          `migration of cell '${id}' (${kind}) from version ${v} failed: ${(e as Error).message ?? String(e)}`,
          { cell: id, cause: e },
        );
      }
    }
    return s;
  }
}
