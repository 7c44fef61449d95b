// zstd decoding into WebAssembly memory of its own: a second instance of the
// zstd-wasm package's module decodes one large body and is never called again,
// so the body stays put and restored columns may view it instead of copying it
// (column-blob.ts). Used by compression.ts for a process's first large body.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** What an instance needs of the package's module; the names are those its build gave the exports (read from its glue). */
interface Names {
  readonly memory: string;
  readonly init: string;
  readonly malloc: string;
  readonly decompress: string;
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
  Module: { imports(module: object): { module: string; name: string }[] };
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

let loaded: { module: object; names: Names } | undefined;
let loading: Promise<void> | undefined;

/** Compiles the package's module for instances of our own; without its glue's names (another build) there are none. */
export function loadOwnMemoryDecoder(): Promise<void> {
  loading ??= (async () => {
    try {
      const require = createRequire(import.meta.url);
      const dir = dirname(require.resolve('@bokuweb/zstd-wasm'));
      const names = namesIn(await readFile(join(dir, 'zstd.js'), 'utf8'));
      if (names !== undefined) loaded = { module: await wasm.compile(await readFile(join(dir, 'zstd.wasm'))), names };
    } catch {
      loaded = undefined;
    }
  })();
  return loading;
}

function namesIn(glue: string): Names | undefined {
  const exported = (what: string) => new RegExp(`${what} = wasmExports\\['(\\w+)'\\]`).exec(glue)?.[1];
  const memory = exported('wasmMemory');
  const init = /addOnInit\(wasmExports\['(\w+)'\]\)/.exec(glue)?.[1];
  const malloc = exported("Module\\['_malloc'\\]");
  const decompress = exported("Module\\['_ZSTD_decompress'\\]");
  const isError = exported("Module\\['_ZSTD_isError'\\]");
  const resizeHeap = /(\w+): _emscripten_resize_heap/.exec(glue)?.[1];
  if (!memory || !init || !malloc || !decompress || !isError || !resizeHeap) return undefined;
  return { memory, init, malloc, decompress, isError, resizeHeap };
}

/** Whether decodeInOwnMemory can run. */
export function ownMemoryDecoderLoaded(): boolean {
  return loaded !== undefined;
}

/** A new instance whose memory holds `inputLength` bytes of input and `rawLength` of output (grown once up front, not several times on the way). */
interface Prepared {
  readonly memory: WasmMemory;
  readonly exports: Record<string, unknown>;
  /** Where the input goes, and the output. */
  readonly src: number;
  readonly dst: number;
  readonly inputLength: number;
  readonly rawLength: number;
}

/**
 * A new instance for `inputLength` bytes of input and `rawLength` of output;
 * undefined when one cannot be had (no memory that large, an allocation or an
 * import failing: anything thrown), so the caller decodes as it otherwise would.
 */
function prepare(inputLength: number, rawLength: number): Prepared | undefined {
  try {
    return prepareOrThrow(inputLength, rawLength);
  } catch {
    return undefined;
  }
}

function prepareOrThrow(inputLength: number, rawLength: number): Prepared | undefined {
  const { module, names } = loaded!;
  let memory: WasmMemory | undefined;
  // Set once the memory is grown for the whole decode: after that it never grows, so no view of it is ever detached.
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
  // Room for the decoder's context too, so decoding does not grow the memory (that would detach views of the input).
  const need = inputLength + rawLength + (1 << 20);
  if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  fixed = true;
  const malloc = exports[names.malloc] as (n: number) => number;
  const src = malloc(Math.max(1, inputLength));
  const dst = malloc(Math.max(1, rawLength));
  return src === 0 || dst === 0 ? undefined : { memory, exports, src, dst, inputLength, rawLength };
}

/**
 * Instances prepared by ownMemoryForInput, by their memory's buffer, which the
 * bytes read into them view: one lives (with its input, output and context
 * regions) only as long as those bytes do, so a file refused before its body
 * is decoded, or never decoded, does not keep its instance.
 */
const pending = new WeakMap<ArrayBufferLike, Prepared>();

/**
 * Memory for `inputLength` bytes about to be read (a checkpoint file whose
 * body decodes to `rawLength` bytes), inside a new instance, so the body need
 * not be copied into it (3.4 MB of fresh pages per 1M-event window): the next
 * decodeInOwnMemory of bytes inside it decodes them where they are. Undefined
 * when no instance can be had (the caller reads into memory of its own).
 */
export function ownMemoryForInput(inputLength: number, rawLength: number): Uint8Array | undefined {
  const p = prepare(inputLength, rawLength);
  if (p === undefined) return undefined;
  pending.set(p.memory.buffer, p);
  return new Uint8Array(p.memory.buffer, p.src, inputLength);
}

/**
 * Decodes a zstd frame of `rawLength` bytes into the memory of a new instance
 * (or the one `stored` was read into: ownMemoryForInput) and returns what it
 * decoded to, which the caller checks is `rawLength` bytes. Undefined when it
 * was not decoded here (no instance, the decoder reports an error or fails in
 * any way): the caller decodes `stored` as it otherwise would, which refuses a
 * damaged frame; `stored` is left as it was (the memory never grows here). The
 * instance is dropped: nothing writes the returned bytes' memory again.
 */
export function decodeInOwnMemory(stored: Uint8Array, rawLength: number): Uint8Array | undefined {
  const { names } = loaded!;
  const ready = pending.get(stored.buffer);
  // Decoded once at most (its output region is then the body's).
  pending.delete(stored.buffer);
  const inPlace = ready !== undefined && ready.rawLength === rawLength &&
    stored.byteOffset >= ready.src && stored.byteOffset + stored.length <= ready.src + ready.inputLength;
  try {
    const p = inPlace ? ready : prepare(stored.length, rawLength);
    if (p === undefined) return undefined;
    const src = inPlace ? stored.byteOffset : p.src;
    if (!inPlace) new Uint8Array(p.memory.buffer).set(stored, src);
    const size = (p.exports[names.decompress] as (d: number, c: number, s: number, n: number) => number)(p.dst, rawLength, src, stored.length);
    if ((p.exports[names.isError] as (c: number) => number)(size) !== 0) return undefined;
    return new Uint8Array(p.memory.buffer, p.dst, size);
  } catch {
    // A trap, an import that aborts, a memory that cannot be had: not the body's fault.
    return undefined;
  }
}
