import { describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr';
import { packCellTable, type CellRow } from '../../src/state/cell-table.js';

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
});
