// Compression of checkpoint bodies: none, lz4, or zstd (WebAssembly, loaded on
// first use; until then fzstd decompresses). Used by codec.ts when sealing and decoding.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as lz4 from 'lz4js';
import { decompress as zstdDecompress } from 'fzstd';
import { assertNever, SiddhiError, SiddhiStateError } from '../errors.js';
import { CHAINED, EAGER, LAZY, MIN_PREFIX, startsLikeDictionary, type Frame, type FrameKind } from './body-frames.js';
import { refuse } from './checkpoint-frame.js';
import { ownBody } from './column-blob.js';
import { decodingForRestore } from './column-pool.js';
import { takeOwnBody } from './own-bodies.js';
import { DAMAGED, decodeFramesApart, decodeInOwnMemory, loadOwnMemoryDecoder, ownMemoryDecoderLoaded, ownMemoryForInput } from './own-memory-decoder.js';

/**
 * How checkpoint bodies are compressed.
 *
 * @example
 * manager.createSiddhiAppRuntime(appText, { checkpoint: { compression: 'lz4' } });
 */
export type Compression = 'none' | 'lz4' | 'zstd';

export const COMPRESSIONS: readonly Compression[] = ['none', 'lz4', 'zstd'];

let zstd: typeof import('@bokuweb/zstd-wasm') | undefined;
let zstdLoading: Promise<void> | undefined;

/** The WebAssembly module behind @bokuweb/zstd-wasm: decompressing into its memory saves copying the body out. */
interface ZstdModule {
  readonly HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _ZSTD_decompress(dst: number, dstCapacity: number, src: number, srcSize: number): number;
  _ZSTD_isError(code: number): number;
  _ZSTD_compressBound(size: number): number;
  _ZSTD_createCCtx(): number;
  _ZSTD_compress_usingDict(cctx: number, dst: number, dstCapacity: number, src: number, srcSize: number, dict: number, dictSize: number, level: number): number;
  _ZSTD_createDCtx(): number;
  _ZSTD_decompress_usingDict(dctx: number, dst: number, dstCapacity: number, src: number, srcSize: number, dict: number, dictSize: number): number;
}
let zstdModule: ZstdModule | undefined;

/**
 * The instance the package's own functions use (its exports map hides the
 * file, so it is required by path beside the entry point). Without it bodies
 * are decompressed through the public decompress(), one copy more.
 */
function loadZstdModule(): ZstdModule | undefined {
  try {
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@bokuweb/zstd-wasm');
    const m = (require(join(dirname(entry), 'module.js')) as { Module?: ZstdModule }).Module;
    const ok = m !== undefined && m.HEAPU8 instanceof Uint8Array &&
      [m._ZSTD_decompress, m._ZSTD_compressBound, m._ZSTD_createCCtx, m._ZSTD_compress_usingDict, m._ZSTD_createDCtx, m._ZSTD_decompress_usingDict].every((f) => typeof f === 'function');
    return ok ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Whether zstd compression is ready for synchronous use. */
export function zstdLoaded(): boolean {
  return zstd !== undefined;
}

/** Loads the zstd WebAssembly module; decompression works without it (fzstd), only slower. */
export function initZstd(): Promise<void> {
  zstdLoading ??= import('@bokuweb/zstd-wasm').then(async (m) => {
    await Promise.all([m.init(), loadOwnMemoryDecoder()]);
    zstdModule = loadZstdModule();
    zstd = m;
  });
  return zstdLoading;
}

/** Whether a body comes back with no decoder ('none') or through zstd's own (the WebAssembly build of the reference library), not a JavaScript port. */
export function decodesByReference(compression: Compression): boolean {
  return compression === 'none' || (compression === 'zstd' && zstd !== undefined);
}

/** zstd's level for checkpoint bodies. */
const LEVEL = 3;

export function compressBody(raw: Uint8Array, compression: Compression): Uint8Array {
  switch (compression) {
    case 'none':
      return raw;
    case 'lz4':
      return lz4.compress(raw);
    case 'zstd':
      if (!zstd) throw new SiddhiStateError("zstd compression is not loaded yet: await initZstd() first, or use 'none' or 'lz4'");
      return zstd.compress(raw, LEVEL);
    default:
      return assertNever(compression, 'compression');
  }
}

/** One compression context for every frame of every body (a context's tables cost a reset per use, not an allocation). */
let cctx = 0;

/**
 * Compresses `raw` as zstd frames, one per [start, end, kind] range (in order,
 * covering it): CHAINED ones with the raw bytes of the range before as their
 * prefix, except where those start like a dictionary (written LAZY instead).
 * One range at a time, through one source buffer (prefix and frame side by
 * side) and one output buffer in the encoder's memory, and one context for
 * all of them: a copy of the whole body there kept bodies of ~1 GiB from being
 * sealed at all, and the heap (which never shrinks) at twice the largest body.
 * Returns the frames' bytes back to back, each one's stored length and the
 * kinds written.
 */
export function compressFrames(raw: Uint8Array, ranges: readonly (readonly [number, number, FrameKind])[]): { stored: Uint8Array; lengths: number[]; kinds: FrameKind[] } {
  const m = zstdModule;
  if (m === undefined || !zstd) {
    const parts = ranges.map(([start, end]) => compressBody(raw.subarray(start, end), 'zstd'));
    return { stored: concat(parts), lengths: parts.map((p) => p.length), kinds: ranges.map(([, , k]) => (k === CHAINED ? LAZY : k)) };
  }
  if (cctx === 0) cctx = m._ZSTD_createCCtx();
  const chainedTo = (i: number): readonly [number, number, FrameKind] | undefined => {
    const prev = ranges[i - 1];
    return ranges[i]![2] === CHAINED && prev !== undefined && prev[2] !== EAGER && prev[1] - prev[0] >= MIN_PREFIX && !startsLikeDictionary(raw, prev[0]) ? prev : undefined;
  };
  let srcRoom = 1;
  let rangeMax = 0;
  ranges.forEach(([start, end], i) => {
    const prev = chainedTo(i);
    srcRoom = Math.max(srcRoom, end - start + (prev === undefined ? 0 : prev[1] - prev[0]));
    rangeMax = Math.max(rangeMax, end - start);
  });
  const dstRoom = m._ZSTD_compressBound(rangeMax);
  const src = m._malloc(srcRoom);
  const dst = m._malloc(Math.max(1, dstRoom));
  try {
    if (cctx === 0 || src === 0 || dst === 0) throw new SiddhiStateError(`a zstd frame of ${rangeMax} bytes does not fit the encoder's memory`);
    const parts: Uint8Array[] = [];
    const kinds: FrameKind[] = [];
    ranges.forEach(([start, end, kind], i) => {
      const prev = chainedTo(i);
      const prefix = prev === undefined ? 0 : prev[1] - prev[0];
      // The heap's view is taken again for each range: it may have grown (and been replaced) while compressing.
      if (prev !== undefined) m.HEAPU8.set(raw.subarray(prev[0], prev[1]), src);
      m.HEAPU8.set(raw.subarray(start, end), src + prefix);
      const n = m._ZSTD_compress_usingDict(cctx, dst, dstRoom, src + prefix, end - start, prefix === 0 ? 0 : src, prefix, LEVEL);
      if (m._ZSTD_isError(n)) throw new SiddhiStateError(`zstd could not compress a checkpoint frame (code ${n})`);
      parts.push(m.HEAPU8.slice(dst, dst + n));
      kinds.push(kind === CHAINED && prev === undefined ? LAZY : kind);
    });
    return { stored: concat(parts), lengths: parts.map((p) => p.length), kinds };
  } finally {
    if (dst !== 0) m._free(dst);
    if (src !== 0) m._free(src);
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Bodies from this size on are large: a restore's go to memory of its own, as a process's first does. */
const OWN_MEMORY_MIN = 1 << 20;
/** Large bodies decoded into memory of their own so far (see readBody). */
let ownMemoryBodies = 0;

/** Whether a body of this compression and length could be decoded into memory of its own. */
function isLargeZstd(header: { compression: Compression; rawLength: number }): boolean {
  return header.compression === 'zstd' && zstdModule !== undefined && header.rawLength >= OWN_MEMORY_MIN && ownMemoryDecoderLoaded();
}

/**
 * Memory to read a stored checkpoint of `length` bytes into, when it is the
 * process's first large zstd body: memory of its own, so the body is decoded
 * where it was read. Undefined otherwise: a later restore copies its input
 * into memory of its own that no reader sees, so taking that memory again
 * cannot change bytes a caller of FileStore.load still holds.
 */
export function inputMemoryFor(length: number, header: { compression: Compression; rawLength: number }): Uint8Array | undefined {
  return ownMemoryBodies === 0 && isLargeZstd(header) ? ownMemoryForInput(length, header.rawLength) : undefined;
}

/** The next large zstd body is decoded into memory of its own again, as a process's first is (tests). */
export function decodeNextInOwnMemory(): void {
  ownMemoryBodies = 0;
}

/**
 * Decompresses a stored body and hands it to `read`, which must copy whatever
 * it keeps, except the columns of a body in memory of its own. A large zstd
 * body decoded for a restore (and a process's first, whoever decodes it) goes
 * to memory of its own that nothing writes while a column views it (ownBody,
 * own-bodies.ts): the memory of an earlier one once nothing views that any
 * more (its app was shut down), else new memory; either way its columns need
 * not be copied (a 1M-event window's ~17 MB). Other bodies are read where the
 * shared WebAssembly decoder wrote them (one 16 MiB copy less per 1M-event
 * window) and that memory is reused afterwards. When memory of its own cannot
 * be had or its decoder fails, the body is decoded as a small one is: only
 * the body itself is ever a reason to refuse it. Refuses a body that does not
 * come back to `rawLength` bytes.
 */
export function readBody<T>(stored: Uint8Array, header: BodyShape, read: (raw: Uint8Array) => T): T {
  const m = zstdModule;
  if (header.compression !== 'zstd' || m === undefined) return read(decompressBody(stored, header));
  const restoring = decodingForRestore();
  if ((ownMemoryBodies === 0 || restoring) && isLargeZstd(header)) {
    ownMemoryBodies++;
    // Not decoded there (undefined: the instance failed, or zstd reported an error): decoded below as any other body,
    // which refuses it if it is damaged. Decoded there to another length, it is damaged.
    // Only a restore's decode takes memory again: the containers reading its columns claim them (own-bodies.ts).
    // A restore's lazy frames (formats 4 and 5) stay compressed until their columns are first read (own-memory-decoder.ts).
    const body = decodeInOwnMemory(stored, header.rawLength, restoring ? takeOwnBody : undefined, header.frames, restoring && header.lazy === true);
    if (body !== undefined) {
      if (body.length !== header.rawLength) refuse('decompressed body has the wrong length');
      ownBody(body);
      return read(body);
    }
  }
  if (header.frames !== undefined) return read(decompressBody(stored, header));
  const src = m._malloc(stored.length);
  const dst = m._malloc(Math.max(1, header.rawLength));
  try {
    if (src === 0 || dst === 0) refuse(`a zstd body of ${header.rawLength} bytes does not fit the decoder's memory`);
    m.HEAPU8.set(stored, src);
    const size = m._ZSTD_decompress(dst, header.rawLength, src, stored.length);
    if (m._ZSTD_isError(size)) refuse(`zstd body does not decompress (it is damaged or longer than its recorded ${header.rawLength} bytes)`);
    if (size !== header.rawLength) refuse('decompressed body has the wrong length');
    return read(m.HEAPU8.subarray(dst, dst + size));
  } finally {
    if (dst !== 0) m._free(dst);
    if (src !== 0) m._free(src);
  }
}

/** A stored body's compression and raw length, and (formats 4 and 5) its frames. */
export interface BodyShape {
  readonly compression: Compression;
  readonly rawLength: number;
  readonly frames?: readonly Frame[];
  /** Lazy frames may stay compressed until read: nothing reads the whole body first (its cells' checksums were checked when sealed). */
  readonly lazy?: boolean;
}

/** Decompresses a stored body; refuses it when it does not come back to `rawLength` bytes. */
export function decompressBody(stored: Uint8Array, header: BodyShape): Uint8Array {
  if (header.frames !== undefined) return decompressFrames(stored, header.compression, header.rawLength, header.frames);
  let raw: Uint8Array;
  try {
    switch (header.compression) {
      case 'none':
        raw = stored;
        break;
      case 'lz4':
        raw = lz4.decompress(stored, header.rawLength);
        break;
      case 'zstd':
        // The WebAssembly decoder is several times faster; fzstd needs no loading.
        raw = zstd ? zstd.decompress(stored) : zstdDecompress(stored);
        break;
      default:
        return assertNever(header.compression, 'compression');
    }
  } catch (e) {
    return refuse(`${header.compression} body does not decompress (${(e as Error).message})`);
  }
  if (raw.length !== header.rawLength) refuse('decompressed body has the wrong length');
  return raw;
}

/** Each frame decompressed into its place in one body. */
function decompressFrames(stored: Uint8Array, compression: Compression, rawLength: number, frames: readonly Frame[]): Uint8Array {
  // Only zstd's own decoder takes a prefix (placeFrames admits chained frames only after a lazy one, so only in zstd bodies).
  if (frames.some((f) => f.chained)) return decompressChained(stored, rawLength, frames);
  const raw = new Uint8Array(rawLength);
  for (const f of frames) {
    raw.set(decompressBody(stored.subarray(f.storedAt, f.storedAt + f.storedLength), { compression, rawLength: f.rawLength }), f.rawAt);
  }
  return raw;
}

const DOES_NOT_DECODE = 'zstd body does not decompress (a frame chained to the one before does not decode)';

/**
 * A body with chained frames (format 5) decoded whole: through the package's
 * own instance once initZstd() has loaded it, else in an instance of its own.
 * Refuses it when zstd reports an error. When neither decoder can be had (no
 * memory for one), throws an error that is not a SiddhiStateError: the body is
 * not known to be damaged, so a chain's restore must not skip it for an older
 * revision (chain.ts loadUsableChain).
 */
function decompressChained(stored: Uint8Array, rawLength: number, frames: readonly Frame[]): Uint8Array {
  const shared = zstdModule === undefined ? undefined : decodeChainedShared(zstdModule, stored, rawLength, frames);
  const raw = shared ?? decodeFramesApart(stored, rawLength, frames);
  if (raw === DAMAGED) return refuse(DOES_NOT_DECODE);
  if (raw !== undefined) return raw;
  throw new SiddhiError(`a zstd body of ${rawLength} bytes with chained frames could not be decoded: no zstd decoder could be had (not enough memory?)`, {
    code: 'STATE', hint: 'the checkpoint is not known to be damaged; retry with more memory',
  });
}

/** The package instance's context for frames with a prefix (0: none yet). */
let dctx = 0;

/**
 * Decodes `frames` one at a time in the package's own instance, each lazy one
 * into one of two buffers in turn, so a chained frame finds the frame before
 * it (its prefix) in the other, and copies each out: the heap holds two
 * frames, not the body. Undefined when its memory cannot be had.
 */
function decodeChainedShared(m: ZstdModule, stored: Uint8Array, rawLength: number, frames: readonly Frame[]): Uint8Array | typeof DAMAGED | undefined {
  const lazy = frames.filter((f) => f.lazy);
  const srcRoom = Math.max(1, ...lazy.map((f) => f.storedLength));
  const rawRoom = Math.max(1, ...lazy.map((f) => f.rawLength));
  if (dctx === 0) dctx = m._ZSTD_createDCtx();
  const src = m._malloc(srcRoom);
  const window = [m._malloc(rawRoom), m._malloc(rawRoom)] as const;
  try {
    if (dctx === 0 || src === 0 || window[0] === 0 || window[1] === 0) return undefined;
    const raw = new Uint8Array(rawLength);
    let before: Frame | undefined;
    let slot = 0;
    for (const f of frames) {
      if (!f.lazy) {
        raw.set(decompressBody(stored.subarray(f.storedAt, f.storedAt + f.storedLength), { compression: 'zstd', rawLength: f.rawLength }), f.rawAt);
        continue;
      }
      const dst = window[slot]!;
      const prefix = window[1 - slot]!;
      // The heap's view is taken again each time: creating the context may have grown (and replaced) it.
      m.HEAPU8.set(stored.subarray(f.storedAt, f.storedAt + f.storedLength), src);
      // placeFrames: a chained frame follows a lazy one, decoded just before into the other buffer.
      if (f.chained && (before!.rawLength < MIN_PREFIX || startsLikeDictionary(m.HEAPU8, prefix))) return DAMAGED;
      const size = f.chained
        ? m._ZSTD_decompress_usingDict(dctx, dst, f.rawLength, src, f.storedLength, prefix, before!.rawLength)
        : m._ZSTD_decompress(dst, f.rawLength, src, f.storedLength);
      if (m._ZSTD_isError(size) || size !== f.rawLength) return DAMAGED;
      raw.set(m.HEAPU8.subarray(dst, dst + size), f.rawAt);
      before = f;
      slot = 1 - slot;
    }
    return raw;
  } finally {
    for (const p of [src, ...window]) if (p !== 0) m._free(p);
  }
}
