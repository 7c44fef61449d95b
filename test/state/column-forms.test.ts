import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { asValueColumn } from '../../src/state/column-forms.js';

// A dictionary column's codes are checked against its values on restore, four byte codes at a time where they are aligned.
describe('asValueColumn code check', () => {
  const naive = (codes: ArrayLike<number>, limit: number) => Array.from(codes).every((c) => c < limit);

  it('accepts exactly the code arrays whose every code is below the dictionary size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 256 }),
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 0, maxLength: 70 }),
        fc.integer({ min: 0, max: 3 }),
        (limit, raw, offset) => {
          // Codes mostly in range, with the odd stray one anywhere (first word, middle, tail).
          const codes = raw.map((c) => (c % 7 === 0 ? c : c % Math.max(1, limit)));
          const buf = new Uint8Array(codes.length + offset);
          buf.set(codes, offset);
          const view = buf.subarray(offset);
          const dict = Array.from({ length: limit }, (_, i) => `S${i}`);
          const ok = naive(view, limit);
          if (ok) expect(asValueColumn({ d: dict, i: view }, view.length, 0)).toEqual({ dict, codes: view });
          else expect(() => asValueColumn({ d: dict, i: view }, view.length, 0)).toThrow(/malformed column 0/);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('finds one code past the values in any byte of a word', () => {
    for (const limit of [1, 3, 10, 127, 128, 129, 200]) {
      for (let at = 0; at < 13; at++) {
        const codes = new Uint8Array(13).fill(limit - 1);
        codes[at] = limit;
        const dict = Array.from({ length: limit }, (_, i) => i);
        expect(() => asValueColumn({ d: dict, i: codes }, 13, 2)).toThrow(/malformed column 2/);
        codes[at] = 0xff;
        expect(() => asValueColumn({ d: dict, i: codes }, 13, 2)).toThrow(/malformed column 2/);
        codes[at] = 0;
        expect(asValueColumn({ d: dict, i: codes }, 13, 2)).toEqual({ dict, codes });
      }
    }
  });

  it('checks 16-bit codes of large dictionaries', () => {
    const dict = Array.from({ length: 300 }, (_, i) => `K${i}`);
    const codes = Uint16Array.from({ length: 64 }, (_, i) => (i * 7) % 300);
    expect(asValueColumn({ d: dict, i: codes }, 64, 1)).toEqual({ dict, codes });
    codes[63] = 300;
    expect(() => asValueColumn({ d: dict, i: codes }, 64, 1)).toThrow(/malformed column 1/);
  });
});
