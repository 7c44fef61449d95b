// Persisted chains (a full base, then deltas): the link the next delta extends,
// when to start a new base, revision ids, and loading a chain back from a store.
// Used by the checkpoint manager.

import { SiddhiError, SiddhiStateError } from '../errors.js';
import type { CaptureMode } from './cell.js';
import { decodeCheckpoint, type DecodedCheckpoint } from './codec.js';
import { lendingColumns } from './column-pool.js';
import { refuseForeign, sequenceChain, type CellSequences } from './restore-plan.js';
import type { PersistenceStore } from './stores.js';

/** The persisted chain the next delta may extend. */
export interface ChainLink {
  readonly store: PersistenceStore;
  readonly revision: string;
  readonly deltas: number;
  readonly totals: { baseBytes: number; deltaBytes: number };
  written: Promise<void>;
}

/** Whether the next 'auto' checkpoint may be a delta on `link`. */
export function isDeltaDue(link: ChainLink, policy: ChainPolicy): boolean {
  const { fullEvery = 10, deltaRatio = 1 } = policy;
  return link.deltas < fullEvery && link.totals.deltaBytes <= link.totals.baseBytes * deltaRatio;
}

export interface ChainPolicy {
  readonly fullEvery?: number;
  readonly deltaRatio?: number;
}

/**
 * The mode of the next persist into `store`: a delta only when it extends
 * `lastRevision` there and the request ('auto' by default) or the policy allows.
 */
export function persistMode(
  prev: ChainLink | undefined, store: PersistenceStore, lastRevision: string | null, requested: CaptureMode | 'auto' | undefined, policy: ChainPolicy,
): CaptureMode {
  const chained = prev !== undefined && prev.store === store && prev.revision === lastRevision;
  return chained && requested !== 'full' && (requested === 'delta' || isDeltaDue(prev, policy)) ? 'delta' : 'full';
}

/** The link a checkpoint of `revision` in `mode` makes: one more delta on `prev`, or a new base. */
export function nextLink(prev: ChainLink | undefined, store: PersistenceStore, revision: string, mode: CaptureMode): ChainLink {
  return mode === 'delta'
    ? { store, revision, deltas: prev!.deltas + 1, totals: prev!.totals, written: Promise.resolve() }
    : { store, revision, deltas: 0, totals: { baseBytes: Infinity, deltaBytes: 0 }, written: Promise.resolve() };
}

/** The link of a chain restored from `store`, whose files had these sizes (base first). */
export function restoredLink(store: PersistenceStore, revision: string, sizes: readonly number[]): ChainLink {
  const deltaBytes = sizes.slice(1).reduce((a, b) => a + b, 0);
  return { store, revision, deltas: sizes.length - 1, totals: { baseBytes: sizes[0]!, deltaBytes }, written: Promise.resolve() };
}

/** Revision ids sort lexically in creation order: zero-padded time, then a sequence within the millisecond. */
export function nextRevision(createdAt: number, last: string | null): string {
  const make = (t: number, seq: number) => `${String(Math.max(0, Math.floor(t))).padStart(15, '0')}-${String(seq).padStart(6, '0')}`;
  const candidate = make(createdAt, 0);
  if (last === null || candidate > last) return candidate;
  const m = /^(\d{15})-(\d{6})$/.exec(last);
  return m ? make(Number(m[1]), Number(m[2]) + 1) : candidate;
}

/** Loads `revision` and its parents down to the full base; returns them base first. */
export async function loadChain(store: PersistenceStore, appName: string, revision: string): Promise<{ chain: DecodedCheckpoint[]; sizes: number[] }> {
  const chain: DecodedCheckpoint[] = [];
  const sizes: number[] = [];
  for (let at: string | null = revision; at !== null;) {
    const revision: string = at;
    // Refused on its header before the body is decoded: the decode may take memory a shut-down runtime offered (own-bodies.ts).
    // The decoded states own their data or view memory of their own (decodeCheckpoint), never the file's bytes.
    const decode = (bytes: Uint8Array): { size: number; decoded: DecodedCheckpoint } => {
      try {
        return {
          size: bytes.length,
          decoded: lendingColumns(() => decodeCheckpoint(bytes, (h) => {
            refuseForeign(h, appName);
            if (h.revision !== revision) throw new SiddhiStateError(`checkpoint refused: file ${revision} holds revision ${h.revision}`);
          })),
        };
      } catch (e) {
        // Any failure of the decode means a damaged file, except a SiddhiError of another kind: the file is not
        // known to be damaged (no zstd decoder could be had, compression.ts), so no older revision is restored for it.
        if (e instanceof SiddhiError && !(e instanceof SiddhiStateError)) throw e;
        throw new SiddhiStateError(`revision ${revision}: ${(e as Error).message}`, { cause: e });
      }
    };
    const loaded: { size: number; decoded: DecodedCheckpoint } | undefined = store.loadAndUse !== undefined
      ? await store.loadAndUse(appName, at, decode)
      : await store.load(appName, at).then((bytes) => (bytes === undefined ? undefined : decode(bytes)));
    if (!loaded) throw new SiddhiStateError(`checkpoint refused: revision ${at} is missing from the store`);
    const decoded: DecodedCheckpoint = loaded.decoded;
    chain.push(decoded);
    sizes.push(loaded.size);
    const parent: string | null = decoded.header.mode === 'delta' ? decoded.header.parent : null;
    if (parent !== null && parent >= at) throw new SiddhiStateError(`checkpoint refused: revision ${at} names a later parent ${parent}`);
    at = parent;
  }
  return { chain: chain.reverse(), sizes: sizes.reverse() };
}

/** The newest revision whose whole chain reads back intact, checked; `skipped` lists the damaged newer ones. */
export interface UsableChain {
  readonly chain: DecodedCheckpoint[];
  readonly seqs: CellSequences;
  readonly sizes: number[];
  readonly skipped: { revision: string; reason: string }[];
}

/**
 * Finds the newest usable chain of `appName` in `store`; undefined when the
 * store has no revision of it, SiddhiStateError when none is usable.
 */
export async function loadUsableChain(store: PersistenceStore, appName: string): Promise<UsableChain | undefined> {
  const revisions = await store.list(appName);
  const skipped: { revision: string; reason: string }[] = [];
  for (let i = revisions.length - 1; i >= 0; i--) {
    try {
      const { chain, sizes } = await loadChain(store, appName, revisions[i]!);
      return { chain, seqs: sequenceChain(chain), sizes, skipped };
    } catch (e) {
      if (!(e instanceof SiddhiStateError)) throw e;
      skipped.push({ revision: revisions[i]!, reason: e.message });
    }
  }
  if (skipped.length === 0) return undefined;
  throw new SiddhiStateError(
    `no usable checkpoint of app '${appName}': ${skipped.map((s) => `${s.revision}: ${s.reason}`).join('; ')}`,
  );
}
