// Reads a checkpoint directory (FileStore layout: <dir>/<app>/<revision>.sdck)
// for `siddhi checkpoints`: every revision decoded and checked, and each
// delta's chain followed to its base. Used by checkpoints-command.ts.

import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CheckpointHeader } from '../index.js';
import { CliUsageError, type CheckpointReader } from './io.js';

export interface CellInfo {
  readonly id: string;
  readonly kind: string;
  readonly version: number;
  readonly mode: 'full' | 'delta';
}

export interface RevisionInfo {
  readonly revision: string;
  readonly file: string;
  readonly bytes: number;
  /** Why the file does not decode; undefined when every checksum and cell is fine. */
  readonly damaged?: string;
  /** Present when at least the header reads. */
  readonly header?: CheckpointHeader;
  /** Present when the whole file decodes. */
  readonly cells?: readonly CellInfo[];
  /** Revisions a restore applies, base first; present when the chain is whole. */
  readonly chain?: readonly string[];
  /** Why this revision cannot be restored (itself or an ancestor damaged or missing). */
  readonly broken?: string;
}

export interface AppCheckpoints {
  readonly app: string;
  readonly dir: string;
  /** Oldest first. */
  readonly revisions: readonly RevisionInfo[];
  /** The revision restoreLastRevision() would pick: the newest with a whole chain. */
  readonly restorePoint?: string;
}

const SUFFIX = '.sdck';

/** App names with checkpoints under `dir` (sub-directory names are URI-encoded app names). */
export function listApps(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new CliUsageError(`cannot read checkpoint directory '${dir}': ${(err as Error).message}`);
  }
  return entries
    .filter((e) => e.isDirectory() && holdsCheckpoints(join(dir, e.name)))
    .map((e) => decodeURIComponent(e.name))
    .sort();
}

/** True when `appDir` has `.sdck` files, or cannot be read (readApp then reports why). */
function holdsCheckpoints(appDir: string): boolean {
  try {
    return readdirSync(appDir).some((n) => n.endsWith(SUFFIX));
  } catch {
    return true;
  }
}

/** The directory FileStore keeps `app`'s revisions in. */
export function appDirectory(dir: string, app: string): string {
  return join(dir, encodeURIComponent(app).replace(/\./g, '%2E'));
}

/** Loads, decodes and checks every revision of `app`. */
export async function readApp(engine: CheckpointReader, dir: string, app: string): Promise<AppCheckpoints> {
  const store = new engine.FileStore(dir);
  const revisions = await store.list(app);
  const appDir = appDirectory(dir, app);
  const infos = new Map<string, RevisionInfo>();
  for (const revision of revisions) {
    const file = join(appDir, revision + SUFFIX);
    let bytes: Uint8Array;
    try {
      bytes = (await store.load(app, revision)) ?? new Uint8Array();
    } catch (err) {
      // Unreadable (e.g. EACCES): listed as damaged, as a restore would skip it.
      infos.set(revision, { revision, file, bytes: sizeOf(file), damaged: (err as Error).message });
      continue;
    }
    infos.set(revision, { revision, file, bytes: bytes.length || sizeOf(file), ...decode(engine, bytes, revision) });
  }
  const out = revisions.map((r) => withChain(infos.get(r)!, infos));
  const restorable = out.filter((r) => r.chain !== undefined);
  return { app, dir: appDir, revisions: out, ...(restorable.length > 0 ? { restorePoint: restorable[restorable.length - 1]!.revision } : {}) };
}

function decode(engine: CheckpointReader, bytes: Uint8Array, revision: string): Pick<RevisionInfo, 'damaged' | 'header' | 'cells'> {
  try {
    const d = engine.decodeCheckpoint(bytes);
    if (d.header.revision !== revision) return { header: d.header, damaged: `the file holds revision ${d.header.revision}` };
    return { header: d.header, cells: d.cells.map(({ id, kind, version, mode }) => ({ id, kind, version, mode })) };
  } catch (err) {
    const damaged = (err as Error).message.replace(/^checkpoint refused: /, '');
    try {
      return { header: engine.readCheckpointHeader(bytes), damaged };
    } catch {
      return { damaged };
    }
  }
}

/** Follows parents down to the full base, as a restore would. */
function withChain(info: RevisionInfo, all: ReadonlyMap<string, RevisionInfo>): RevisionInfo {
  const chain: string[] = [];
  for (let at: RevisionInfo | undefined = info; ;) {
    if (at.damaged !== undefined || at.header === undefined) {
      return { ...info, broken: at === info ? 'damaged' : `its chain needs ${at.revision}, which is damaged` };
    }
    chain.push(at.revision);
    const h: CheckpointHeader = at.header;
    if (h.mode === 'full') return { ...info, chain: chain.reverse() };
    const parent = h.parent === null ? undefined : all.get(h.parent);
    if (parent === undefined) return { ...info, broken: `its chain needs ${h.parent ?? '(no parent)'}, which is missing` };
    if (parent.revision >= at.revision) return { ...info, broken: `${at.revision} names a later parent ${parent.revision}` };
    at = parent;
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * Where `siddhi run --checkpoint-dir` keeps the app's text, for `siddhi query
 * <dir>`: `<dir>/<app>.siddhi`, beside (not in) the app's directory of revisions.
 */
export function appTextFile(dir: string, app: string): string {
  return `${appDirectory(dir, app)}.siddhi`;
}

/** Saves the app's text beside its checkpoints (temp file + rename: never half-written). */
export function saveAppText(dir: string, app: string, text: string): void {
  const file = appTextFile(dir, app);
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, file);
  } catch (err) {
    throw new CliUsageError(`cannot write '${file}': ${(err as Error).message}`);
  }
}

/** The app text `siddhi run` saved for `app` in `dir`, or undefined when there is none. */
export function loadAppText(dir: string, app: string): string | undefined {
  try {
    return readFileSync(appTextFile(dir, app), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliUsageError(`cannot read '${appTextFile(dir, app)}': ${(err as Error).message}`);
  }
}
