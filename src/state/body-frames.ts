// Formats 4 and 5: a zstd body stored as several frames, so a restore may leave
// the large number columns compressed until they are first read (lazy frames);
// in format 5 a lazy frame may take the one before it as its zstd prefix.
// codec.ts splits a body when sealing; compression.ts and own-memory-decoder.ts
// decode the frames, own-memory-decoder.ts the lazy ones on first access.

/**
 * The frames of a body, as the header lists them: per frame its raw length,
 * stored length and kind (EAGER, LAZY or CHAINED), flat. Frames follow each
 * other in the body and in the stored bytes.
 */
export type FrameList = readonly number[];

/** A frame a restore decodes at once. */
export const EAGER = 0;
/** A frame a restore may decode when its bytes are first read. */
export const LAZY = 1;
/**
 * Format 5: a lazy frame compressed with the raw bytes of the frame before it
 * (itself lazy) as zstd's raw-content prefix, so it decodes only after that
 * one. Frames compressed apart lost the matches whole-body compression found
 * across them (2.3× the stored bytes of format 3 on the checkpoint bench's
 * data, 1.1× on data that does not repeat), and every stored byte costs a
 * restore a fresh page to read it into, a checksum and a copy.
 */
export const CHAINED = 2;
export type FrameKind = typeof EAGER | typeof LAZY | typeof CHAINED;

/**
 * Whether the 4 bytes at `at` are zstd's dictionary magic number (0xEC30A437,
 * little-endian): zstd reads a prefix starting so as a dictionary of its own,
 * not as raw content, so a frame whose prefix would is never chained (and a
 * chained one whose prefix does is not decoded).
 */
export function startsLikeDictionary(bytes: Uint8Array, at: number): boolean {
  return bytes[at] === 0x37 && bytes[at + 1] === 0xa4 && bytes[at + 2] === 0x30 && bytes[at + 3] === 0xec;
}

/**
 * The fewest raw bytes a chained frame's prefix may hold: zstd takes no shorter
 * one, and the dictionary check reads the first 4 (else it would read the
 * chained frame's own undecoded place). The writer's prefixes are whole frames.
 */
export const MIN_PREFIX = 8;

/** One frame, placed: raw bytes [rawAt, rawAt + rawLength) of the body, stored bytes [storedAt, storedAt + storedLength). */
export interface Frame {
  readonly rawAt: number;
  readonly rawLength: number;
  readonly storedAt: number;
  readonly storedLength: number;
  readonly lazy: boolean;
  /** Its prefix is the frame before it (CHAINED). */
  readonly chained: boolean;
}

/**
 * Lazy frames hold this many raw bytes (a region's last frame fewer): a
 * chunk's first read decodes only the frame holding its rows. Frames start
 * at multiples of this from the region's first value, and a region is a
 * column's values from row 0, so with 4096-row chunks (32 KiB of float64s,
 * 16 KiB of offsets) a chunk never straddles two frames. 16 MiB frames made
 * the first event after restoring a full window (it reads the head row to
 * expire it) decode nearly the whole column: restore + first event was slower
 * than format 3's whole decode. Frames compressed apart lose matches that
 * reach across them; chaining (format 5) gives each the frame before as history.
 */
export const LAZY_FRAME_BYTES = 1 << 20;
/**
 * The last bytes of each region, from a multiple of this after its start, are
 * a frame of their own: a restore reads a window's last, partial chunk at
 * once (it copies it into a chunk with room to grow), and should decode no
 * more than that chunk for it. A multiple of every chunk's bytes.
 */
export const TAIL_BYTES = 1 << 16;

/**
 * A region's chain of frames starts again (a LAZY frame) every this many
 * frames, so a first read anywhere in a column decodes at most this many
 * (format 4's was one): without restarts a read deep in a 16M-event column
 * decoded every frame before it (128 MiB). Measured on the checkpoint
 * bench's window (load ~10): a 4M-event window's stored bytes are 1.17× those
 * of an unbroken chain with 8, 1.05× with 16, 1.40× with 4; a 1M-event
 * window's are unchanged (its columns hold at most 8 frames); decoding costs
 * ~2.5-8 ms per frame, so a first read costs at most ~20-60 ms.
 */
export const CHAIN_FRAMES = 8;

/**
 * Raw byte ranges [start, end) of `rawLength` as frames: each region (sorted,
 * disjoint) cut into lazy frames of LAZY_FRAME_BYTES from its start, each
 * chained to the one before except every CHAIN_FRAMES-th from the first, and a tail frame (not chained: a
 * restore reads it at once, and should not decode the region for it) from the
 * last multiple of TAIL_BYTES before its end; the bytes between regions as one
 * eager frame each. Returns [start, end, kind] triples.
 */
export function frameRanges(rawLength: number, regions: readonly (readonly [number, number])[]): [number, number, FrameKind][] {
  const out: [number, number, FrameKind][] = [];
  let at = 0;
  for (const [start, end] of regions) {
    if (start > at) out.push([at, start, EAGER]);
    const tail = start + Math.floor((end - start - 1) / TAIL_BYTES) * TAIL_BYTES;
    for (let s = start, k = 0; s < tail; s += LAZY_FRAME_BYTES, k++) out.push([s, Math.min(tail, s + LAZY_FRAME_BYTES), k % CHAIN_FRAMES === 0 ? LAZY : CHAINED]);
    out.push([tail, end, LAZY]);
    at = end;
  }
  if (at < rawLength || out.length === 0) out.push([at, rawLength, EAGER]);
  return out;
}

/**
 * The frames of a header's list, checked against the body's raw and stored
 * lengths; undefined when the list does not describe them (the caller refuses
 * the file). `chains`: the file's format has CHAINED frames (5), each after a
 * lazy one of at least MIN_PREFIX bytes.
 */
export function placeFrames(list: FrameList, rawLength: number, storedLength: number, chains = false): Frame[] | undefined {
  if (list.length === 0 || list.length % 3 !== 0) return undefined;
  const frames: Frame[] = [];
  let rawAt = 0;
  let storedAt = 0;
  for (let i = 0; i < list.length; i += 3) {
    const [raw, stored, kind] = [list[i]!, list[i + 1]!, list[i + 2]!];
    if (!Number.isInteger(raw) || !Number.isInteger(stored) || raw < 0 || stored <= 0) return undefined;
    const prefix = frames.at(-1);
    if (kind !== EAGER && kind !== LAZY && !(kind === CHAINED && chains && prefix?.lazy === true && prefix.rawLength >= MIN_PREFIX)) return undefined;
    frames.push({ rawAt, rawLength: raw, storedAt, storedLength: stored, lazy: kind !== EAGER, chained: kind === CHAINED });
    rawAt += raw;
    storedAt += stored;
  }
  return rawAt === rawLength && storedAt === storedLength ? frames : undefined;
}

/**
 * Whether `frame` is one zstd frame whose header says it decodes to `rawLength`
 * bytes and whose blocks end exactly at its end: a lazy frame is decoded only
 * when its rows are first read, long after the restore was accepted, so these
 * are checked with the file (checkFrameHeaders). What is left unchecked: the
 * compressed contents of its blocks (Huffman tables, sequences), which only a
 * decode finds wrong, and whether a frame needs the frame before it as its
 * prefix (a raw-content prefix leaves no trace in the frame header, so a
 * chained frame relabelled LAZY passes here). The file's checksums cover them, so only a crafted file or a
 * writer's bug can get past here; such a frame fails its first read and every
 * later one (own-memory-decoder.ts settleOwnRange), never reading zeros.
 */
export function zstdFrameMatches(frame: Uint8Array, rawLength: number): boolean {
  const n = frame.length;
  if (n < 6 || frame[0] !== 0x28 || frame[1] !== 0xb5 || frame[2] !== 0x2f || frame[3] !== 0xfd) return false;
  const descriptor = frame[4]!;
  const sizeFlag = descriptor >> 6;
  const singleSegment = (descriptor & 0x20) !== 0;
  const checksum = (descriptor & 0x04) !== 0;
  // Reserved bit, and a dictionary id (this writer uses none).
  if ((descriptor & 0x08) !== 0 || (descriptor & 0x03) !== 0) return false;
  let at = 5 + (singleSegment ? 0 : 1);
  const sizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][sizeFlag]!;
  if (sizeBytes === 0 || at + sizeBytes > n) return false; // no content size: the writer always writes one
  let size = 0;
  for (let i = sizeBytes - 1; i >= 0; i--) size = size * 256 + frame[at + i]!;
  if (sizeBytes === 2) size += 256;
  if (size !== rawLength) return false;
  at += sizeBytes;
  for (;;) {
    if (at + 3 > n) return false;
    const block = frame[at]! | (frame[at + 1]! << 8) | (frame[at + 2]! << 16);
    const last = (block & 1) !== 0;
    const type = (block >> 1) & 3;
    const length = block >>> 3;
    if (type === 3 || length > 1 << 17) return false;
    at += 3 + (type === 1 ? 1 : length);
    if (last) break;
  }
  return at + (checksum ? 4 : 0) === n;
}
