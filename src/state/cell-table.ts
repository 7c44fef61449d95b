// The body of a checkpoint: the msgpack array of cell rows, written straight
// into one buffer of its exact size. codec.ts packs each cell's state first;
// this copies those bytes once, where msgpackr would copy them into its growing
// pool (the body then views a buffer several times its size, which the seal
// worker could only receive by cloning the whole of it).

/** A cell row: small msgpack-able fields and one byte string (the packed state). */
export type CellRow = readonly unknown[];

/**
 * Format 3: a row whose state bytes are at least this long is preceded in the
 * table by a padding byte string (0-7 zero bytes) that makes those bytes start
 * 8-aligned in the body, so a restore may view the typed columns inside them
 * (column-blob.ts aligns those within the state's bytes).
 */
export const ALIGNED_MIN_BYTES = 4096;

/**
 * Encodes `rows` exactly as `packr.pack(rows)` would (byte for byte; a test
 * checks it), into `allocate(length)`: by default a buffer that the result
 * owns entirely and can transfer. With `align`, large rows are preceded by
 * padding (see ALIGNED_MIN_BYTES).
 */
export function packCellTable(
  rows: readonly CellRow[], packValue: (v: unknown) => Uint8Array, allocate: (n: number) => Uint8Array = (n) => new Uint8Array(n), align = false,
): Uint8Array {
  const pads = align ? rows.filter((r) => alignedBytes(r) !== undefined).length : 0;
  const parts: Uint8Array[] = [arrayHeader(rows.length + pads)];
  let total = parts[0]!.length;
  const add = (p: Uint8Array) => {
    parts.push(p);
    total += p.length;
  };
  for (const row of rows) {
    const rowParts: Uint8Array[] = [arrayHeader(row.length)];
    // Bytes of the row before its (first) large state's contents.
    let before = -1;
    let length = rowParts[0]!.length;
    for (const v of row) {
      if (v instanceof Uint8Array) {
        const h = binHeader(v.length);
        rowParts.push(h, v);
        if (before < 0 && align && v.length >= ALIGNED_MIN_BYTES) before = length + h.length;
        length += h.length + v.length;
      } else {
        // A view into the packer's pool, valid until the copy below (later packs append after it).
        const p = packValue(v);
        rowParts.push(p);
        length += p.length;
      }
    }
    if (before >= 0) {
      // A bin 8 of k zero bytes takes 2 + k bytes: k in 0-7 reaches every alignment.
      const k = (8 - ((total + 2 + before) & 7)) & 7;
      add(Uint8Array.of(0xc4, k, ...new Array<number>(k).fill(0)));
    }
    for (const p of rowParts) add(p);
  }
  const out = allocate(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Whether packCellTable with `align` pads before any of `rows` (then the body is format 3, else format 2). */
export function padsAny(rows: readonly CellRow[]): boolean {
  return rows.some((r) => alignedBytes(r) !== undefined);
}

function alignedBytes(row: CellRow): Uint8Array | undefined {
  return row.find((v): v is Uint8Array => v instanceof Uint8Array && v.length >= ALIGNED_MIN_BYTES);
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
