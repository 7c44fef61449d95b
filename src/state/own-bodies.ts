// Which bodies decoded into memory of their own (own-memory-decoder.ts) may be
// decoded into again, proven by counting who may read their views. Called by
// column-blob.ts and column-pool.ts (lending, claims) and compression.ts (takes).

import type { ColumnHolder } from './column-pool.js';

interface OwnBody {
  /** Views lent by the decode and not claimed yet. */
  unclaimed: number;
  /** Containers that claimed views and still read them. */
  readonly holders: Set<ColumnHolder>;
  /** Those of `holders` that offered their rows: they drop them when the memory is taken. */
  readonly offered: Set<ColumnHolder>;
  /** Something else may read a view: never taken again. */
  pinned: boolean;
  /** Captures whose checkpoint is being encoded and that read its views (readOwn): not taken until they end. */
  readers: number;
}

/** By the buffer of the memory the body lies in (one body a memory: a new decode there is a new body). */
const bodies = new WeakMap<ArrayBufferLike, OwnBody>();
/** Views lent and not claimed yet. */
const lentViews = new WeakSet<ArrayBufferView>();

/** `buffer` now holds a body decoded into memory of its own, which nothing writes until takeOwnBody says it may. */
export function noteOwnBody(buffer: ArrayBufferLike): void {
  bodies.set(buffer, { unclaimed: 0, holders: new Set(), offered: new Set(), pinned: false, readers: 0 });
}

/** Whether `buffer` holds a body decoded into memory of its own that may still be read (noteOwnBody, not taken since). */
export function isOwnBody(buffer: ArrayBufferLike): boolean {
  return bodies.has(buffer);
}

/** A view of an own body handed out by a decode; `claimable` when the decode is a restore's (see column-pool lendingColumns). */
export function lendOwnView(view: ArrayBufferView, claimable: boolean): void {
  const b = bodies.get(view.buffer)!;
  if (!claimable) b.pinned = true;
  else if (!lentViews.has(view)) {
    lentViews.add(view);
    b.unclaimed++;
  }
}

/** `holder` keeps `view` as its rows: true when it claimed it (it is then its only reader), false when it pinned the body. */
export function claimOwnView(view: ArrayBufferView, holder: ColumnHolder): boolean {
  const b = bodies.get(view.buffer)!;
  if (!lentViews.delete(view)) {
    b.pinned = true;
    return false;
  }
  b.unclaimed--;
  b.holders.add(holder);
  return true;
}

/** A lent `view` was copied by the container it was lent for, which reads it no more: it no longer keeps the body. */
export function returnOwnView(view: ArrayBufferView): void {
  const b = bodies.get(view.buffer);
  if (b !== undefined && lentViews.delete(view)) b.unclaimed--;
}

/** `holder`'s app shut down: it keeps its rows until the memory is taken (takeOwnBody). */
export function offerOwn(buffer: ArrayBufferLike, holder: ColumnHolder): void {
  const b = bodies.get(buffer);
  if (b?.holders.has(holder)) b.offered.add(holder);
}

/** A capture reads the body's views until its checkpoint is encoded (endReadOwn); `holder`, which shares them with it, reads them again and no longer offers them. */
export function readOwn(buffer: ArrayBufferLike, holder: ColumnHolder): void {
  const b = bodies.get(buffer);
  if (b === undefined) return;
  b.offered.delete(holder);
  b.readers++;
}

/** A capture noted by readOwn was encoded: it reads the body no more. */
export function endReadOwn(buffer: ArrayBufferLike): void {
  const b = bodies.get(buffer);
  if (b !== undefined) b.readers--;
}

/** Something besides its holder may read the body's views for good (a capture, a swap). */
export function pinOwn(buffer: ArrayBufferLike): void {
  const b = bodies.get(buffer);
  if (b !== undefined) b.pinned = true;
}

/** `holder` reads none of the body's views any more (its rows were replaced or dropped). */
export function freeOwn(buffer: ArrayBufferLike, holder: ColumnHolder): void {
  const b = bodies.get(buffer);
  b?.holders.delete(holder);
  b?.offered.delete(holder);
}

/**
 * Whether the memory of `buffer` may be decoded into again; if so, its
 * holders drop their rows now (reclaim) and it holds no body any more.
 *
 * Only when every view a restore's decode lent was claimed by a container
 * (then its only reader) or handed back once copied (a delta's), and every
 * claimer has offered its rows (its app shut down) or let go of them. Anything
 * else that may read a view pins the body for good: a view lent outside a
 * restore (a decodeCheckpoint of the caller's), lent and never claimed (a state
 * a cell kept, a cell refused or never registered, a restore that failed), a
 * view adopted without a claim (one state restored twice), or a claimed one a
 * swap or a capture of no checkpoint's shares (another container, a caller's
 * capture). A checkpoint's capture (snapshot(), persist()) reads them only
 * until that checkpoint's body is packed, a copy (readers).
 */
export function takeOwnBody(buffer: ArrayBufferLike): boolean {
  const b = bodies.get(buffer);
  if (b === undefined) return true;
  if (b.pinned || b.readers > 0 || b.unclaimed > 0 || b.offered.size !== b.holders.size) return false;
  bodies.delete(buffer);
  for (const holder of b.offered) holder.reclaim();
  return true;
}
