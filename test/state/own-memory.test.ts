import { afterEach, describe, expect, it, vi } from 'vitest';
import { crc32 } from 'node:zlib';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FileStore } from '../../src/state/file-store.js';
import { decodeCheckpoint, initZstd, LoggedColumns, packCheckpoint, sealCheckpoint, type Captured, type ColumnsCapture } from '../../src/state/index.js';
import { SiddhiStateError } from '../../src/errors.js';
import { frameCheckpoint } from '../../src/state/checkpoint-frame.js';
import { compressBody, decodeNextInOwnMemory } from '../../src/state/compression.js';
import { OffsetColumn, PendingColumn } from '../../src/state/column-blob.js';
import { lendingColumns, pooledColumnBytes } from '../../src/state/column-pool.js';
import { loadUsableChain } from '../../src/state/chain.js';
import { Packr } from 'msgpackr';
import { filled, KINDS, ROWS, rowsOf } from './big-columns.js';

// A process's first large zstd body is decoded into memory of its own (compression.ts), and restored
// columns view it instead of copying (column-blob.ts): these check that nothing writes that memory.

const app = { appName: 'Big', fingerprint: 'f' };


const sealed = new Map<string, Uint8Array>();

/** A full checkpoint of filled(), sealed once per revision; each call gets its own copy of the bytes. */
async function checkpoint(revision = '000000000001000-000000'): Promise<Uint8Array> {
  await initZstd();
  let bytes = sealed.get(revision);
  if (bytes === undefined) {
    const captured: Captured = {
      revision, parent: null, mode: 'full', createdAt: 1000,
      cells: [
        { id: 'small', kind: 'k', version: 1, mode: 'full', state: { n: 1 } },
        { id: 'w', kind: 'window.length', version: 1, mode: 'full', state: filled().capture('full') },
      ],
    };
    sealed.set(revision, (bytes = sealCheckpoint(packCheckpoint(captured, app), 'zstd')));
  }
  return bytes.slice();
}

let source: LoggedColumns | undefined;
/** rowsOfFilled(at), from one filled() that only these reads read. */
const rowsOfFilled = (at: readonly number[]): unknown[][] => rowsOf((source ??= filled()), at);

const AT = [0, 1, 4095, 4096, 50_000, ROWS - 1];

describe('restoring from a body in memory of its own', () => {
  it('views the decoded body for its large columns, and a write to one container changes neither the body nor another container viewing it', async () => {
    const bytes = await checkpoint();
    decodeNextInOwnMemory();
    const state = decodeCheckpoint(bytes).cells[1]!.state as ColumnsCapture;
    const prices = state.c[0] as Float64Array;
    const offsets = (state.c[3] as OffsetColumn).offsets;
    expect(prices).toBeInstanceOf(Float64Array);
    // Views of one buffer holding the whole body, not arrays of their own.
    expect(prices.buffer.byteLength).toBeGreaterThan(prices.byteLength + offsets.byteLength);
    expect(offsets.buffer).toBe(prices.buffer);
    const body = new Uint8Array(prices.buffer);
    const before = crc32(body);

    const a = new LoggedColumns(KINDS);
    const b = new LoggedColumns(KINDS);
    a.restore(state);
    b.restore(state);
    const expected = rowsOfFilled(AT);
    expect(rowsOf(a, AT)).toEqual(expected);
    // Writes into restored rows, in a chunk of its own and in one that views the body whole.
    for (const i of AT) {
      a.setNumber(0, a.slot(i), -1);
      a.setU8(1, a.slot(i), 200);
      a.setNumber(3, a.slot(i), 'x');
    }
    expect(rowsOf(a, AT)).toEqual(expected.map((r) => [-1, 200, r[2], 'x']));
    for (let i = 0; i < 5000; i++) a.shift();
    const s = a.append();
    a.setNumber(0, s, 9);
    a.setU8(1, s, 9);
    a.setValue(2, s, 'new');
    a.setNumber(3, s, 9);
    expect(crc32(body)).toBe(before);
    expect(rowsOf(b, AT)).toEqual(expected);
    expect(rowsOf(a, [0])).toEqual(rowsOfFilled([5000]));
    expect(rowsOf(a, [a.length - 1])).toEqual([[9, 9, 'new', 9]]);
    // Neither offers the body's memory to later restores (column-pool.ts): it is not theirs to give.
    const pooled = pooledColumnBytes();
    a.releaseColumns();
    b.releaseColumns();
    expect(pooledColumnBytes()).toBe(pooled);
  });

  it('reads a stored file into the memory its body is then decoded in, without copying it there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'own-memory-'));
    try {
      const store = new FileStore(dir);
      await store.save('Big', '000000000001000-000000', await checkpoint());
      decodeNextInOwnMemory();
      const bytes = (await store.load('Big', '000000000001000-000000'))!;
      // The file sits in the decoder's memory, which holds room for the body too.
      expect(bytes.buffer.byteLength).toBeGreaterThan(bytes.length * 2);
      const state = decodeCheckpoint(bytes).cells[1]!.state as ColumnsCapture;
      expect(state.c[0]).toBeInstanceOf(Float64Array);
      expect((state.c[0] as Float64Array).buffer).toBe(bytes.buffer);
      const c = new LoggedColumns(KINDS);
      c.restore(state);
      expect(rowsOf(c, AT)).toEqual(rowsOfFilled(AT));
      // Read while no body is to be decoded in memory of its own: a buffer of its own, the same bytes.
      const again = (await store.load('Big', '000000000001000-000000'))!;
      expect(again.buffer.byteLength).toBe(again.length);
      expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('copies the columns of a later body decoded outside a restore (no container claims them), with the same values', async () => {
    const bytes = await checkpoint();
    decodeNextInOwnMemory();
    decodeCheckpoint(bytes);
    const state = decodeCheckpoint(bytes).cells[1]!.state as ColumnsCapture;
    const prices = state.c[0] as Float64Array;
    expect(prices.byteOffset === 0 && prices.buffer.byteLength === prices.byteLength).toBe(true);
    const c = new LoggedColumns(KINDS);
    c.restore(state);
    expect(rowsOf(c, AT)).toEqual(rowsOfFilled(AT));
  });

  it('refuses a body that does not decode to its recorded length in its own memory, and decodes the next one', async () => {
    const good = await checkpoint();
    const packr = new Packr({ useRecords: true, moreTypes: true });
    const decoded = decodeCheckpoint(good);
    const packed = packCheckpoint({ revision: decoded.header.revision, parent: null, mode: 'full', createdAt: 1000, cells: decoded.cells }, app);
    const stored = compressBody(packed.body, 'zstd');
    for (const rawLength of [packed.body.length + 1, packed.body.length - 1]) {
      decodeNextInOwnMemory();
      const header = { ...packed.header, compression: 'zstd', rawLength, cellsChecked: true };
      expect(() => decodeCheckpoint(frameCheckpoint(packr.pack(header), stored))).toThrow(SiddhiStateError);
    }
    decodeNextInOwnMemory();
    const state = decodeCheckpoint(good).cells[1]!.state as ColumnsCapture;
    const c = new LoggedColumns(KINDS);
    c.restore(state);
    expect(rowsOf(c, AT)).toEqual(rowsOfFilled(AT));
  });
});

/** The export name the zstd-wasm build gave ZSTD_decompress (read from its glue, as own-memory-decoder.ts does). */
function decompressExport(): string {
  const require = createRequire(import.meta.url);
  const glue = readFileSync(join(dirname(require.resolve('@bokuweb/zstd-wasm')), 'zstd.js'), 'utf8');
  return /Module\['_ZSTD_decompress'\] = wasmExports\['(\w+)'\]/.exec(glue)![1]!;
}

type Instance = { readonly exports: Record<string, unknown> };
type InstanceClass = new (module: object, imports: object) => Instance;
const wasmApi = (globalThis as unknown as { WebAssembly: { Instance: InstanceClass } }).WebAssembly;

describe('when memory of its own fails', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function twoRevisions(dir: string): Promise<FileStore> {
    const store = new FileStore(dir);
    await store.save('Big', '000000000001000-000000', await checkpoint('000000000001000-000000'));
    await store.save('Big', '000000000002000-000000', await checkpoint('000000000002000-000000'));
    return store;
  }

  async function restoresNewest(failure: 'instance' | 'decode'): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'own-memory-'));
    try {
      const store = await twoRevisions(dir);
      const Real = wasmApi.Instance;
      const decompress = decompressExport();
      // New instances (only own-memory-decoder.ts makes any once zstd is loaded) fail as a wasm trap or an aborting import would.
      vi.spyOn(wasmApi, 'Instance').mockImplementation(function (module: object, imports: object) {
        if (failure === 'instance') throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
        const real = new Real(module, imports);
        return { exports: { ...real.exports, [decompress]: () => { throw new Error('zstd instance aborted'); } } };
      } as unknown as () => Instance);
      decodeNextInOwnMemory();
      const found = (await loadUsableChain(store, 'Big'))!;
      expect(found.skipped).toEqual([]);
      expect(found.chain.map((c) => c.header.revision)).toEqual(['000000000002000-000000']);
      expect(wasmApi.Instance).toHaveBeenCalled();
      // Decoded by the shared decoder instead: the columns are arrays of their own, with the same values.
      const state = found.chain[0]!.cells[1]!.state as ColumnsCapture;
      const c = new LoggedColumns(KINDS);
      c.restore(state);
      expect(rowsOf(c, AT)).toEqual(rowsOfFilled(AT));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('restores the newest revision through the shared decoder when no instance can be made', async () => {
    await restoresNewest('instance');
  });

  it('restores the newest revision through the shared decoder when the instance fails while decoding', async () => {
    await restoresNewest('decode');
  });

  it('decodes the next restore in memory of its own again, not in the instance that failed', async () => {
    await restoresNewest('decode');
    vi.restoreAllMocks();
    const bytes = await checkpoint();
    decodeNextInOwnMemory();
    const state = lendingColumns(() => decodeCheckpoint(bytes)).cells[1]!.state as ColumnsCapture;
    const c = state.c[0];
    const prices = (c instanceof PendingColumn ? c.unsettled() : c) as Float64Array;
    // A view of the decoder's memory, not an array of its own.
    expect(prices.buffer.byteLength).toBeGreaterThan(prices.byteLength * 2);
    const restored = new LoggedColumns(KINDS);
    restored.restore(state);
    expect(rowsOf(restored, AT)).toEqual(rowsOfFilled(AT));
  });

  it('still refuses a damaged body after falling back', async () => {
    const good = await checkpoint();
    const packr = new Packr({ useRecords: true, moreTypes: true });
    const decoded = decodeCheckpoint(good);
    const packed = packCheckpoint({ revision: decoded.header.revision, parent: null, mode: 'full', createdAt: 1000, cells: decoded.cells }, app);
    const stored = compressBody(packed.body, 'zstd');
    const Real = wasmApi.Instance;
    const decompress = decompressExport();
    vi.spyOn(wasmApi, 'Instance').mockImplementation(function (module: object, imports: object) {
      const real = new Real(module, imports);
      return { exports: { ...real.exports, [decompress]: () => { throw new Error('zstd instance aborted'); } } };
    } as unknown as () => Instance);
    decodeNextInOwnMemory();
    const header = { ...packed.header, compression: 'zstd', rawLength: packed.body.length - 1, cellsChecked: true };
    expect(() => decodeCheckpoint(frameCheckpoint(packr.pack(header), stored))).toThrow(SiddhiStateError);
  });
});

describe('memory read into and not decoded', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  /** Loads the file into memory of its own, refuses it (a byte flipped) before its body is decoded, and keeps only a weak reference to that memory. */
  async function refusedLoad(store: FileStore): Promise<WeakRef<ArrayBufferLike>> {
    decodeNextInOwnMemory();
    const bytes = (await store.load('Big', '000000000001000-000000'))!;
    expect(bytes.buffer.byteLength).toBeGreaterThan(bytes.length * 2);
    bytes[bytes.length - 20]! ^= 1;
    expect(() => decodeCheckpoint(bytes)).toThrow(/checksum/);
    // msgpackr keeps a view of what it last unpacked (here the refused file's header) until it unpacks again, as a restore goes on to.
    decodeCheckpoint(sealCheckpoint(packCheckpoint({ revision: 'r', parent: null, mode: 'full', createdAt: 1, cells: [] }, app)));
    return new WeakRef(bytes.buffer);
  }

  it('is not kept once the bytes read into it are dropped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'own-memory-'));
    try {
      const store = new FileStore(dir);
      await store.save('Big', '000000000001000-000000', await checkpoint());
      const memory = await refusedLoad(store);
      for (let i = 0; i < 5 && memory.deref() !== undefined; i++) {
        await new Promise((resolve) => setImmediate(resolve));
        gc();
      }
      expect(memory.deref()).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
