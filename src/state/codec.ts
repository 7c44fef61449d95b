// The checkpoint envelope: captured cell states → self-checking bytes and back.
// The checkpoint manager packs at capture time and seals (compress + checksum)
// afterwards; stores read headers from here. Byte layout: checkpoint-frame.ts.

import { crc32 } from 'node:zlib';
import { Packr, Unpackr } from 'msgpackr';
import { SiddhiStateError } from '../errors.js';
import { signatureText, type CaptureMode, type CellSignature } from './cell.js';
import { LARGE_BODY, takeBody } from './body-pool.js';
import { packCellTable, padsAny, type CellRow } from './cell-table.js';
// Registers the msgpack extension of large typed columns, so any checkpoint holding them decodes.
import './column-blob.js';
import { CHAINED_FORMAT, fileChecksumHolds, frameCheckpoint, headerBytes, LAZY_FORMAT, MIN_LENGTH, PADDED_FORMAT, refuse, storedBody, UNPADDED_FORMAT } from './checkpoint-frame.js';
import { CHAINED, frameRanges, placeFrames, zstdFrameMatches, type Frame, type FrameList } from './body-frames.js';
import { numberColumnRanges } from './column-blob.js';
import { COMPRESSIONS, compressBody, compressFrames, decodesByReference, initZstd, inputMemoryFor, readBody, type Compression } from './compression.js';
import { lazyFramesInColumns } from './own-memory-decoder.js';

export { FORMAT_VERSION, headerExtent, MAGIC } from './checkpoint-frame.js';
export { initZstd, zstdLoaded, type Compression } from './compression.js';

/** One cell's state as captured: `mode` says whether `state` replaces or patches. */
export interface CapturedCell {
  readonly id: string;
  readonly kind: string;
  readonly version: number;
  readonly mode: CaptureMode;
  readonly state: unknown;
  /** What the cell's state means (operator parameters, schema…), when its planner said; see StateCell registration. */
  readonly signature?: string;
}

/**
 * A cell as a capture takes it: its signature may still be the function that
 * computes it (a hash of the app's parts, made when first asked for), so the
 * pause of a process's first capture does not pay for hashing; packing asks.
 */
export interface TakenCell extends Omit<CapturedCell, 'signature'> {
  readonly signature?: CellSignature;
}

/** Everything one capture produced, before encoding. */
export interface Captured {
  readonly revision: string;
  /** The revision this one follows; a delta patches its parent's state. */
  readonly parent: string | null;
  readonly mode: CaptureMode;
  readonly createdAt: number;
  readonly cells: readonly TakenCell[];
  /** A delta's cells unregistered since its parent; the cells it leaves out are unchanged. */
  readonly dropped?: readonly string[];
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
  /**
   * Deltas of format 2: cells gone since the parent; cells the delta does not
   * list keep their earlier state. Without it (format 1) a delta lists every live cell.
   */
  readonly dropped?: readonly string[];
  readonly inputs?: Record<string, number>;
  readonly meta?: unknown;
  /**
   * The writer checked every cell's bytes against its checksum in the body it
   * compressed (sealCheckpoint); files written before it leave it out.
   */
  readonly cellsChecked?: true;
  /** Formats 4 and 5: the body's frames (body-frames.ts FrameList). */
  readonly frames?: FrameList;
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
  /** Serialized bytes of each cell's state, for runtime.metrics(). */
  readonly cellBytes: readonly (readonly [id: string, bytes: number])[];
  /** The file format the body is in: 3 when it holds padding that aligns large columns, else 2 (checkpoint-frame.ts). */
  readonly format: number;
  /** crc32 of a body of its own memory when assembled, its cells checked then: sealing it unchanged need not read it back. */
  readonly bodyCrc?: number;
}

const CODEC = 'msgpackr';
// Records keep plain objects and Maps apart on decode (without them a Map
// comes back as an object); each pack carries its own record definitions.
const packr = new Packr({ useRecords: true, moreTypes: true });
// Cell states are read out of a body that may be reused (readBody) or be the
// caller's bytes: binary values are copied so no state aliases either.
const stateReader = new Unpackr({ useRecords: true, moreTypes: true, copyBuffers: true });

/** Serializes every cell state in one go (snapshot(), tests). */
export function packCheckpoint(captured: Captured, app: { appName: string; fingerprint: string }): PackedCheckpoint {
  const holder = {};
  try {
    return assemble(captured, app, captured.cells.map((c) => packCell(c, holder)));
  } finally {
    returnPool(holder);
  }
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
  const rows: CellRow[] = new Array(captured.cells.length);
  const holder = {};
  try {
    let sliceStart = performance.now();
    for (let i = 0; i < captured.cells.length; i++) {
      if (performance.now() - sliceStart > sliceMs) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
      rows[i] = packCell(captured.cells[i]!, holder);
    }
    return assemble(captured, app, rows);
  } finally {
    returnPool(holder);
  }
}

/** States from this size on are large: msgpackr's pool is replaced after one, and its cell may pack into `pool` next time. */
const LARGE = 1 << 20;
/** The last packed size of each cell whose state was large. */
const largeSizes = new Map<string, number>();
/**
 * Where a large state is packed, kept from one checkpoint to the next
 * (~1.1 times the largest state): a fresh buffer costs a page fault per
 * 4 KiB written (~4,000 for a 1M-event window) and msgpackr's growth copies
 * what it packed so far. One pack at a time holds it, from its large state
 * until its body is assembled (the rows view it); others pack as before.
 */
let pool: Buffer | undefined;
let poolHolder: object | undefined;

function lendPool(id: string, holder: object): boolean {
  const expected = largeSizes.get(id);
  if (expected === undefined || poolHolder !== undefined) return false;
  const size = Math.ceil(expected * 1.125) + 65536;
  if (pool === undefined || pool.length < expected) pool = Buffer.allocUnsafeSlow(size);
  poolHolder = holder;
  packr.useBuffer(pool);
  return true;
}

function returnPool(holder: object): void {
  if (poolHolder === holder) poolHolder = undefined;
}

/** A captured state as a restore would see it after a round trip through the codec (no shared references). */
export function copyState(state: unknown): unknown {
  return packr.unpack(packr.pack(state));
}

/** The first half of copyState: the packed bytes (its own copy), for unpackState later. */
export function packState(state: unknown): Uint8Array {
  return new Uint8Array(packr.pack(state));
}

/** The second half of copyState: a new copy of the state each call (binary values copied too: they do not alias `bytes`). */
export function unpackState(bytes: Uint8Array): unknown {
  return stateReader.unpack(bytes);
}

function packCell(c: TakenCell, holder: object): CellRow {
  let bytes: Uint8Array;
  const lent = lendPool(c.id, holder);
  try {
    bytes = packr.pack(c.state);
  } catch (e) {
    throw new SiddhiStateError(`state of cell '${c.id}' (${c.kind}) cannot be serialized: ${(e as Error).message}`, { cell: c.id, cause: e });
  } finally {
    // Later packs go elsewhere: msgpackr would go on packing into a large state's buffer (and its next growth copies the unused tail),
    // and nothing but this state may be in `pool` when the next holder starts over at its beginning.
    if (lent) packr.useBuffer(Buffer.allocUnsafeSlow(8192));
  }
  if (bytes.length >= LARGE) {
    largeSizes.set(c.id, bytes.length);
    if (!lent) packr.useBuffer(Buffer.allocUnsafeSlow(8192));
  } else largeSizes.delete(c.id);
  const row = [c.id, c.kind, c.version, c.mode === 'full' ? 0 : 1, crc32(bytes), bytes];
  // Checkpoints written before signatures have 6-element rows; both decode.
  if (c.signature !== undefined) row.push(signatureText(c.signature));
  return row;
}

function assemble(captured: Captured, app: { appName: string; fingerprint: string }, rows: readonly CellRow[]): PackedCheckpoint {
  const header: PackedCheckpoint['header'] = {
    appName: app.appName,
    fingerprint: app.fingerprint,
    revision: captured.revision,
    parent: captured.parent,
    createdAt: captured.createdAt,
    mode: captured.mode,
    codec: CODEC,
    cellCount: captured.cells.length,
    ...(captured.dropped !== undefined ? { dropped: captured.dropped } : {}),
    ...(captured.inputs !== undefined ? { inputs: captured.inputs } : {}),
    ...(captured.meta !== undefined ? { meta: captured.meta } : {}),
  };
  const cellBytes = rows.map((r) => [r[0] as string, (r[5] as Uint8Array).length] as const);
  // A state packed into a reused buffer must still be what was packed when the body copies it (see lendPool);
  // sealing checks the body of a table this small (checkAssembled), so only larger ones are checked here.
  const checkedNow = !checkedWhenSealed(rows.length);
  if (checkedNow) checkCells(rows, 'while its checkpoint was packed');
  // Column blobs are padded only inside states large enough for their rows to be padded too (column-blob.ts).
  const format = padsAny(rows) ? PADDED_FORMAT : UNPADDED_FORMAT;
  const body = packCellTable(rows, (v) => packr.pack(v), takeBody, true);
  if (checkedNow || body.length >= LARGE_BODY) return { header, body, cellBytes, format };
  // A small body is in memory of its own (takeBody): its states, checked once copied, stay as packed while its crc holds,
  // so sealing compares one crc instead of reading the table back (checkAssembled).
  checkCells(rows, 'while its checkpoint was packed');
  return { header, body, cellBytes, format, bodyCrc: crc32(body) };
}

/** The parent of each file sealed here (null for a full one) and its header's checksum, for stores' parentOf. */
const sealedParents = new WeakMap<Uint8Array, { parent: string | null; headerCrc: number }>();

/** Remembers the parent `header` gives the sealed `bytes` (sealer.ts notes the worker's files). */
export function noteSealed(bytes: Uint8Array, header: PackedCheckpoint['header']): Uint8Array {
  // Just framed: the header's checksum is its frame's last 4 bytes (checkpoint-frame.ts), as sealedParent reads it.
  const { end } = headerBytes(bytes);
  sealedParents.set(bytes, { parent: header.mode === 'delta' ? header.parent : null, headerCrc: new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(end - 4) });
  return bytes;
}

/**
 * The parent of a file sealed here, without decoding its header: its header
 * still checks and has the checksum it was sealed with (else undefined).
 */
export function sealedParent(bytes: Uint8Array): string | null | undefined {
  const known = sealedParents.get(bytes);
  if (known === undefined) return undefined;
  try {
    const { end } = headerBytes(bytes);
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(end - 4) === known.headerCrc ? known.parent : undefined;
  } catch {
    return undefined;
  }
}

/** Checks the body's cells, compresses and checksums. zstd works here only once `initZstd()` has resolved. */
export function sealCheckpoint(packed: PackedCheckpoint, compression: Compression = 'none'): Uint8Array {
  return noteSealed(sealFramed(packed, compression), packed.header);
}

function sealFramed(packed: PackedCheckpoint, compression: Compression): Uint8Array {
  // Reading a table of many small cells back costs more than their restore saves (~5 µs a cell).
  const check = checkedWhenSealed(packed.header.cellCount);
  if (check && (packed.bodyCrc === undefined || crc32(packed.body) !== packed.bodyCrc)) checkAssembled(packed.body);
  const lazy = compression === 'zstd' && packed.format === PADDED_FORMAT ? lazyRanges(packed.body) : [];
  const header = { ...packed.header, compression, rawLength: packed.body.length, ...(check ? { cellsChecked: true } : {}) };
  if (lazy.length === 0) return frameCheckpoint(packr.pack(header), compressBody(packed.body, compression), packed.format);
  // Formats 4 and 5: the large number columns' values in frames of their own (body-frames.ts).
  const ranges = frameRanges(packed.body.length, lazy);
  const { stored, lengths, kinds } = compressFrames(packed.body, ranges);
  const frames = ranges.flatMap(([start, end], i) => [end - start, lengths[i]!, kinds[i]!]);
  return frameCheckpoint(packr.pack({ ...header, frames }), stored, kinds.includes(CHAINED) ? CHAINED_FORMAT : LAZY_FORMAT);
}

/** Bodies from this size on may have lazy frames (smaller ones are not decoded into memory of their own: compression.ts). */
const LAZY_BODY_MIN = 1 << 20;

/** Where the values of the large number columns of a body's large states are, sorted (column-blob.ts numberColumnRanges). */
function lazyRanges(body: Uint8Array): [number, number][] {
  if (body.length < LAZY_BODY_MIN) return [];
  const out: [number, number][] = [];
  for (const row of cellRows(packr.unpack(body) as unknown[])) {
    const bytes = row[5];
    if (bytes instanceof Uint8Array && bytes.length >= LAZY_BODY_MIN / 4 && bytes.buffer === body.buffer) out.push(...numberColumnRanges(bytes, body));
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Bodies of up to this many cells are checked when sealed (a large window's state is one cell). */
export const CHECKED_MAX_CELLS = 1024;

function checkedWhenSealed(cellCount: number): boolean {
  return cellCount <= CHECKED_MAX_CELLS;
}

/** Each cell's state still has the checksum taken when it was packed. */
function checkCells(rows: readonly CellRow[], when: string): void {
  for (const r of rows) {
    if (crc32(r[5] as Uint8Array) !== r[4]) throw new SiddhiStateError(`state of cell '${String(r[0])}' changed ${when}`, { cell: String(r[0]) });
  }
}

/**
 * Every state in the body about to be compressed is still the one packed (its
 * checksum holds): a body assembled in a reused buffer that something wrote
 * meanwhile is not sealed. The file says so (`cellsChecked`), and a restore
 * that gets these bytes back exactly need not checksum each state again (a
 * 16 MB pass per 1M-event window).
 */
function checkAssembled(body: Uint8Array): void {
  let rows: CellRow[];
  try {
    rows = cellRows(packr.unpack(body) as unknown[]);
  } catch (e) {
    throw new SiddhiStateError(`a checkpoint body does not decode after it was assembled; not sealed (${(e as Error).message})`);
  }
  checkCells(rows, 'after its checkpoint body was assembled; not sealed');
}

/** The rows of a format-3 cell table, without the padding before large ones (cell-table.ts). */
function cellRows(table: readonly unknown[]): CellRow[] {
  return table.filter((r): r is CellRow => !(r instanceof Uint8Array && r.length < 8 && r.every((b) => b === 0)));
}

export async function sealCheckpointAsync(packed: PackedCheckpoint, compression: Compression = 'none'): Promise<Uint8Array> {
  if (compression === 'zstd') await initZstd();
  return sealCheckpoint(packed, compression);
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

function readHeader(bytes: Uint8Array): { header: CheckpointHeader; end: number; version: number } {
  const { raw, end, version } = headerBytes(bytes);
  return { header: checkHeader(unpack(raw, 'header')), end, version };
}

/**
 * Where to read a checkpoint file of `length` bytes that starts with `head`
 * (at least its header): memory its body is then decoded in without a copy
 * (see inputMemoryFor), or else a buffer of its own. A damaged header gets the
 * latter (decodeCheckpoint says what is wrong).
 */
export function checkpointReadBuffer(length: number, head: Uint8Array, reuse?: ReadBufferLease): Uint8Array {
  let header: CheckpointHeader | undefined;
  try {
    header = readHeader(head).header;
  } catch {
    header = undefined;
  }
  // Not zeroed first: the reader fills every byte it returns.
  return (header && inputMemoryFor(length, header)) ?? reuse?.take(length) ?? new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
}

/** Memory a store reuses for the files it reads (file-store.ts loadAndUse): `take` gives `length` bytes of it, or undefined. */
export interface ReadBufferLease {
  take(length: number): Uint8Array | undefined;
  release(): void;
}

/**
 * Checks every byte, then decodes every cell state; throws SiddhiStateError on
 * any damage, and on nothing else (a decoder that fails for reasons of its own
 * hands the body to another: compression.ts readBody). The states own their
 * data, except the large columns of a large zstd body decoded into memory of
 * its own (a process's first, and any decoded for a restore), which view that
 * memory and keep all of it (column-blob.ts ownBody); it is decoded into again
 * only once nothing can read them any more (own-bodies.ts). `accept` sees the
 * checked header before the body is decoded, and may throw to refuse it.
 *
 * @example
 * for (const cell of decodeCheckpoint(runtime.snapshot()).cells) console.log(cell.id, cell.kind, cell.version);
 */
export function decodeCheckpoint(bytes: Uint8Array, accept?: (header: CheckpointHeader) => void): DecodedCheckpoint {
  if (bytes.length < MIN_LENGTH) refuse(`${bytes.length} bytes is too short for a checkpoint`);
  // The whole-file checksum first: truncation and trailing bytes fail here too.
  if (!fileChecksumHolds(bytes)) {
    readHeader(bytes); // a more precise reason when the header itself is damaged
    refuse('file checksum mismatch (damaged or truncated)');
  }
  const { header, end, version } = readHeader(bytes);
  accept?.(header);
  const stored = storedBody(bytes, end);
  if ((version >= 4) !== (header.frames !== undefined)) refuse(`a format ${version} header ${version >= 4 ? 'without' : 'with'} a frame list`);
  const frames = header.frames === undefined ? undefined : placeFrames(header.frames, header.rawLength, stored.length, version >= CHAINED_FORMAT);
  if (header.frames !== undefined && frames === undefined) refuse('the frame list does not match the body');
  if (frames !== undefined) checkLazyFrames(stored, frames, header.compression);
  // Checked by the writer in the body it compressed, which comes back byte for byte when stored as is or
  // through the reference zstd decoder; other decoders' output, and older writers' cells, are checked here.
  const checked = header.cellsChecked === true && decodesByReference(header.compression);
  const cells = readBody(stored, { compression: header.compression, rawLength: header.rawLength, ...(frames ? { frames, lazy: checked } : {}) }, (raw) => {
    // The rows' cell bytes are views of `raw`; decodeCell copies out what it keeps (or views a body of its own: column-blob.ts).
    const table = unpack(raw, 'body');
    const rows = Array.isArray(table) && version >= 3 ? cellRows(table) : table;
    if (!Array.isArray(rows) || rows.length !== header.cellCount) refuse('cell table does not match the header');
    const cells = rows.map((row) => decodeCell(row, checked));
    // Lazy frames left compressed must hold nothing but number columns' values, which are read only through
    // their chunks (each decodes its frames first): any other byte of one was read above as whatever its
    // memory held. Refused here, before anything is applied.
    if (frames !== undefined && !lazyFramesInColumns(raw.buffer)) refuse('a lazy frame holds more than the values of number columns');
    return cells;
  });
  return { header, cells };
}

/**
 * Each lazy frame's zstd header against the frame list (body-frames.ts zstdFrameMatches): one that does not
 * match would be found only when a chunk first reads it, long after the restore was accepted.
 */
function checkLazyFrames(stored: Uint8Array, frames: readonly Frame[], compression: Compression): void {
  for (const f of frames) {
    if (!f.lazy) continue;
    if (compression !== 'zstd') refuse(`a lazy frame in a ${compression} body`);
    if (!zstdFrameMatches(stored.subarray(f.storedAt, f.storedAt + f.storedLength), f.rawLength)) {
      refuse(`a lazy frame's zstd header does not match the frame list (at ${f.storedAt}, ${f.storedLength} bytes to ${f.rawLength})`);
    }
  }
}

function decodeCell(row: unknown, checked: boolean): CapturedCell {
  if (!Array.isArray(row) || (row.length !== 6 && row.length !== 7)) return refuse('malformed cell entry');
  const [id, kind, version, mode, crc, bytes, signature] = row as unknown[];
  if (typeof id !== 'string' || typeof kind !== 'string' || !Number.isInteger(version) || (mode !== 0 && mode !== 1) ||
    typeof crc !== 'number' || !(bytes instanceof Uint8Array) || (row.length === 7 && typeof signature !== 'string')) {
    return refuse('malformed cell entry');
  }
  // The file's checksums cover the bytes since sealing; this one covers each state from its packing,
  // before the body was assembled (possibly in a reused buffer) and sealed (a few ms for 16 MB).
  if (!checked && crc32(bytes) !== crc) refuse(`checksum mismatch in cell '${id}' (${kind})`);
  const state = unpack(bytes, `cell '${id}'`, stateReader);
  return {
    id, kind, version: version as number, mode: mode === 0 ? 'full' : 'delta', state,
    ...(typeof signature === 'string' ? { signature } : {}),
  };
}

function checkHeader(h: unknown): CheckpointHeader {
  const o = h as Record<string, unknown> | null;
  const ok = o !== null && typeof o === 'object' &&
    typeof o.appName === 'string' && typeof o.fingerprint === 'string' && typeof o.revision === 'string' &&
    (o.parent === null || typeof o.parent === 'string') && typeof o.createdAt === 'number' &&
    (o.mode === 'full' || o.mode === 'delta') && COMPRESSIONS.includes(o.compression as Compression) &&
    Number.isInteger(o.rawLength) && Number.isInteger(o.cellCount) &&
    (o.inputs === undefined || (typeof o.inputs === 'object' && o.inputs !== null)) &&
    (o.dropped === undefined || (o.mode === 'delta' && Array.isArray(o.dropped) && o.dropped.every((d) => typeof d === 'string'))) &&
    (o.cellsChecked === undefined || o.cellsChecked === true) &&
    (o.frames === undefined || (Array.isArray(o.frames) && o.frames.every((f) => typeof f === 'number')));
  if (!ok) refuse('malformed header');
  if (o!.codec !== CODEC) refuse(`unknown state codec '${String(o!.codec)}' (this one reads '${CODEC}')`);
  return o as unknown as CheckpointHeader;
}

function unpack(bytes: Uint8Array, what: string, reader: Unpackr = packr): unknown {
  try {
    return reader.unpack(bytes);
  } catch (e) {
    return refuse(`${what} does not decode (${(e as Error).message})`);
  }
}
