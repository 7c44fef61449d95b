import { describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr';
import { ALIGNED_MIN_BYTES, packCellTable, type CellRow } from '../../src/state/cell-table.js';

const packr = new Packr({ useRecords: true, moreTypes: true });

describe('packCellTable', () => {
  it('writes the bytes packr.pack writes for the same rows, in a buffer of its own', () => {
    for (const count of [0, 1, 15, 16, 70_000]) {
      const rows: CellRow[] = [];
      for (let i = 0; i < count; i++) {
        const size = i === 1 ? 300 : i === 2 ? 70_000 : i % 3;
        const bytes = packr.pack(new Uint8Array(size).fill(i & 0xff));
        const row: unknown[] = [`q${i}/0:window.length`, 'window.length', i, i & 1, (i * 2654435761) >>> 0, bytes];
        if (i % 2 === 0) row.push(`sig ${i}`);
        rows.push(row);
      }
      const body = packCellTable(rows, (v) => packr.pack(v));
      expect(Buffer.from(body).equals(packr.pack(rows))).toBe(true);
      expect(body.byteOffset === 0 && body.byteLength === body.buffer.byteLength).toBe(true);
    }
  });

  it('pads before each row whose state is large, so those bytes start 8-aligned (format 3)', () => {
    const rows: CellRow[] = [];
    for (let i = 0; i < 40; i++) {
      const size = i % 4 === 0 ? ALIGNED_MIN_BYTES + i : 10 + i;
      rows.push([`q${'x'.repeat(i % 9)}`, 'k', i, 0, i * 7, new Uint8Array(size).fill(i + 1), ...(i % 3 === 0 ? [`sig ${i}`] : [])]);
    }
    const body = packCellTable(rows, (v) => packr.pack(v), undefined, true);
    const table = packr.unpack(body) as unknown[];
    const pads = table.filter((r) => r instanceof Uint8Array);
    expect(pads.length).toBe(10);
    expect(pads.every((p) => (p as Uint8Array).length < 8 && (p as Uint8Array).every((b) => b === 0))).toBe(true);
    const plain = (r: readonly unknown[]) => r.map((v) => (v instanceof Uint8Array ? [...v] : v));
    expect(table.filter((r) => Array.isArray(r)).map((r) => plain(r as unknown[]))).toEqual(rows.map(plain));
    for (const r of table) {
      const bytes = Array.isArray(r) ? (r[5] as Uint8Array) : undefined;
      if (bytes && bytes.length >= ALIGNED_MIN_BYTES) expect([bytes.buffer === body.buffer, bytes.byteOffset % 8]).toEqual([true, 0]);
    }
  });
});
