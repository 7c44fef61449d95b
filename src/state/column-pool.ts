// Memory for the typed columns a restore decodes (column-blob.ts), reused from
// one restore to the next. A 1M-event window decodes ~17 MB of columns; fresh
// memory costs a first-touch page fault per 4 KiB (15-45 µs each on a VM, most
// of such a restore) and, as external memory, sets off mark-compacts. A window
// that adopted lent columns (logged-columns.ts) offers them back when its app
// is shut down (CheckpointManager.release): it keeps its rows until a later
// restore takes the memory, and is then emptied (a capture of it is refused).
// Columns that view a body decoded into memory of their own are handed back
// with that memory as a whole (own-bodies.ts).

import { claimOwnView, endReadOwn, freeOwn, isOwnBody, lendOwnView, offerOwn, pinOwn, readOwn, returnOwnView } from './own-bodies.js';

/** A container that adopted lent columns (LoggedColumns). */
export interface ColumnHolder {
  /** A later restore took memory this holder offered: it must drop its rows and read none of its offered buffers again. */
  reclaim(): void;
}

/** Buffers offered by one holder; `holder` is cleared once it no longer reads them. */
export interface Offer {
  holder: ColumnHolder | undefined;
}

/** Offered buffers by byte length, each with its offer; at most POOL_BYTES in all, oldest dropped first. */
const pool = new Map<number, { buffer: ArrayBuffer; offer: Offer }[]>();
let pooledBytes = 0;
const POOL_BYTES = 64 << 20;
/** Columns below this size are left to the allocator. */
const POOLED_MIN_BYTES = 1 << 16;

/** Buffers lent to the decode under way and not yet claimed by a container. */
const lent = new WeakSet<ArrayBuffer>();
let lending = 0;

/** Runs `decode` (a checkpoint decoded for a restore) with its large columns in pooled memory that a container may claim. */
export function lendingColumns<T>(decode: () => T): T {
  lending++;
  try {
    return decode();
  } finally {
    lending--;
  }
}

/** An uninitialized buffer of exactly `bytes` for a decoded column: pooled and claimable while a restore decodes. */
export function columnBuffer(bytes: number): ArrayBuffer {
  if (lending === 0 || bytes < POOLED_MIN_BYTES) return Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer;
  const entry = pool.get(bytes)?.pop();
  let b: ArrayBuffer;
  if (entry === undefined) b = Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer;
  else {
    pooledBytes -= bytes;
    b = entry.buffer;
    const holder = entry.offer.holder;
    entry.offer.holder = undefined;
    // Its holder's rows live in it: the holder lets go of all of them first (its other buffers stay offered, unread).
    holder?.reclaim();
  }
  lent.add(b);
  return b;
}

/** A view of a body in memory of its own, handed out by a decode: claimable while a restore decodes (own-bodies.ts). */
export function lendView<T extends ArrayBufferView>(view: T): T {
  lendOwnView(view, lending > 0);
  return view;
}

/**
 * Takes over `view`'s buffer if the decode lent it (or lent the view, of a
 * body of its own) and nothing claimed it yet: `holder` becomes its only
 * reader and may offer it back (`offerColumns`) while nothing else reads it.
 * Returns the buffer taken over.
 */
export function claimColumn(view: ArrayBufferView, holder: ColumnHolder): ArrayBuffer | undefined {
  const b = view.buffer as ArrayBuffer;
  if (isOwnBody(b)) return claimOwnView(view, holder) ? b : undefined;
  return lent.delete(b) ? b : undefined;
}

/** A lent column `view` was copied (a delta's rows appended) and is not read again: it keeps no memory from later restores. */
export function returnColumn(view: ArrayBufferView): void {
  if (isOwnBody(view.buffer)) returnOwnView(view);
}

/**
 * Offers `buffers` to the next restores. With a holder, they still hold its
 * rows: the first one taken reclaims them (ColumnHolder.reclaim), or the holder
 * withdraws the offer before anything else reads them (a capture).
 */
export function offerColumns(buffers: readonly ArrayBuffer[], holder?: ColumnHolder): Offer {
  const offer: Offer = { holder };
  for (const buffer of buffers) {
    if (isOwnBody(buffer)) {
      if (holder !== undefined) offerOwn(buffer, holder);
      continue;
    }
    if (buffer.byteLength < POOLED_MIN_BYTES || buffer.byteLength > POOL_BYTES) continue;
    let list = pool.get(buffer.byteLength);
    if (list === undefined) pool.set(buffer.byteLength, (list = []));
    list.push({ buffer, offer });
    pooledBytes += buffer.byteLength;
  }
  // Over the bound: the sizes offered longest ago go first (a Map keeps insertion order).
  for (const [size, list] of pool) {
    if (pooledBytes <= POOL_BYTES) break;
    while (list.length > 0 && pooledBytes > POOL_BYTES) {
      list.shift();
      pooledBytes -= size;
    }
    if (list.length === 0) pool.delete(size);
  }
  return offer;
}

/** `holder` reads none of `buffers` any more (its rows were replaced or dropped): they are free for later restores. */
export function freeColumns(buffers: readonly ArrayBuffer[], holder: ColumnHolder, offer: Offer | undefined): void {
  for (const b of buffers) if (isOwnBody(b)) freeOwn(b, holder);
  // Already offered: the pool keeps them, with no holder left to reclaim; else they are offered now.
  if (offer !== undefined) offer.holder = undefined;
  else offerColumns(buffers);
}

/** Something besides `buffers`' holder reads them from now on (a capture, a swap): they stay its for good. */
export function shareColumns(buffers: readonly ArrayBuffer[], offer: Offer | undefined): void {
  if (offer !== undefined) withdrawOffer(offer);
  for (const b of buffers) if (isOwnBody(b)) pinOwn(b);
}

/** Where the captures being taken note the bodies of their own they read (readingCaptures). */
let reads: ArrayBufferLike[] | undefined;

/**
 * Runs `capture` (a checkpoint's captures, which nothing reads once encoded:
 * snapshot(), persist()), noting in `into` the bodies of their own the
 * captures read; call endReads(into) once the checkpoint is encoded.
 */
export function readingCaptures<T>(into: ArrayBufferLike[], capture: () => T): T {
  const outer = reads;
  reads = into;
  try {
    return capture();
  } catch (e) {
    endReads(into); // an abandoned capture is never encoded: it reads nothing
    throw e;
  } finally {
    reads = outer;
  }
}

/** The captures that noted `into` are encoded (their checkpoint's body is a copy): they read none of those bodies any more. */
export function endReads(into: ArrayBufferLike[]): void {
  for (const b of into.splice(0)) endReadOwn(b);
}

/**
 * A capture shares `buffers` with `holder`. Taken for a checkpoint
 * (readingCaptures) and all bodies of their own, it reads them until that is
 * encoded, and `holder` keeps them (true: no longer offered); else they stay
 * shared for good (shareColumns, false).
 */
export function readColumns(buffers: readonly ArrayBuffer[], offer: Offer | undefined, holder: ColumnHolder): boolean {
  const into = reads;
  if (into === undefined || !buffers.every(isOwnBody)) {
    shareColumns(buffers, offer);
    return false;
  }
  if (offer !== undefined) withdrawOffer(offer);
  for (const b of buffers) {
    readOwn(b, holder);
    into.push(b);
  }
  return true;
}

/** Takes back what `offer` still has in the pool (its holder reads them again). */
function withdrawOffer(offer: Offer): void {
  offer.holder = undefined;
  for (const [size, list] of pool) {
    const kept = list.filter((e) => e.offer !== offer);
    pooledBytes -= (list.length - kept.length) * size;
    if (kept.length === 0) pool.delete(size);
    else if (kept.length !== list.length) pool.set(size, kept);
  }
}

/** Bytes offered to the next restores (tests). */
export function pooledColumnBytes(): number {
  return pooledBytes;
}

/** Forgets every offer (tests): what an earlier test file left pooled must not decide what a later one's restore takes. */
export function emptyColumnPool(): void {
  // As the bound drops offers: their holders keep their rows.
  pool.clear();
  pooledBytes = 0;
}

/** Something that offers its adopted columns when the app's state is released. */
export interface ColumnOwner {
  releaseColumns(): void;
}

/** Where the restore being applied lists the containers that claim columns. */
let claims: WeakRef<ColumnOwner>[] | undefined;

/** Runs `apply` (a restore's states applied to the cells), listing in `into` the containers that claim lent columns. */
export function listingClaims<T>(into: WeakRef<ColumnOwner>[], apply: () => T): T {
  const outer = claims;
  claims = into;
  try {
    return apply();
  } finally {
    claims = outer;
  }
}

/** Called by a container that claimed lent columns. */
export function noteClaim(owner: ColumnOwner): void {
  claims?.push(new WeakRef(owner));
}

/** Whether a restore's decode is under way (lendingColumns): the columns it decodes are claimed by the containers that adopt them. */
export function decodingForRestore(): boolean {
  return lending > 0;
}
