// Worker thread entry: compresses and checksums packed checkpoints so that a
// large checkpoint never blocks the thread that processes events. Started by
// sealer.ts; speaks one message shape in each direction.

import { parentPort } from 'node:worker_threads';
import { sealCheckpointAsync, type Compression, type PackedCheckpoint } from './codec.js';

export interface SealRequest {
  readonly id: number;
  readonly packed: PackedCheckpoint;
  readonly compression: Compression;
}

/** `body`: the request's body, handed back for the next checkpoint to be assembled in (body-pool.ts). */
export type SealResponse =
  | { readonly id: number; readonly bytes: Uint8Array; readonly body: Uint8Array }
  | { readonly id: number; readonly error: string };

parentPort?.on('message', (req: SealRequest) => {
  const body = req.packed.body;
  sealCheckpointAsync(req.packed, req.compression).then(
    (bytes) => parentPort!.postMessage({ id: req.id, bytes, body } satisfies SealResponse, [bytes.buffer as ArrayBuffer, body.buffer as ArrayBuffer]),
    (e: unknown) => parentPort!.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) } satisfies SealResponse),
  );
});
