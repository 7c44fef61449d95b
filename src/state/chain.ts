// Persisted chains (a full base, then deltas): the link the next delta extends,
// when to start a new base, revision ids, and loading a chain back from a store.
// Used by the checkpoint manager.

import { SiddhiStateError } from '../errors.js';
import { decodeCheckpoint, type DecodedCheckpoint } from './codec.js';
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
export function isDeltaDue(link: ChainLink, policy: { fullEvery?: number; deltaRatio?: number }): boolean {
  const { fullEvery = 10, deltaRatio = 1 } = policy;
  return link.deltas < fullEvery && link.totals.deltaBytes <= link.totals.baseBytes * deltaRatio;
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
    const bytes = await store.load(appName, at);
    if (!bytes) throw new SiddhiStateError(`checkpoint refused: revision ${at} is missing from the store`);
    let decoded: DecodedCheckpoint;
    try {
      decoded = decodeCheckpoint(bytes);
    } catch (e) {
      throw new SiddhiStateError(`revision ${at}: ${(e as Error).message}`, { cause: e });
    }
    if (decoded.header.revision !== at) throw new SiddhiStateError(`checkpoint refused: file ${at} holds revision ${decoded.header.revision}`);
    chain.push(decoded);
    sizes.push(bytes.length);
    const parent: string | null = decoded.header.mode === 'delta' ? decoded.header.parent : null;
    if (parent !== null && parent >= at) throw new SiddhiStateError(`checkpoint refused: revision ${at} names a later parent ${parent}`);
    at = parent;
  }
  return { chain: chain.reverse(), sizes: sizes.reverse() };
}
