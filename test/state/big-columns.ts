// A 100k-row LoggedColumns of every column kind, shared by the tests of restored
// column memory (own-memory.test.ts) and of format 4's lazy frames (body-frames.test.ts).

import { LoggedColumns, type ColumnKind } from '../../src/state/index.js';

export const KINDS: ColumnKind[] = ['f64', 'u8', 'any', 'f64'];
export const ROWS = 100_000;

export function filled(): LoggedColumns {
  const c = new LoggedColumns(KINDS);
  for (let i = 0; i < ROWS; i++) {
    const s = c.append();
    c.setNumber(0, s, i * 0.5 + 0.25);
    c.setU8(1, s, i % 7);
    c.setValue(2, s, ['IBM', 'ORCL'][i % 2]);
    c.setNumber(3, s, 1_700_000_000_000 + i);
  }
  return c;
}

export function rowsOf(c: LoggedColumns, at: readonly number[]): unknown[][] {
  return at.map((i) => {
    const s = c.slot(i);
    return [c.getNumber(0, s), c.getU8(1, s), c.getValue(2, s), c.getNumber(3, s)];
  });
}
