import { describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr';
import { ColumnBlob, OffsetColumn, ownBody, unpackBlob } from '../../src/state/column-blob.js';

const packr = new Packr({ useRecords: true, moreTypes: true });

describe('ColumnBlob', () => {
  const blobs: [string, ColumnBlob, ArrayLike<number>][] = [
    ['f64', new ColumnBlob(Float64Array.of(1.5, -0, NaN, 2 ** 60, 5e-324)), Float64Array.of(1.5, -0, NaN, 2 ** 60, 5e-324)],
    ['offsets', new ColumnBlob(Int32Array.of(0, 3, -7, 2 ** 31 - 1), 1.7e12), Float64Array.of(1.7e12, 1.7e12 + 3, 1.7e12 - 7, 1.7e12 + 2 ** 31 - 1)],
    ['u8', new ColumnBlob(Uint8Array.of(0, 1, 255)), Uint8Array.of(0, 1, 255)],
    ['u16', new ColumnBlob(Uint16Array.of(0, 300, 65535)), Uint16Array.of(0, 300, 65535)],
  ];

  it('decodes to the values at every alignment in the body, as fresh arrays', () => {
    for (const [name, blob, values] of blobs) {
      for (let shift = 0; shift < 8; shift++) {
        const bytes = packr.pack(['x'.repeat(shift), blob]);
        const [, decoded] = packr.unpack(bytes) as [string, ArrayLike<number> | OffsetColumn];
        // Offsets stay offsets (in a copy) until expanded.
        expect(decoded instanceof OffsetColumn).toBe(name === 'offsets');
        if (decoded instanceof OffsetColumn) expect(decoded.offsets.buffer).not.toBe(bytes.buffer);
        const got = decoded instanceof OffsetColumn ? decoded.expand() : decoded;
        expect([...(got as unknown as Iterable<number>)].map((v) => (Object.is(v, -0) ? '-0' : v)), `${name} shifted ${shift}`)
          .toEqual([...(values as unknown as Iterable<number>)].map((v) => (Object.is(v, -0) ? '-0' : v)));
        expect((got as unknown as Float64Array).buffer).not.toBe(bytes.buffer);
        expect(got.constructor).toBe(blob.decoded().constructor);
      }
    }
  });

  /** Blobs of 4 KiB of values and more are padded to be viewed (smaller ones are written as in format 2, and copied). */
  const large: [string, ColumnBlob, ArrayLike<number>][] = [
    ['f64', new ColumnBlob(Float64Array.from({ length: 512 }, (_, i) => i * 1.5)), Float64Array.from({ length: 512 }, (_, i) => i * 1.5)],
    ['offsets', new ColumnBlob(Int32Array.from({ length: 1024 }, (_, i) => i - 9), 1.7e12), Float64Array.from({ length: 1024 }, (_, i) => 1.7e12 + i - 9)],
    ['u8', new ColumnBlob(Uint8Array.from({ length: 4096 }, (_, i) => i & 255)), Uint8Array.from({ length: 4096 }, (_, i) => i & 255)],
    ['u16', new ColumnBlob(Uint16Array.from({ length: 2048 }, (_, i) => i * 31)), Uint16Array.from({ length: 2048 }, (_, i) => i * 31)],
  ];

  it('packs a blob of fewer than 4 KiB of values unpadded, as format 2 did', () => {
    for (const [name, blob] of [...blobs, ...large]) {
      const packed = packr.pack(blob);
      // ext 32: 0xc9, length, type, then the form byte.
      expect(packed[6]! >= 0x80, name).toBe(large.some(([, b]) => b === blob));
    }
  });

  it('views its values in a body of its own at every alignment of the pack, without copying', () => {
    for (const [name, blob, values] of large) {
      for (let shift = 0; shift < 8; shift++) {
        const packed = packr.pack(['x'.repeat(shift), blob]);
        // A body whose start is 8-aligned, as the decoder's memory is.
        const body = new Uint8Array(new ArrayBuffer(packed.length + 8), 8, packed.length);
        body.set(packed);
        ownBody(body);
        const [, decoded] = packr.unpack(body) as [string, Float64Array | OffsetColumn];
        const array = decoded instanceof OffsetColumn ? decoded.offsets : decoded;
        expect(array.buffer, `${name} shifted ${shift}`).toBe(body.buffer);
        const got = decoded instanceof OffsetColumn ? decoded.expand() : decoded;
        expect([...(got as unknown as Iterable<number>)].map(String)).toEqual([...(values as unknown as Iterable<number>)].map(String));
      }
    }
  });

  it('reads the unpadded payloads of format 2', () => {
    const f64 = new Uint8Array(17);
    f64[0] = 0;
    new DataView(f64.buffer).setFloat64(1, 2.5, true);
    new DataView(f64.buffer).setFloat64(9, -1, true);
    expect([...(unpackBlob(f64) as Float64Array)]).toEqual([2.5, -1]);
    const offsets = new Uint8Array(17);
    offsets[0] = 1;
    new DataView(offsets.buffer).setFloat64(1, 100, true);
    new DataView(offsets.buffer).setInt32(9, -3, true);
    new DataView(offsets.buffer).setInt32(13, 7, true);
    expect([...(unpackBlob(offsets) as OffsetColumn).expand()]).toEqual([97, 107]);
    expect([...(unpackBlob(Uint8Array.of(2, 5, 6)) as Uint8Array)]).toEqual([5, 6]);
  });

  it('refuses malformed payloads', () => {
    expect(() => unpackBlob(Uint8Array.of(0x80, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))).toThrow(/malformed/);
    expect(() => unpackBlob(Uint8Array.of(0x80, 0, 0, 0))).toThrow(/malformed/);
    expect(() => unpackBlob(Uint8Array.of(0, 1, 2, 3))).toThrow(/malformed/);
    expect(() => unpackBlob(Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0, 0, 1))).toThrow(/malformed/);
    expect(() => unpackBlob(Uint8Array.of(3, 1))).toThrow(/malformed/);
    expect(() => unpackBlob(Uint8Array.of(9))).toThrow(/unknown column form/);
  });
});
