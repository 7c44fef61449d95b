// The body of a checkpoint: the msgpack array of cell rows, written straight
// into one buffer of its exact size. codec.ts packs each cell's state first;
// this copies those bytes once, where msgpackr would copy them into its growing
// pool (the body then views a buffer several times its size, which the seal
// worker could only receive by cloning the whole of it).

/** A cell row: small msgpack-able fields and one byte string (the packed state). */
export type CellRow = readonly unknown[];

/**
 * Encodes `rows` exactly as `packr.pack(rows)` would (byte for byte; a test
 * checks it), into `allocate(length)`: by default a buffer that the result
 * owns entirely and can transfer.
 */
export function packCellTable(
  rows: readonly CellRow[], packValue: (v: unknown) => Uint8Array, allocate: (n: number) => Uint8Array = (n) => new Uint8Array(n),
): Uint8Array {
  const parts: Uint8Array[] = [arrayHeader(rows.length)];
  let total = parts[0]!.length;
  const add = (p: Uint8Array) => {
    parts.push(p);
    total += p.length;
  };
  for (const row of rows) {
    add(arrayHeader(row.length));
    for (const v of row) {
      if (v instanceof Uint8Array) {
        add(binHeader(v.length));
        add(v);
      } else {
        // A view into the packer's pool, valid until the copy below (later packs append after it).
        add(packValue(v));
      }
    }
  }
  const out = allocate(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function arrayHeader(n: number): Uint8Array {
  if (n < 16) return Uint8Array.of(0x90 | n);
  if (n < 0x10000) return Uint8Array.of(0xdc, n >> 8, n & 0xff);
  return withLength(0xdd, n);
}

function binHeader(n: number): Uint8Array {
  if (n < 0x100) return Uint8Array.of(0xc4, n);
  if (n < 0x10000) return Uint8Array.of(0xc5, n >> 8, n & 0xff);
  return withLength(0xc6, n);
}

function withLength(tag: number, n: number): Uint8Array {
  const h = new Uint8Array(5);
  h[0] = tag;
  new DataView(h.buffer).setUint32(1, n);
  return h;
}
