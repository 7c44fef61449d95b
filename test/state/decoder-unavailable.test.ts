// A format 5 checkpoint (chained zstd frames) when no new zstd instance can be
// made: it decodes through the package's own instance, and when no decoder at
// all can be had it is not taken for damaged (compression.ts decompressChained).

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SiddhiError, SiddhiStateError } from '../../src/errors.js';
import { InMemoryStore, SiddhiManager, decodeCheckpoint } from '../../src/index.js';
import { headerBytes } from '../../src/state/checkpoint-frame.js';
import { forgetKeptInstances } from '../../src/state/own-memory-decoder.js';

const app = "@app:name('Res')\ndefine stream Trades (symbol string, price double, volume long);\n" +
  'from Trades#window.length(200000) select symbol, price, sum(volume) as vol insert into Out;\n';

const wasm = (globalThis as unknown as { WebAssembly: { Instance: unknown } }).WebAssembly;
const Instance = wasm.Instance;
const shared = (() => {
  const require = createRequire(import.meta.url);
  return (require(join(dirname(require.resolve('@bokuweb/zstd-wasm')), 'module.js')) as { Module: { _malloc(n: number): number; _free(p: number): void } }).Module;
})();
const restoreMalloc = shared._malloc;

function noNewInstances(): void {
  wasm.Instance = class {
    constructor() {
      throw new RangeError('WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance');
    }
  };
}

afterEach(() => {
  wasm.Instance = Instance;
  shared._malloc = restoreMalloc;
});

/** A store holding a small revision, then one of a full 200000-row window (format 5). */
async function twoRevisions(): Promise<{ store: InMemoryStore; older: string; newest: string; bytes: Uint8Array }> {
  const store = new InMemoryStore();
  const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true, store });
  rt.start();
  const h = rt.getInputHandler('Trades');
  for (let i = 0; i < 1000; i++) h.send(['S', Math.sin(i) * 100, i], 1000 + i);
  const older = await rt.persist({ mode: 'full', compression: 'zstd' });
  for (let i = 1000; i < 200_010; i++) h.send(['S', Math.sin(i % 90_000) * 100, i], 1000 + i);
  const newest = await rt.persist({ mode: 'full', compression: 'zstd' });
  rt.shutdown();
  const bytes = (await store.load('Res', newest))!;
  expect(headerBytes(bytes).version).toBe(5);
  return { store, older, newest, bytes };
}

describe('a format 5 checkpoint when no new zstd instance can be made', () => {
  it('is not taken for damaged when no decoder at all can be had: the restore fails, it does not fall back to an older revision', async () => {
    const { store, bytes } = await twoRevisions();
    // An instance kept from an earlier decode in this process (another test file's) could be taken again.
    forgetKeptInstances();
    noNewInstances();
    // The small revision still decodes in the package's instance; a frame's buffers cannot be had there.
    // The package's first call of _malloc replaces it with the function it wraps: after that a stub stays.
    shared._free(shared._malloc(1));
    const malloc = shared._malloc.bind(shared);
    shared._malloc = (n) => (n >= 1 << 20 ? 0 : malloc(n));
    const error = (() => {
      try {
        decodeCheckpoint(bytes);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(SiddhiError);
    expect(error).not.toBeInstanceOf(SiddhiStateError);
    expect((error as Error).message).toMatch(/no zstd decoder could be had/);
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true, store });
    const failed = await rt.restoreLastRevision().then(() => undefined, (e: unknown) => e);
    expect(failed).toBeInstanceOf(SiddhiError);
    expect(failed).not.toBeInstanceOf(SiddhiStateError);
    expect((failed as Error).message).toMatch(/^a zstd body of \d+ bytes with chained frames could not be decoded/);
    rt.shutdown();
  });

  it('decodes through the package\'s own instance, and a restore takes the newest revision', async () => {
    const { store, newest, bytes } = await twoRevisions();
    const whole = decodeCheckpoint(bytes);
    noNewInstances();
    expect(decodeCheckpoint(bytes).cells.map((c) => c.id)).toEqual(whole.cells.map((c) => c.id));
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true, store });
    expect(await rt.restoreLastRevision()).toBe(newest);
    expect(rt.lastRestoreReport!.skipped).toEqual([]);
    rt.shutdown();
  });
});
