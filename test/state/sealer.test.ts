import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, packCheckpoint } from '../../src/state/index.js';
import { OFF_THREAD_BYTES, sealOffThread } from '../../src/state/sealer.js';
import { expectEqual } from '../expect-equal.js';

function bigCapture(n: number) {
  const rows = Array.from({ length: n }, (_, i) => [1000 + i, ['SYM' + (i % 100), i * 0.5, i], 0]);
  return {
    revision: 'r1', parent: null, mode: 'full' as const, createdAt: 1,
    cells: [{ id: 'q/0:window.length', kind: 'window.length', version: 1, mode: 'full' as const, state: { q: { f: rows } } }],
  };
}

describe('sealOffThread', () => {
  it.each(['none', 'lz4', 'zstd'] as const)('seals a large checkpoint on the worker with %s and it decodes', async (compression) => {
    const captured = bigCapture(60_000);
    const packed = packCheckpoint(captured, { appName: 'A', fingerprint: 'f' });
    expect(packed.body.length).toBeGreaterThan(OFF_THREAD_BYTES);
    const bytes = await sealOffThread(packed, compression);
    const decoded = decodeCheckpoint(bytes);
    expectEqual(decoded.cells[0]!.state, captured.cells[0]!.state);
    expect(decoded.header.compression).toBe(compression);
  });

  it('assembles the next large body in the buffer the worker hands back, and both decode', async () => {
    const first = bigCapture(60_000);
    const a = packCheckpoint(first, { appName: 'A', fingerprint: 'f' });
    const buffer = a.body.buffer;
    const size = buffer.byteLength;
    const bytesA = await sealOffThread(a, 'zstd');
    const second = { ...bigCapture(59_000), revision: 'r2' };
    const b = packCheckpoint(second, { appName: 'A', fingerprint: 'f' });
    expect(b.body.byteLength).toBeGreaterThan(OFF_THREAD_BYTES);
    // The first body's buffer went to the worker and came back (a new object for the same memory): b is assembled in it.
    expect(buffer.byteLength).toBe(0);
    expect(b.body.buffer).not.toBe(buffer);
    expect(b.body.buffer.byteLength).toBe(size);
    const bytesB = await sealOffThread(b, 'zstd');
    expectEqual(decodeCheckpoint(bytesA).cells[0]!.state, first.cells[0]!.state);
    expectEqual(decodeCheckpoint(bytesB).cells[0]!.state, second.cells[0]!.state);
  });

  it('seals a small checkpoint inline', async () => {
    const captured = bigCapture(10);
    const packed = packCheckpoint(captured, { appName: 'A', fingerprint: 'f' });
    const bytes = await sealOffThread(packed, 'lz4');
    expect(decodeCheckpoint(bytes).cells[0]!.state).toEqual(captured.cells[0]!.state);
  });
});
