// Sealing a zstd body of many frames (compression.ts compressFrames): the
// encoder's memory holds one frame and its prefix at a time, never the body.

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initZstd, LoggedColumns, packCheckpoint, sealCheckpoint } from '../../src/state/index.js';
import { frameRanges } from '../../src/state/body-frames.js';
import { compressFrames } from '../../src/state/compression.js';

/** The bytes of the zstd package's own instance's memory (it grows to the largest need and never shrinks). */
function encoderHeapBytes(): number {
  const require = createRequire(import.meta.url);
  const m = (require(join(dirname(require.resolve('@bokuweb/zstd-wasm')), 'module.js')) as { Module: { HEAPU8: Uint8Array } }).Module;
  return m.HEAPU8.length;
}

describe('sealing a body of frames', () => {
  it('grows the encoder\'s memory by about a frame and its prefix, not by the body', async () => {
    await initZstd();
    const small = new Uint8Array(1 << 16);
    compressFrames(small, frameRanges(small.length, []));
    const before = encoderHeapBytes();
    const raw = new Uint8Array(48 << 20);
    for (let i = 0; i < raw.length; i += 8) raw[i] = (i >> 3) % 251;
    const { kinds } = compressFrames(raw, frameRanges(raw.length, [[0, raw.length]]));
    expect(kinds.length).toBe(49);
    // A copy of the body and a whole-body compress bound took ~96 MiB more.
    expect(encoderHeapBytes() - before).toBeLessThan(16 << 20);
  });

  it('writes the same bytes as when the whole body was copied into the encoder\'s memory', async () => {
    await initZstd();
    const c = new LoggedColumns(['f64']);
    for (let i = 0; i < 300_000; i++) c.setNumber(0, c.append(), Math.sin(i % 50_000));
    const cells = [
      { id: 'small', kind: 'k', version: 1, mode: 'full' as const, state: { n: 1 } },
      { id: 'w', kind: 'window.length', version: 1, mode: 'full' as const, state: c.capture('full') },
    ];
    const bytes = sealCheckpoint(packCheckpoint({ revision: '000000000001000-000000', parent: null, mode: 'full', createdAt: 1000, cells }, { appName: 'Big', fingerprint: 'f' }), 'zstd');
    // Written by a98bc4e (format 5, frames LAZY CHAINED CHAINED between eager ones).
    expect(bytes.length).toBe(420096);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe('a9be1b5ca6d5def3797d51972ea8759c3b425078f1a8eaf80778394e726502f7');
  });
});
