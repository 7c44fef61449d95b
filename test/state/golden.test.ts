// Golden checkpoints: files written by an earlier version (test/state/golden/,
// made by make-golden.ts) must keep restoring, and the restored app must go on
// producing the recorded output. This test only reads those files.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { FileStore, SiddhiManager, decodeCheckpoint } from '../../src/index.js';
import { initZstd } from '../../src/state/index.js';
import { decodeNextInOwnMemory } from '../../src/state/compression.js';
import { type GoldenCase, type OutputRow, applyStep, recordOutput } from './golden/golden-case.js';

const dir = join(import.meta.dirname, 'golden');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, f), 'utf8')) as GoldenCase] as const);

/** Rows equal, numbers within a relative 1e-9 (aggregates may be summed in another order some day). */
function expectSameRows(actual: readonly OutputRow[], expected: readonly OutputRow[]): void {
  const round = (rows: readonly OutputRow[]) =>
    rows.map(([s, t, data, expired]) => [s, t, data.map((v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(10)) : v)), expired]);
  expect(round(actual)).toEqual(round(expected));
}

describe('golden checkpoints', () => {
  it('has the committed cases: snapshots in every codec and a delta chain', () => {
    const names = cases.map(([name]) => name);
    expect(names.length).toBeGreaterThanOrEqual(5);
    expect(new Set(cases.map(([, c]) => c.compression))).toEqual(new Set(['none', 'lz4', 'zstd']));
    expect(cases.some(([, c]) => 'store' in c.checkpoint)).toBe(true);
    // Files of every format written so far: 1, 2 (before column blobs were aligned), 3, 4 (lazy frames) and 5 (chained frames).
    const versions = cases.flatMap(([, c]) => ('file' in c.checkpoint ? [formatOf(c)] : []));
    expect(new Set(versions)).toEqual(new Set([1, 2, 3, 4, 5]));
  });

  it.each(cases)('%s restores and continues with the recorded output', (_name, c) => restoresAndContinues(c));

  it.each(cases.filter(([, c]) => formatOf(c) >= 4))(
    '%s restores with zstd decoding into memory of its own, its lazy frames left compressed, and continues', async (_name, c) => {
      await initZstd();
      await restoresAndContinues(c, true);
    },
  );

  it.each(cases.filter(([, c]) => formatOf(c) >= 4))(
    '%s restored with its lazy frames left compressed reads back the states the file holds', async (_name, c) => {
      await initZstd();
      const bytes = new Uint8Array(readFileSync(join(dir, (c.checkpoint as { file: string }).file)));
      const rt = new SiddhiManager().createSiddhiAppRuntime(c.app, { playback: true });
      decodeNextInOwnMemory();
      rt.restore(bytes);
      // A snapshot reads every restored row (decoding each lazy frame, a chained one after its prefix); the file is decoded whole.
      const again = new Map(decodeCheckpoint(rt.snapshot()).cells.map((cell) => [cell.id, cell.state]));
      rt.shutdown();
      const packr = new Packr({ useRecords: true, moreTypes: true });
      for (const cell of decodeCheckpoint(bytes).cells) {
        expect(Buffer.compare(packr.pack(again.get(cell.id)), packr.pack(cell.state)), cell.id).toBe(0);
      }
    },
  );
});

function formatOf(c: GoldenCase): number {
  return 'file' in c.checkpoint ? readFileSync(join(dir, c.checkpoint.file)).readUInt16BE(4) : 0;
}

/** `ownMemory`: the restore decodes into memory of its own (as a process's first large zstd body), lazy frames left compressed. */
async function restoresAndContinues(c: GoldenCase, ownMemory = false): Promise<void> {
  const cp = c.checkpoint;
  // A chain is restored from its FileStore directory; nothing is persisted, so the files are only read.
  const store = 'store' in cp ? { store: new FileStore(join(dir, cp.store)) } : {};
  const rt = new SiddhiManager().createSiddhiAppRuntime(c.app, { playback: true, ...store });
  const out: OutputRow[] = [];
  recordOutput(rt, out);
  rt.start();
  if ('file' in cp) {
    const bytes = new Uint8Array(readFileSync(join(dir, cp.file)));
    expect(decodeCheckpoint(bytes).header.compression).toBe(c.compression);
    if (ownMemory) decodeNextInOwnMemory();
    rt.restore(bytes);
  } else {
    expect(await rt.restoreLastRevision()).toBe(cp.revision);
    expect(rt.lastRestoreReport!.chain.length).toBeGreaterThan(1);
  }
  checkReport(rt.lastRestoreReport!);
  for (const step of c.after) applyStep(rt, step);
  rt.shutdown();
  expectSameRows(out, c.expected);
}

function checkReport(report: { fingerprintChanged: boolean; missing: string[]; gone: string[]; changed: string[]; restored: string[] }): void {
  expect(report.fingerprintChanged).toBe(false);
  expect({ missing: report.missing, gone: report.gone, changed: report.changed }).toEqual({ missing: [], gone: [], changed: [] });
  expect(report.restored.length).toBeGreaterThan(0);
}
