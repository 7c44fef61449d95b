// Where checkpoints are kept: the PersistenceStore contract, an in-memory
// store, and the retention rule both stores share. The checkpoint manager
// saves and loads through it; FileStore lives in file-store.ts.

import { readCheckpointHeader, sealedParent } from './codec.js';

/**
 * Keeps encoded checkpoints per app under revision ids. Revision ids sort
 * lexically in creation order, so `list` returns them sorted, newest last.
 *
 * @example
 * const revisions = await store.list('MyApp'); // e.g. ['0000018c…-0001', …], newest last
 */
export interface PersistenceStore {
  save(appName: string, revision: string, bytes: Uint8Array): Promise<void>;
  /** The bytes saved under `revision`, or undefined when there are none. */
  load(appName: string, revision: string): Promise<Uint8Array | undefined>;
  /**
   * Loads `revision` and hands its bytes to `use`, which keeps neither them
   * nor a view of them once it returns, so the store may read into memory it
   * reuses; undefined when there are none. A restore loads through it when a
   * store has it (chain.ts loadChain), else through `load`.
   */
  loadAndUse?<T>(appName: string, revision: string, use: (bytes: Uint8Array) => T): Promise<T | undefined>;
  list(appName: string): Promise<string[]>;
  remove(appName: string, revision: string): Promise<void>;
}

export interface RetentionOptions {
  /**
   * Keep this many newest revisions (and the older ones their delta chains
   * need); default DEFAULT_RETAIN (3), so a long run does not fill the disk or
   * the heap. `Infinity` keeps every revision.
   */
  readonly retain?: number;
}

/** Revisions a store keeps when no `retain` is given (plus what their deltas need). */
export const DEFAULT_RETAIN = 3;

/**
 * A persistence store in memory (the default): checkpoints live as long as
 * the process; the 3 newest are kept unless `retain` says otherwise.
 *
 * @example
 * const manager = new SiddhiManager({ store: new InMemoryStore({ retain: 3 }) });
 */
export class InMemoryStore implements PersistenceStore {
  private readonly apps = new Map<string, Map<string, Uint8Array>>();
  private readonly parents = new ParentIndex();

  constructor(private readonly options: RetentionOptions = {}) {}

  async save(appName: string, revision: string, bytes: Uint8Array): Promise<void> {
    let revs = this.apps.get(appName);
    if (!revs) this.apps.set(appName, (revs = new Map()));
    revs.set(revision, bytes.slice());
    this.parents.note(appName, revision, bytes);
    await pruneRevisions(this, appName, this.options.retain, this.parents);
  }

  async load(appName: string, revision: string): Promise<Uint8Array | undefined> {
    const bytes = this.apps.get(appName)?.get(revision);
    return bytes && bytes.slice();
  }

  async list(appName: string): Promise<string[]> {
    return [...(this.apps.get(appName)?.keys() ?? [])].sort();
  }

  async remove(appName: string, revision: string): Promise<void> {
    this.apps.get(appName)?.delete(revision);
    this.parents.forget(appName, revision);
  }

  /** Direct access for tests and tools: replace the stored bytes of a revision. */
  put(appName: string, revision: string, bytes: Uint8Array): void {
    let revs = this.apps.get(appName);
    if (!revs) this.apps.set(appName, (revs = new Map()));
    revs.set(revision, bytes);
    this.parents.forget(appName, revision);
  }
}

/** Remembers each revision's parent (null for a full checkpoint) so pruning need not reread files. */
export class ParentIndex {
  private readonly known = new Map<string, string | null>();

  note(appName: string, revision: string, bytes: Uint8Array): void {
    this.set(appName, revision, parentOf(bytes));
  }

  set(appName: string, revision: string, parent: string | null): void {
    this.known.set(`${appName}\0${revision}`, parent);
  }

  forget(appName: string, revision: string): void {
    this.known.delete(`${appName}\0${revision}`);
  }

  get(appName: string, revision: string): string | null | undefined {
    return this.known.get(`${appName}\0${revision}`);
  }
}

/** A delta's parent; null for a full checkpoint or a header that does not read. */
export function parentOf(bytes: Uint8Array): string | null {
  const sealed = sealedParent(bytes);
  if (sealed !== undefined) return sealed;
  try {
    const h = readCheckpointHeader(bytes);
    return h.mode === 'delta' ? h.parent : null;
  } catch {
    return null;
  }
}

/**
 * Deletes all but the `retain` newest revisions, except those a kept delta
 * needs: its parent, that one's parent, and so on down to the full base.
 */
export async function pruneRevisions(
  store: PersistenceStore,
  appName: string,
  retain: number | undefined,
  parents: ParentIndex,
  readParent?: (revision: string) => Promise<string | null>,
): Promise<void> {
  retain ??= DEFAULT_RETAIN;
  const revisions = await store.list(appName);
  if (revisions.length <= retain) return;
  const present = new Set(revisions);
  const keep = new Set(revisions.slice(revisions.length - Math.max(1, retain)));
  for (const rev of [...keep]) {
    let at: string | null = rev;
    while (at !== null) {
      let parent = parents.get(appName, at);
      if (parent === undefined) {
        parent = readParent ? await readParent(at) : parentOf((await store.load(appName, at)) ?? new Uint8Array());
        parents.set(appName, at, parent);
      }
      if (parent === null || !present.has(parent) || keep.has(parent)) break;
      keep.add(parent);
      at = parent;
    }
  }
  for (const rev of revisions) if (!keep.has(rev)) await store.remove(appName, rev);
}
