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
 * Lazy frames hold at most this many raw bytes: a chunk's first read decodes
 * the frames holding its rows. Smaller frames compress worse (a 1M-event
 * window's 3.5 MB: 8.1 MB in 1 MiB frames, 4.1 MB in 4 MiB, 3.5 MB whole, on
 * the bench's data, which repeats every 100k events).
 */
export const LAZY_FRAME_BYTES = 1 << 24;
/**
 * The last bytes of each region are a frame of their own: a restore reads a
 * window's last, partial chunk at once (it copies it into a chunk with room
 * to grow), and should not decode the whole column for it.
 */
export const TAIL_BYTES = 1 << 16;

/**
 * Raw byte ranges [start, end) of `rawLength` as frames: each region (sorted,
 * disjoint) cut into lazy frames of up to LAZY_FRAME_BYTES and its tail, the
 * bytes between them as one eager frame each. Returns [start, end, lazy] triples.
 */
export function frameRanges(rawLength: number, regions: readonly (readonly [number, number])[]): [number, number, boolean][] {
  const out: [number, number, boolean][] = [];
  let at = 0;
  for (const [start, end] of regions) {
    if (start > at) out.push([at, start, false]);
    const tail = end - start > 2 * TAIL_BYTES ? end - TAIL_BYTES : end;
    for (let s = start; s < tail; s += LAZY_FRAME_BYTES) out.push([s, Math.min(tail, s + LAZY_FRAME_BYTES), true]);
    if (tail < end) out.push([tail, end, true]);
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
