// Where large checkpoint bodies are assembled (codec.ts): in the buffer of the
// previous one, which the seal worker hands back (sealer.ts). A fresh 16 MiB
// body costs ~4,000 first-touch page faults, on a VM most of a durable
// checkpoint's time; one spare body is kept meanwhile.

/** Bodies from this size on take the spare buffer (the size the seal worker takes). */
export const LARGE_BODY = 1 << 20;

let spare: ArrayBuffer | undefined;
/** Buffers made here: the whole buffer may be transferred to the worker with its body. */
const made = new WeakSet<ArrayBufferLike>();

/** A body of `n` bytes to fill entirely: a view of the spare buffer when it is large enough. */
export function takeBody(n: number): Uint8Array {
  if (n < LARGE_BODY) return new Uint8Array(n);
  const s = spare;
  if (s !== undefined && s.byteLength >= n) {
    spare = undefined;
    return new Uint8Array(s, 0, n);
  }
  // Some room, so a state growing a little still fits next time.
  const buffer = new ArrayBuffer(n + (n >> 4));
  made.add(buffer);
  return new Uint8Array(buffer, 0, n);
}

/** Whether `body` lies in a buffer of its own (from takeBody), which a transfer may move whole. */
export function ownsBuffer(body: Uint8Array): boolean {
  return made.has(body.buffer) || (body.byteOffset === 0 && body.byteLength === body.buffer.byteLength);
}

/** A large body sealed and no longer needed: its buffer becomes the spare (the larger one is kept). */
export function giveBack(body: Uint8Array): void {
  const b = body.buffer;
  if (!(b instanceof ArrayBuffer) || b.byteLength < LARGE_BODY || (spare !== undefined && spare.byteLength >= b.byteLength)) return;
  made.add(b);
  spare = b;
}
