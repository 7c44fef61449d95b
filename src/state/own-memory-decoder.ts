// zstd decoding into WebAssembly memory of its own: other instances of the
// zstd-wasm package's module, each decoding one large body at a time, so the
// body stays put and restored columns may view it instead of copying it
// (column-blob.ts) until nothing does (own-bodies.ts), when the next large
// body may be decoded there. Used by compression.ts.

import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SiddhiStateError } from '../errors.js';
import { MIN_PREFIX, startsLikeDictionary, type Frame } from './body-frames.js';

/** What an instance needs of the package's module; the names are those its build gave the exports (read from its glue). */
interface Names {
  readonly memory: string;
  readonly init: string;
  readonly malloc: string;
  readonly decompress: string;
  readonly decompressWithPrefix: string;
  readonly createDCtx: string;
  readonly isError: string;
  readonly resizeHeap: string;
}

/** The parts of the WebAssembly API used here (this project's TypeScript libraries do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface Wasm {
  compile(bytes: Uint8Array): Promise<object>;
  Module: { new (bytes: Uint8Array): object; imports(module: object): { module: string; name: string }[] };
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

let loaded: { module: object; names: Names } | undefined;
let loading: Promise<void> | undefined;

function packageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@bokuweb/zstd-wasm'));
}

/** Compiles the package's module for instances of our own; without its glue's names (another build) there are none. */
export function loadOwnMemoryDecoder(): Promise<void> {
  loading ??= (async () => {
    try {
      const dir = packageDir();
      const names = namesIn(await readFile(join(dir, 'zstd.js'), 'utf8'));
      if (names !== undefined && loaded === undefined) loaded = { module: await wasm.compile(await readFile(join(dir, 'zstd.wasm'))), names };
      if (loaded !== undefined) warmUp();
    } catch {
      loaded = undefined;
    }
  })();
  return loading;
}

/**
 * Whether the module is compiled, compiling it now (synchronously) if not: a
 * chained frame (format 5) decodes only through it, also before initZstd().
 */
function loadNow(): boolean {
  if (loaded !== undefined) return true;
  try {
    const dir = packageDir();
    const names = namesIn(readFileSync(join(dir, 'zstd.js'), 'utf8'));
    if (names !== undefined) loaded = { module: new wasm.Module(readFileSync(join(dir, 'zstd.wasm'))), names };
  } catch {
    loaded = undefined;
  }
  return loaded !== undefined;
}

/**
 * 1 KiB of float64s, zstd level 3 (Huffman-coded literals and sequences): decoded
 * once when the module is loaded. V8 compiles a module's functions on their
 * first call; without this a process's first restore compiled the decoder
 * in the middle of it (4-27 ms measured).
 */
const WARM_FRAME = 'KLUv/WAAA+0HADKKHhzAJR2/61dfL9VryJaS7L3J3k0Ssgnhi796fSUFZ8ypJg43+6kPVh84tXU91OZJLzZHl5t2NYRZM35OizsbXHe41csOE5wkxBXSPxrb1nmsl7FyA7T+FOOyuLZwWfAgw+RAFYTDahF+YEJGFhXDiafRAcwKaj8M/P8DfqigzLcDYJMkcQMQEAFZvHaLapetHe5nbV5r28ByfG08YXll91gj61yEmTbvLfoNk9c1wOQpsVWRCMsYlD8C75J2IUZn3j3v7Vy1ieXQXtntl4UVRri8MM26sy/GfvRHz1LnQK+S4YfMc3hD3uHddAVxWHSyva70zjzBaliAmgI=';

function warmUp(): void {
  const frame = Buffer.from(WARM_FRAME, 'base64');
  const p = prepare(frame.length, 1024, false);
  if (p === undefined) return;
  new Uint8Array(p.memory.buffer).set(frame, p.src);
  decodeFrame(p, p.dst, 1024, p.src, frame.length);
}

function namesIn(glue: string): Names | undefined {
  const exported = (what: string) => new RegExp(`${what} = wasmExports\\['(\\w+)'\\]`).exec(glue)?.[1];
  const memory = exported('wasmMemory');
  const init = /addOnInit\(wasmExports\['(\w+)'\]\)/.exec(glue)?.[1];
  const malloc = exported("Module\\['_malloc'\\]");
  const decompress = exported("Module\\['_ZSTD_decompress'\\]");
  const decompressWithPrefix = exported("Module\\['_ZSTD_decompress_usingDict'\\]");
  const createDCtx = exported("Module\\['_ZSTD_createDCtx'\\]");
  const isError = exported("Module\\['_ZSTD_isError'\\]");
  const resizeHeap = /(\w+): _emscripten_resize_heap/.exec(glue)?.[1];
  if (!memory || !init || !malloc || !decompress || !decompressWithPrefix || !createDCtx || !isError || !resizeHeap) return undefined;
  return { memory, init, malloc, decompress, decompressWithPrefix, createDCtx, isError, resizeHeap };
}

/** Whether decodeInOwnMemory can run. */
export function ownMemoryDecoderLoaded(): boolean {
  return loaded !== undefined;
}

/**
 * An instance whose memory never grows after it is made: views of it stay
 * valid. It has room for a body of up to `dstRoom` bytes and input of up to
 * `srcRoom` copied in, and, when a file was read into it (ownMemoryForInput),
 * that file's region, which is handed to the reader and never written again.
 */
interface Prepared {
  readonly memory: WasmMemory;
  readonly exports: Record<string, unknown>;
  readonly src: number;
  readonly srcRoom: number;
  readonly dst: number;
  readonly dstRoom: number;
  readonly read?: { readonly at: number; readonly length: number };
  /** The decoding context of chained frames, made on first use (0: none yet). */
  dctx: number;
}

/** Room for `n` bytes and some more, so a state growing a little still fits the instance next time. */
function addHeadroom(n: number): number {
  return Math.max(1, n + (n >> 3));
}

/**
 * A new instance for `inputLength` bytes of input and `rawLength` of output
 * (`read`: plus a region the input is read into); undefined when one cannot be
 * had (no memory that large, an allocation or an import failing: anything
 * thrown), so the caller decodes as it otherwise would.
 */
function prepare(inputLength: number, rawLength: number, read: boolean): Prepared | undefined {
  try {
    return prepareOrThrow(inputLength, rawLength, read);
  } catch {
    return undefined;
  }
}

function prepareOrThrow(inputLength: number, rawLength: number, read: boolean): Prepared | undefined {
  const { module, names } = loaded!;
  let memory: WasmMemory | undefined;
  // Set once the memory is grown for good: after that it never grows, so no view of it is ever detached.
  let fixed = false;
  const fail = (): never => {
    throw new Error('zstd instance aborted');
  };
  const imports: Record<string, Record<string, unknown>> = {};
  for (const i of wasm.Module.imports(module)) (imports[i.module] ??= {})[i.name] = i.name === names.resizeHeap ? grow : fail;
  function grow(size: number): number {
    if (fixed) return 0;
    const have = memory!.buffer.byteLength;
    try {
      memory!.grow(Math.ceil(((size >>> 0) - have) / 65536));
      return 1;
    } catch {
      return 0;
    }
  }
  // The decoder calls none of its imports but the heap's growth; the others abort.
  const exports = new wasm.Instance(module, imports).exports;
  memory = exports[names.memory] as WasmMemory;
  (exports[names.init] as () => void)();
  const srcRoom = addHeadroom(inputLength);
  const dstRoom = addHeadroom(rawLength);
  // Room for the decoder's context too, so decoding does not grow the memory (that would detach views of it).
  // Regions not written yet cost address space, not pages.
  const need = (read ? inputLength : 0) + srcRoom + dstRoom + (1 << 20);
  if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  fixed = true;
  const malloc = exports[names.malloc] as (n: number) => number;
  const readAt = read ? malloc(Math.max(1, inputLength)) : -1;
  const src = malloc(srcRoom);
  const dst = malloc(dstRoom);
  if (readAt === 0 || src === 0 || dst === 0) return undefined;
  return { memory, exports, src, srcRoom, dst, dstRoom, ...(read ? { read: { at: readAt, length: inputLength } } : {}), dctx: 0 };
}

/**
 * Instances prepared by ownMemoryForInput, by their memory's buffer, which the
 * bytes read into them view: one lives (with its input, output and context
 * regions) only as long as those bytes do, so a file refused before its body
 * is decoded, or never decoded, does not keep its instance.
 */
const pending = new WeakMap<ArrayBufferLike, Prepared>();

/** Instances a body was decoded into, newest first: a later decode may take one again (see decodeInOwnMemory). */
const made: Prepared[] = [];
/**
 * Instances kept for later decodes; older ones live only as long as something
 * views them. Two: a chain's restore decodes a delta and its base, and the next
 * restore takes the pair the last one's app offered. Each keeps the memory
 * its largest body needed for the process's life.
 */
const KEPT = 2;

/**
 * Forgets the instances kept for later decodes (they live on while something
 * views them), so the next decode cannot take one: for tests of what happens
 * when no instance can be had, whatever decoded before them in the process.
 */
export function forgetKeptInstances(): void {
  made.length = 0;
}

/**
 * Memory for `inputLength` bytes about to be read (a checkpoint file whose
 * body decodes to `rawLength` bytes), inside a new instance, so the body need
 * not be copied into it (3.4 MB of fresh pages per 1M-event window): the next
 * decodeInOwnMemory of bytes inside it decodes them where they are. Those
 * bytes are the reader's: nothing writes them again. Undefined when no
 * instance can be had (the caller reads into memory of its own).
 */
export function ownMemoryForInput(inputLength: number, rawLength: number): Uint8Array | undefined {
  const p = prepare(inputLength, rawLength, true);
  if (p === undefined) return undefined;
  pending.set(p.memory.buffer, p);
  return new Uint8Array(p.memory.buffer, p.read!.at, inputLength);
}

/**
 * Decodes a zstd body of `rawLength` bytes into memory of its own and returns
 * what it decoded to, which the caller checks is `rawLength` bytes: the
 * instance `stored` was read into (ownMemoryForInput), else an instance made
 * before that fits and that `take` (if given) says may be decoded into again
 * (whatever viewed its last body has let go of it), else a new one. The body
 * is one frame, or (formats 4 and 5) `frames`, of which those marked lazy are left
 * compressed when `lazy` is set: their raw bytes are decoded on first access
 * (settleOwnRange), and until then cost no memory pages. Undefined when it was
 * not decoded here (no instance, the decoder reports an error or fails in any
 * way): the caller decodes `stored` as it otherwise would, which refuses a
 * damaged frame; `stored` is left as it was (the memory never grows here, and
 * no region of a reader's is written).
 */
export function decodeInOwnMemory(
  stored: Uint8Array, rawLength: number, take?: (memory: ArrayBufferLike) => boolean, frames?: readonly Frame[], lazy = false,
): Uint8Array | undefined {
  const ready = pending.get(stored.buffer);
  // Decoded once at most from where it was read.
  pending.delete(stored.buffer);
  const inPlace = ready !== undefined && rawLength <= ready.dstRoom &&
    stored.byteOffset >= ready.read!.at && stored.byteOffset + stored.length <= ready.read!.at + ready.read!.length;
  try {
    const fits = (p: Prepared) => stored.length <= p.srcRoom && rawLength <= p.dstRoom;
    const p = inPlace ? ready : (take && made.find((m) => fits(m) && take(m.memory.buffer))) || prepare(stored.length, rawLength, false);
    if (p === undefined) return undefined;
    // A body decoded here before is gone (take said so): its frames not decoded yet are never read.
    lazyBodies.delete(p.memory.buffer);
    // Kept for later decodes only once it decoded this body: an instance that failed is not tried again.
    made.splice(0, made.length, ...made.filter((m) => m !== p));
    const src = inPlace ? stored.byteOffset : p.src;
    if (!inPlace) new Uint8Array(p.memory.buffer).set(stored, src);
    let size = rawLength;
    const later: LazyFrame[] = [];
    if (frames === undefined) size = decodeFrame(p, p.dst, rawLength, src, stored.length);
    else {
      let before: LazyFrame | undefined;
      for (const f of frames) {
        // placeFrames: a chained frame follows a lazy one, which is deferred with it or decoded before it.
        const at = { dst: p.dst + f.rawAt, rawLength: f.rawLength, src: src + f.storedAt, storedLength: f.storedLength, ...(f.chained ? { prefix: before! } : {}) };
        if (lazy && f.lazy) later.push(at);
        else if (decodeFrame(p, at.dst, at.rawLength, at.src, at.storedLength, at.prefix) !== f.rawLength) return undefined;
        before = at;
      }
    }
    if (size < 0) return undefined;
    made.splice(0, made.length, p, ...made.slice(0, KEPT - 1));
    if (later.length > 0) lazyBodies.set(p.memory.buffer, { p, frames: new Set(later), all: later, columns: [] });
    return new Uint8Array(p.memory.buffer, p.dst, size);
  } catch {
    // A trap, an import that aborts, a memory that cannot be had: not the body's fault.
    return undefined;
  }
}

/** The decoded size, or -1 when zstd reports an error. */
function decodeFrame(p: Prepared, dst: number, capacity: number, src: number, length: number, prefix?: LazyFrame): number {
  const { names } = loaded!;
  const isError = p.exports[names.isError] as (c: number) => number;
  let size: number;
  if (prefix === undefined) size = (p.exports[names.decompress] as (d: number, c: number, s: number, n: number) => number)(dst, capacity, src, length);
  else {
    // The writer never chains to such a prefix (zstd would read it as a dictionary of its own); placeFrames refuses short ones.
    if (prefix.rawLength < MIN_PREFIX || startsLikeDictionary(new Uint8Array(p.memory.buffer), prefix.dst)) return -1;
    if (p.dctx === 0) p.dctx = (p.exports[names.createDCtx] as () => number)();
    if (p.dctx === 0) return -1;
    const decompress = p.exports[names.decompressWithPrefix] as (x: number, d: number, c: number, s: number, n: number, dict: number, dictSize: number) => number;
    size = decompress(p.dctx, dst, capacity, src, length, prefix.dst, prefix.rawLength);
  }
  return isError(size) !== 0 ? -1 : size;
}

/**
 * A frame's stored bytes at `src` and its raw place at `dst`, in its
 * instance's memory; a chained one's prefix is the raw bytes of `prefix`,
 * which must be decoded first.
 */
interface LazyFrame {
  readonly dst: number;
  readonly rawLength: number;
  readonly src: number;
  readonly storedLength: number;
  readonly prefix?: LazyFrame;
}

/**
 * Bodies with lazy frames not decoded yet, by the buffer of their memory.
 * The stored bytes stay where they are: an input region is never written
 * again, and an instance's input room only when a later body is decoded
 * there, which takeOwnBody allows only once nothing reads this body.
 */
const lazyBodies = new WeakMap<ArrayBufferLike, LazyBody>();

interface LazyBody {
  readonly p: Prepared;
  /** Not decoded yet. */
  readonly frames: Set<LazyFrame>;
  /** Every lazy frame of the body, decoded since or not. */
  readonly all: readonly LazyFrame[];
  /** The values of the columns read from it that lie in lazy frames (noteLazyColumn). */
  readonly columns: [number, number][];
}

/** Bytes [start, end) of `buffer` are the values of a column in lazy frames, left pending or decoded before they were read (column-blob.ts unpackBlob). */
export function noteLazyColumn(buffer: ArrayBufferLike, start: number, end: number): void {
  lazyBodies.get(buffer)?.columns.push([start, end]);
}

/**
 * Whether every lazy frame of `buffer` lies within the values of one column
 * noted by noteLazyColumn: after a body is unpacked, no other byte may have
 * been in one (it was read as whatever the memory held, before any decode).
 */
export function lazyFramesInColumns(buffer: ArrayBufferLike): boolean {
  const body = lazyBodies.get(buffer);
  return body === undefined || body.all.every((f) => body.columns.some(([s, e]) => s <= f.dst && f.dst + f.rawLength <= e));
}

/** Whether bytes [start, end) of `buffer` (a body's memory) are in a lazy frame not decoded yet. */
export function lazyInRange(buffer: ArrayBufferLike, start: number, end: number): boolean {
  const body = lazyBodies.get(buffer);
  if (body === undefined) return false;
  for (const f of body.frames) if (f.dst < end && start < f.dst + f.rawLength) return true;
  return false;
}

/**
 * Decodes the lazy frames of `buffer` that overlap bytes [start, end), once
 * each, a chained one after the frames its prefix needs. Their stored bytes
 * were checked with the file, so they decode unless the decoder itself fails;
 * if it does, this throws (the state it would have read is not there) rather
 * than let a reader see zeros.
 */
export function settleOwnRange(buffer: ArrayBufferLike, start: number, end: number): void {
  const body = lazyBodies.get(buffer);
  if (body === undefined) return;
  for (const f of body.all) {
    if (f.dst < end && start < f.dst + f.rawLength && body.frames.has(f)) settleFrame(body, f);
  }
}

/**
 * A chained frame reads its prefix where that frame was decoded, in the
 * body's memory, and its frames carry no content checksum: were those bytes
 * written before every frame chained to them is decoded, those frames would
 * decode to wrong numbers without an error. Nothing writes them: restored
 * chunks count as captured (LoggedColumns.adopt sets `frozen`), so a write to
 * one copies it first and none becomes the spare new rows go into
 * (chained-restore.test.ts runs restored windows past their chained frames).
 */
function settleFrame(body: LazyBody, f: LazyFrame): void {
  const chain = [f];
  for (let g = f.prefix; g !== undefined && body.frames.has(g); g = g.prefix) chain.push(g);
  for (const g of chain.reverse()) {
    let size: number;
    try {
      size = decodeFrame(body.p, g.dst, g.rawLength, g.src, g.storedLength, g.prefix);
    } catch (e) {
      throw new SiddhiStateError(`a restored column could not be decoded (${(e as Error).message})`, { cause: e });
    }
    // A frame that failed stays listed: every later read of it (and of frames chained to it) fails too.
    if (size !== g.rawLength) throw new SiddhiStateError(`a restored column could not be decoded (its frame of ${g.rawLength} bytes decoded to ${size})`);
    body.frames.delete(g);
  }
}

/** What decodeFramesApart returns when zstd reports an error: the body is damaged. */
export const DAMAGED = 'damaged';

/**
 * A body of frames, some chained (format 5), decoded whole outside memory of
 * its own (a decode that is not a restore's, before initZstd()): in an
 * instance of its own, compiled now if need be, and copied out. DAMAGED when
 * zstd reports an error; undefined when no instance can be had or it fails
 * (not the body's fault).
 */
export function decodeFramesApart(stored: Uint8Array, rawLength: number, frames: readonly Frame[]): Uint8Array | typeof DAMAGED | undefined {
  if (!loadNow()) return undefined;
  const p = prepare(stored.length, rawLength, false);
  if (p === undefined) return undefined;
  try {
    new Uint8Array(p.memory.buffer).set(stored, p.src);
    let before: LazyFrame | undefined;
    for (const f of frames) {
      const at: LazyFrame = { dst: p.dst + f.rawAt, rawLength: f.rawLength, src: p.src + f.storedAt, storedLength: f.storedLength, ...(f.chained ? { prefix: before! } : {}) };
      if (decodeFrame(p, at.dst, at.rawLength, at.src, at.storedLength, at.prefix) !== f.rawLength) return DAMAGED;
      before = at;
    }
    return new Uint8Array(p.memory.buffer, p.dst, rawLength).slice();
  } catch {
    return undefined;
  }
}
