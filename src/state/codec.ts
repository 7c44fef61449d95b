// The checkpoint envelope: captured cell states → self-checking bytes and back.
// The checkpoint manager packs at capture time and seals (compress + checksum)
// afterwards; stores read headers from here to follow delta chains.

import { crc32 } from 'node:zlib';
import { Packr } from 'msgpackr';
import * as lz4 from 'lz4js';
import { decompress as zstdDecompress } from 'fzstd';
import { SiddhiStateError } from '../errors.js';
import type { CaptureMode } from './cell.js';

/**
 * How checkpoint bodies are compressed.
 *
 * @example
 * manager.createSiddhiAppRuntime(appText, { checkpoint: { compression: 'lz4' } });
 */
export type Compression = 'none' | 'lz4' | 'zstd';

/** One cell's state as captured: `mode` says whether `state` replaces or patches. */
export interface CapturedCell {
  readonly id: string;
  readonly kind: string;
  readonly version: number;
  readonly mode: CaptureMode;
  readonly state: unknown;
}

/** Everything one capture produced, before encoding. */
export interface Captured {
  readonly revision: string;
  /** The revision this one follows; a delta patches its parent's state. */
  readonly parent: string | null;
  readonly mode: CaptureMode;
  readonly createdAt: number;
  readonly cells: readonly CapturedCell[];
  /** Per-stream accepted event counts, supplied by the runtime. */
  readonly inputs?: Record<string, number>;
  readonly meta?: unknown;
}

/**
 * The checked header of a checkpoint file.
 *
 * @example
 * const h = readCheckpointHeader(bytes);
 * console.log(h.appName, h.revision, h.parent ?? '(base)', h.compression);
 */
export interface CheckpointHeader {
  readonly appName: string;
  readonly fingerprint: string;
  readonly revision: string;
  readonly parent: string | null;
  readonly createdAt: number;
  readonly mode: CaptureMode;
  readonly codec: string;
  readonly compression: Compression;
  /** Body length before compression. */
  readonly rawLength: number;
  readonly cellCount: number;
  readonly inputs?: Record<string, number>;
  readonly meta?: unknown;
}

/**
 * A whole checkpoint, checked and decoded: header and per-cell states.
 *
 * @example
 * const { header, cells } = decodeCheckpoint(bytes);
 */
export interface DecodedCheckpoint {
  readonly header: CheckpointHeader;
  readonly cells: readonly CapturedCell[];
}

/** A capture whose cell states are already serialized: safe to seal later, elsewhere. */
export interface PackedCheckpoint {
  readonly header: Omit<CheckpointHeader, 'compression' | 'rawLength'>;
  readonly body: Uint8Array;
}

export const MAGIC = [0x53, 0x44, 0x43, 0x4b]; // 'SDCK'
export const FORMAT_VERSION = 1;
const CODEC = 'msgpackr';
const PREFIX = 12; // magic, format version, flags, header length
const MIN_LENGTH = PREFIX + 4 + 4 + 4 + 4;
const COMPRESSIONS: readonly Compression[] = ['none', 'lz4', 'zstd'];

// Records keep plain objects and Maps apart on decode (without them a Map
// comes back as an object); each pack carries its own record definitions.
const packr = new Packr({ useRecords: true, moreTypes: true });

/** Serializes every cell state in one go (snapshot(), tests). */
export function packCheckpoint(captured: Captured, app: { appName: string; fingerprint: string }): PackedCheckpoint {
  return assemble(captured, app, captured.cells.map(packCell));
}

/**
 * Serializes cell by cell, yielding to the event loop whenever a slice of
 * work took more than `sliceMs`, so events keep flowing while a large
 * checkpoint is encoded. Captured states are immutable, so later is safe.
 */
export async function packCheckpointAsync(
  captured: Captured,
  app: { appName: string; fingerprint: string },
  sliceMs = 4,
): Promise<PackedCheckpoint> {
  const rows: unknown[] = new Array(captured.cells.length);
  let sliceStart = performance.now();
  for (let i = 0; i < captured.cells.length; i++) {
    if (performance.now() - sliceStart > sliceMs) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    rows[i] = packCell(captured.cells[i]!);
  }
  return assemble(captured, app, rows);
}

/** A captured state as a restore would see it after a round trip through the codec (no shared references). */
export function copyState(state: unknown): unknown {
  return packr.unpack(packr.pack(state));
}

function packCell(c: CapturedCell): unknown {
  let bytes: Uint8Array;
  try {
    bytes = packr.pack(c.state);
  } catch (e) {
    throw new SiddhiStateError(`state of cell '${c.id}' (${c.kind}) cannot be serialized: ${(e as Error).message}`, { cell: c.id, cause: e });
  }
  return [c.id, c.kind, c.version, c.mode === 'full' ? 0 : 1, crc32(bytes), bytes];
}

function assemble(captured: Captured, app: { appName: string; fingerprint: string }, rows: unknown[]): PackedCheckpoint {
  const header: PackedCheckpoint['header'] = {
    appName: app.appName,
    fingerprint: app.fingerprint,
    revision: captured.revision,
    parent: captured.parent,
    createdAt: captured.createdAt,
    mode: captured.mode,
    codec: CODEC,
    cellCount: captured.cells.length,
    ...(captured.inputs !== undefined ? { inputs: captured.inputs } : {}),
    ...(captured.meta !== undefined ? { meta: captured.meta } : {}),
  };
  return { header, body: packr.pack(rows) };
}

/** Compresses and checksums. zstd works here only once `initZstd()` has resolved. */
export function sealCheckpoint(packed: PackedCheckpoint, compression: Compression = 'none'): Uint8Array {
  return frame(packed, compression, compressSync(packed.body, compression));
}

export async function sealCheckpointAsync(packed: PackedCheckpoint, compression: Compression = 'none'): Promise<Uint8Array> {
  if (compression === 'zstd') await initZstd();
  return sealCheckpoint(packed, compression);
}

let zstd: typeof import('@bokuweb/zstd-wasm') | undefined;
let zstdLoading: Promise<void> | undefined;

/** Whether zstd compression is ready for synchronous use. */
export function zstdLoaded(): boolean {
  return zstd !== undefined;
}

/** Loads the zstd compressor (WebAssembly); decompression needs no set-up. */
export function initZstd(): Promise<void> {
  zstdLoading ??= import('@bokuweb/zstd-wasm').then(async (m) => {
    await m.init();
    zstd = m;
  });
  return zstdLoading;
}

function compressSync(raw: Uint8Array, compression: Compression): Uint8Array {
  switch (compression) {
    case 'none':
      return raw;
    case 'lz4':
      return lz4.compress(raw);
    case 'zstd':
      if (!zstd) throw new SiddhiStateError("zstd compression is not loaded yet: await initZstd() first, or use 'none' or 'lz4'");
      return zstd.compress(raw, 3);
    default:
      return assertNever(compression);
  }
}

function frame(packed: PackedCheckpoint, compression: Compression, stored: Uint8Array): Uint8Array {
  const header = packr.pack({ ...packed.header, compression, rawLength: packed.body.length });
  const total = MIN_LENGTH + header.length + stored.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint16(4, FORMAT_VERSION);
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

/**
 * Reads and checks the header only; `bytes` may be just a prefix of the file
 * (stores use this to follow parents without reading bodies).
 *
 * @example
 * const { revision, parent, mode } = readCheckpointHeader(readFileSync(file));
 */
export function readCheckpointHeader(bytes: Uint8Array): CheckpointHeader {
  return readHeader(bytes).header;
}

/** Bytes needed to read the header, given at least the first 12 bytes. */
export function headerExtent(prefix: Uint8Array): number {
  if (prefix.length < PREFIX) return PREFIX;
  return PREFIX + new DataView(prefix.buffer, prefix.byteOffset, PREFIX).getUint32(8) + 4;
}

function readHeader(bytes: Uint8Array): { header: CheckpointHeader; end: number } {
  if (bytes.length < PREFIX) refuse(`${bytes.length} bytes is too short for a checkpoint`);
  for (let i = 0; i < 4; i++) if (bytes[i] !== MAGIC[i]) refuse("it is not a siddhi-ts checkpoint (no 'SDCK' magic)");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const version = view.getUint16(4);
  if (version !== FORMAT_VERSION) {
    refuse(version > FORMAT_VERSION
      ? `it was written in format ${version} by a newer siddhi-ts (this one reads format ${FORMAT_VERSION})`
      : `unknown format version ${version}`);
  }
  if (view.getUint16(6) !== 0) refuse('unknown format flags');
  const end = PREFIX + view.getUint32(8);
  if (end + 4 > bytes.length) refuse('it is truncated inside the header');
  if (view.getUint32(end) !== crc32(bytes.subarray(0, end))) refuse('header checksum mismatch');
  return { header: checkHeader(unpack(bytes.subarray(PREFIX, end), 'header')), end: end + 4 };
}

/**
 * Checks every byte, then decodes every cell state; throws SiddhiStateError on any damage.
 *
 * @example
 * for (const cell of decodeCheckpoint(runtime.snapshot()).cells) console.log(cell.id, cell.kind, cell.version);
 */
export function decodeCheckpoint(bytes: Uint8Array): DecodedCheckpoint {
  if (bytes.length < MIN_LENGTH) refuse(`${bytes.length} bytes is too short for a checkpoint`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const last = bytes.length - 4;
  // The whole-file checksum first: truncation and trailing bytes fail here too.
  if (view.getUint32(last) !== fileChecksum(bytes.subarray(0, last))) {
    readHeader(bytes); // a more precise reason when the header itself is damaged
    refuse('file checksum mismatch (damaged or truncated)');
  }
  const { header, end } = readHeader(bytes);
  if (end + 12 > bytes.length) refuse('it is truncated after the header');
  const storedLength = view.getUint32(end);
  const bodyEnd = end + 4 + storedLength;
  if (bodyEnd + 8 !== bytes.length) refuse('body length does not match the file length');
  const stored = bytes.subarray(end + 4, bodyEnd);
  if (view.getUint32(bodyEnd) !== crc32(stored)) refuse('body checksum mismatch');
  const raw = decompressBody(stored, header);
  const rows = unpack(raw, 'body');
  if (!Array.isArray(rows) || rows.length !== header.cellCount) refuse('cell table does not match the header');
  const cells: CapturedCell[] = rows.map((row) => decodeCell(row));
  return { header, cells };
}

function decompressBody(stored: Uint8Array, header: CheckpointHeader): Uint8Array {
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
        raw = zstdDecompress(stored);
        break;
      default:
        return assertNever(header.compression);
    }
  } catch (e) {
    return refuse(`${header.compression} body does not decompress (${(e as Error).message})`);
  }
  if (raw.length !== header.rawLength) refuse('decompressed body has the wrong length');
  return raw;
}

function decodeCell(row: unknown): CapturedCell {
  if (!Array.isArray(row) || row.length !== 6) return refuse('malformed cell entry');
  const [id, kind, version, mode, crc, bytes] = row as unknown[];
  if (typeof id !== 'string' || typeof kind !== 'string' || !Number.isInteger(version) || (mode !== 0 && mode !== 1) ||
    typeof crc !== 'number' || !(bytes instanceof Uint8Array)) {
    return refuse('malformed cell entry');
  }
  if (crc32(bytes) !== crc) refuse(`checksum mismatch in cell '${id}' (${kind})`);
  return { id, kind, version: version as number, mode: mode === 0 ? 'full' : 'delta', state: unpack(bytes, `cell '${id}'`) };
}

function checkHeader(h: unknown): CheckpointHeader {
  const o = h as Record<string, unknown> | null;
  const ok = o !== null && typeof o === 'object' &&
    typeof o.appName === 'string' && typeof o.fingerprint === 'string' && typeof o.revision === 'string' &&
    (o.parent === null || typeof o.parent === 'string') && typeof o.createdAt === 'number' &&
    (o.mode === 'full' || o.mode === 'delta') && COMPRESSIONS.includes(o.compression as Compression) &&
    Number.isInteger(o.rawLength) && Number.isInteger(o.cellCount) &&
    (o.inputs === undefined || (typeof o.inputs === 'object' && o.inputs !== null));
  if (!ok) refuse('malformed header');
  if (o!.codec !== CODEC) refuse(`unknown state codec '${String(o!.codec)}' (this one reads '${CODEC}')`);
  return o as unknown as CheckpointHeader;
}

function unpack(bytes: Uint8Array, what: string): unknown {
  try {
    return packr.unpack(bytes);
  } catch (e) {
    return refuse(`${what} does not decode (${(e as Error).message})`);
  }
}

function refuse(reason: string): never {
  throw new SiddhiStateError(`checkpoint refused: ${reason}`);
}

function assertNever(x: never): never {
  throw new SiddhiStateError(`unknown compression '${String(x)}'`);
}
