// Format 4: a zstd body stored as several frames, so a restore may leave the
// large number columns compressed until they are first read (lazy frames).
// codec.ts splits a body when sealing; compression.ts and own-memory-decoder.ts
// decode the frames, own-memory-decoder.ts the lazy ones on first access.

/**
 * The frames of a body, as the header lists them: per frame its raw length,
 * stored length and whether a restore may decode it later (1) or must now (0),
 * flat. Frames follow each other in the body and in the stored bytes.
 */
export type FrameList = readonly number[];

/** One frame, placed: raw bytes [rawAt, rawAt + rawLength) of the body, stored bytes [storedAt, storedAt + storedLength). */
export interface Frame {
  readonly rawAt: number;
  readonly rawLength: number;
  readonly storedAt: number;
  readonly storedLength: number;
  readonly lazy: boolean;
}

/**
 * Lazy frames hold this many raw bytes (a region's last frame fewer): a
 * chunk's first read decodes only the frame holding its rows. Frames start
 * at multiples of this from the region's first value, and a region is a
 * column's values from row 0, so with 4096-row chunks (32 KiB of float64s,
 * 16 KiB of offsets) a chunk never straddles two frames. 16 MiB frames made
 * the first event after restoring a full window (it reads the head row to
 * expire it) decode nearly the whole column: restore + first event was slower
 * than format 3's whole decode. Smaller frames compress worse on data that
 * repeats from far back (see the commit that set this for figures).
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
 * Raw byte ranges [start, end) of `rawLength` as frames: each region (sorted,
 * disjoint) cut into lazy frames of LAZY_FRAME_BYTES from its start and a tail
 * frame from the last multiple of TAIL_BYTES before its end, the bytes between
 * regions as one eager frame each. Returns [start, end, lazy] triples.
 */
export function frameRanges(rawLength: number, regions: readonly (readonly [number, number])[]): [number, number, boolean][] {
  const out: [number, number, boolean][] = [];
  let at = 0;
  for (const [start, end] of regions) {
    if (start > at) out.push([at, start, false]);
    const tail = start + Math.floor((end - start - 1) / TAIL_BYTES) * TAIL_BYTES;
    for (let s = start; s < tail; s += LAZY_FRAME_BYTES) out.push([s, Math.min(tail, s + LAZY_FRAME_BYTES), true]);
    out.push([tail, end, true]);
    at = end;
  }
  if (at < rawLength || out.length === 0) out.push([at, rawLength, false]);
  return out;
}

/**
 * The frames of a header's list, checked against the body's raw and stored
 * lengths; undefined when the list does not describe them (the caller refuses
 * the file).
 */
export function placeFrames(list: FrameList, rawLength: number, storedLength: number): Frame[] | undefined {
  if (list.length === 0 || list.length % 3 !== 0) return undefined;
  const frames: Frame[] = [];
  let rawAt = 0;
  let storedAt = 0;
  for (let i = 0; i < list.length; i += 3) {
    const [raw, stored, lazy] = [list[i]!, list[i + 1]!, list[i + 2]!];
    if (!Number.isInteger(raw) || !Number.isInteger(stored) || raw < 0 || stored <= 0 || (lazy !== 0 && lazy !== 1)) return undefined;
    frames.push({ rawAt, rawLength: raw, storedAt, storedLength: stored, lazy: lazy === 1 });
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
 * decode finds wrong. The file's checksums cover them, so only a crafted file or a
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
