// Compression of checkpoint bodies: none, lz4, or zstd (WebAssembly, loaded on
// first use; until then fzstd decompresses). Used by codec.ts when sealing and decoding.

import * as lz4 from 'lz4js';
import { decompress as zstdDecompress } from 'fzstd';
import { SiddhiStateError } from '../errors.js';
import { refuse } from './checkpoint-frame.js';

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

/** Whether zstd compression is ready for synchronous use. */
export function zstdLoaded(): boolean {
  return zstd !== undefined;
}

/** Loads the zstd WebAssembly module; decompression works without it (fzstd), only slower. */
export function initZstd(): Promise<void> {
  zstdLoading ??= import('@bokuweb/zstd-wasm').then(async (m) => {
    await m.init();
    zstd = m;
  });
  return zstdLoading;
}

export function compressBody(raw: Uint8Array, compression: Compression): Uint8Array {
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

/** Decompresses a stored body; refuses it when it does not come back to `rawLength` bytes. */
export function decompressBody(stored: Uint8Array, header: { compression: Compression; rawLength: number }): Uint8Array {
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
        return assertNever(header.compression);
    }
  } catch (e) {
    return refuse(`${header.compression} body does not decompress (${(e as Error).message})`);
  }
  if (raw.length !== header.rawLength) refuse('decompressed body has the wrong length');
  return raw;
}

function assertNever(x: never): never {
  throw new SiddhiStateError(`unknown compression '${String(x)}'`);
}
