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

/**
 * Decodes a zstd frame of `rawLength` bytes into the memory of a new instance,
 * grown once up front; undefined when the frame does not decode to exactly
 * that length (the caller refuses it). The instance is dropped: nothing
 * writes the returned bytes' memory again.
 */
export function decodeInOwnMemory(stored: Uint8Array, rawLength: number): Uint8Array | undefined {
  const { module, names } = loaded!;
  let memory: WasmMemory | undefined;
  const fail = (): never => {
    throw new Error('zstd instance aborted');
  };
  const imports: Record<string, Record<string, unknown>> = {};
  for (const i of wasm.Module.imports(module)) (imports[i.module] ??= {})[i.name] = i.name === names.resizeHeap ? grow : fail;
  function grow(size: number): number {
    const have = memory!.buffer.byteLength;
    try {
      memory!.grow(Math.ceil(((size >>> 0) - have) / 65536));
      return 1;
    } catch {
      return 0;
    }
  }
  // The decoder calls none of its imports but the heap's growth; the others abort.
  const instance = new wasm.Instance(module, imports);
  const e = instance.exports;
  memory = e[names.memory] as WasmMemory;
  (e[names.init] as () => void)();
  // One growth to the size needed (input, output and the decoder's context), not several on the way.
  const need = stored.length + rawLength + (1 << 20);
  if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  const malloc = e[names.malloc] as (n: number) => number;
  const src = malloc(stored.length);
  const dst = malloc(Math.max(1, rawLength));
  if (src === 0 || dst === 0) return undefined;
  new Uint8Array(memory.buffer).set(stored, src);
  const size = (e[names.decompress] as (d: number, c: number, s: number, n: number) => number)(dst, rawLength, src, stored.length);
  if ((e[names.isError] as (c: number) => number)(size) !== 0 || size !== rawLength) return undefined;
  return new Uint8Array(memory.buffer, dst, size);
}
