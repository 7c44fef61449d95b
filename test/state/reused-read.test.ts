// A restore from a FileStore reads each file into one buffer the process
// reuses (file-store.ts loadAndUse): the restored states must keep nothing of
// it, whatever the compression.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Packr } from 'msgpackr';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore, SiddhiManager, decodeCheckpoint, readCheckpointHeader, type Compression, type SiddhiAppRuntime } from '../../src/index.js';
import { initZstd } from '../../src/state/index.js';
import { CHAINED, LAZY } from '../../src/state/body-frames.js';

const dir = mkdtempSync(join(tmpdir(), 'reused-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const app = "@app:name('Reused')\ndefine stream Trades (symbol string, price double, volume long);\n" +
  'from Trades#window.length(150000) select symbol, price, sum(volume) as vol insert into Out;\n';
const store = new FileStore(dir);

/**
 * The runtime that fills the 150000-row window (its zstd file has lazy and
 * chained frames, as with more rows: the zstd case checks), fed once for the file: each
 * test persists it again (a revision of its own, the newest when the test
 * restores) instead of feeding another runtime the same events.
 */
let source: SiddhiAppRuntime | undefined;
afterAll(() => source?.shutdown());

/** Persists the window to the store; returns the revision and the file's decoded cells. */
async function persisted(compression: Compression): Promise<{ revision: string; cells: Map<string, unknown>; frames: readonly number[] }> {
  if (source === undefined) {
    source = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true, store });
    source.start();
    const h = source.getInputHandler('Trades');
    for (let i = 0; i < 150_000; i++) h.send(['S' + (i % 5), Math.sin(i % 70_000) * 100, i], 1000 + i);
  }
  const revision = await source.persist({ mode: 'full', compression });
  const bytes = (await store.load('Reused', revision))!;
  const frames = (readCheckpointHeader(bytes).frames ?? []).filter((_, i) => i % 3 === 2);
  return { revision, cells: new Map(decodeCheckpoint(bytes).cells.map((c) => [c.id, c.state])), frames };
}

describe('restoring from a FileStore through its reused read buffer', () => {
  it('reads files into the same buffer, one load at a time', async () => {
    await initZstd();
    const { revision } = await persisted('lz4');
    const first = await store.loadAndUse('Reused', revision, (b) => b.buffer);
    expect(await store.loadAndUse('Reused', revision, (b) => b.buffer)).toBe(first);
    // A load while another holds it reads into memory of its own.
    const inner = await store.loadAndUse('Reused', revision, (b) => store.loadAndUse('Reused', revision, (c) => [b.buffer, c.buffer]));
    expect(inner![0]).toBe(first);
    expect(inner![1]).not.toBe(first);
    expect(await store.loadAndUse('Reused', '000000000000001-000000', () => 1)).toBeUndefined();
  });

  it.each(['none', 'lz4', 'zstd'] as const)('keeps nothing of the file\'s bytes in the restored states (%s)', async (compression) => {
    await initZstd();
    const { revision, cells, frames } = await persisted(compression);
    // The restore leaves lazy and chained frames compressed: their bytes too must be its own.
    if (compression === 'zstd') expect([frames.includes(LAZY), frames.includes(CHAINED)]).toEqual([true, true]);
    const rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true, store });
    expect(await rt.restoreLastRevision()).toBe(revision);
    // Whatever the restore read the file into is written over.
    await store.loadAndUse('Reused', revision, (b) => b.fill(0x55));
    const again = new Map(decodeCheckpoint(rt.snapshot()).cells.map((c) => [c.id, c.state]));
    rt.shutdown();
    const packr = new Packr({ useRecords: true, moreTypes: true });
    for (const [id, state] of cells) expect(Buffer.compare(packr.pack(again.get(id)), packr.pack(state)), id).toBe(0);
  });
});
