// The byte layout of a checkpoint file: magic, format version, a checksummed
// header, the stored (compressed) body with its checksum, a whole-file checksum.
// codec.ts frames packed checkpoints with it and checks files through it.

import { crc32 } from 'node:zlib';
import { SiddhiStateError } from '../errors.js';

export const MAGIC = [0x53, 0x44, 0x43, 0x4b]; // 'SDCK'
/**
 * The newest format written and read.
 * Format 2: a delta leaves out unchanged cells and lists dropped ones (restore-plan.ts reads both).
 * Format 3: large typed columns start 8-aligned in the body (padding in the cell table and in each large column
 * blob). Only a body with such padding is written as format 3 (codec.ts): one without it is format 2 byte for byte,
 * so a worker still on format 2 (a rolling upgrade) restores the small states of one already on 3.
 * Format 4: a format 3 body stored as several zstd frames listed in the header (body-frames.ts), the values of its
 * large number columns in frames of their own that a restore may decode on first access. Only a zstd body with such
 * columns is written as format 4 (codec.ts); others stay format 2 or 3.
 * Format 5: format 4 whose lazy frames after a column's first may be compressed with the frame before as their
 * prefix (body-frames.ts CHAINED). Only a body with such a frame is written as format 5; others stay 2, 3 or 4.
 */
export const FORMAT_VERSION = 5;
/** The format of a body in frames of which none is chained. */
export const LAZY_FORMAT = 4;
/** The first format with chained frames. */
export const CHAINED_FORMAT = 5;
/** The format of a body with padding, in one frame. */
export const PADDED_FORMAT = 3;
/** The format of a body without padding. */
export const UNPADDED_FORMAT = 2;
const OLDEST_READ = 1;
const PREFIX = 12; // magic, format version, flags, header length
export const MIN_LENGTH = PREFIX + 4 + 4 + 4 + 4;

/** Lays out a file from the encoded header and the stored body, whose format is `version` (4 only with a frame list in the header). */
export function frameCheckpoint(header: Uint8Array, stored: Uint8Array, version = PADDED_FORMAT): Uint8Array {
  const total = MIN_LENGTH + header.length + stored.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint16(4, version);
  view.setUint16(6, 0);
  view.setUint32(8, header.length);
  out.set(header, PREFIX);
  let at = PREFIX + header.length;
  view.setUint32(at, crc32(out.subarray(0, at)));
  view.setUint32(at + 4, stored.length);
  out.set(stored, at + 8);
  at += 8 + stored.length;
  view.setUint32(at, crc32(stored));
  view.setUint32(at + 4, fileChecksum(out.subarray(0, at + 4)));
  return out;
}

/**
 * The last four bytes: a crc32 of everything before them, continued over the
 * file length, so a file cut right after the header checksum (which is itself
 * a crc32 of everything before it) cannot pass for a whole one.
 */
function fileChecksum(before: Uint8Array): number {
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, before.length + 4);
  return crc32(length, crc32(before));
}

/** Whether the whole-file checksum holds (call with at least MIN_LENGTH bytes). */
export function fileChecksumHolds(bytes: Uint8Array): boolean {
  const last = bytes.length - 4;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(last) === fileChecksum(bytes.subarray(0, last));
}

/** Bytes needed to read the header, given at least the first 12 bytes. */
export function headerExtent(prefix: Uint8Array): number {
  if (prefix.length < PREFIX) return PREFIX;
  return PREFIX + new DataView(prefix.buffer, prefix.byteOffset, PREFIX).getUint32(8) + 4;
}

/** The checked, still encoded header, where the body part starts, and the file's format; `bytes` may be a prefix of the file. */
export function headerBytes(bytes: Uint8Array): { raw: Uint8Array; end: number; version: number } {
  if (bytes.length < PREFIX) refuse(`${bytes.length} bytes is too short for a checkpoint`);
  for (let i = 0; i < 4; i++) if (bytes[i] !== MAGIC[i]) refuse("it is not a siddhi-ts checkpoint (no 'SDCK' magic)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const version = view.getUint16(4);
  if (version < OLDEST_READ || version > FORMAT_VERSION) {
    refuse(version > FORMAT_VERSION
      ? `it was written in format ${version} by a newer siddhi-ts (this one reads format ${FORMAT_VERSION})`
      : `unknown format version ${version}`);
  }
  if (view.getUint16(6) !== 0) refuse('unknown format flags');
  const end = PREFIX + view.getUint32(8);
  if (end + 4 > bytes.length) refuse('it is truncated inside the header');
  if (view.getUint32(end) !== crc32(bytes.subarray(0, end))) refuse('header checksum mismatch');
  return { raw: bytes.subarray(PREFIX, end), end: end + 4, version };
}

/**
 * The stored body after the header ending at `end`, its length checked. Its
 * own checksum is not: the caller has checked the whole-file checksum, which
 * covers these bytes too (a second pass over them finds nothing new).
 */
export function storedBody(bytes: Uint8Array, end: number): Uint8Array {
  if (end + 12 > bytes.length) refuse('it is truncated after the header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const storedLength = view.getUint32(end);
  const bodyEnd = end + 4 + storedLength;
  if (bodyEnd + 8 !== bytes.length) refuse('body length does not match the file length');
  const stored = bytes.subarray(end + 4, bodyEnd);
  return stored;
}

export function refuse(reason: string): never {
  throw new SiddhiStateError(`checkpoint refused: ${reason}`);
}
