// Seals packed checkpoints (compress + checksums): small ones inline, large
// ones on one shared worker thread so event processing goes on meanwhile.
// Used by the checkpoint manager's persist().

import { Worker } from 'node:worker_threads';
import { SiddhiStateError } from '../errors.js';
import { giveBack, LARGE_BODY, ownsBuffer } from './body-pool.js';
import { noteSealed, sealCheckpointAsync, type Compression, type PackedCheckpoint } from './codec.js';
import type { SealRequest, SealResponse } from './seal-worker.js';

/** Bodies at least this large are sealed off the event thread (and assembled in a reused buffer, body-pool.ts). */
export const OFF_THREAD_BYTES = LARGE_BODY;

let worker: Worker | undefined;
let nextId = 0;
const waiting = new Map<number, { resolve: (b: Uint8Array) => void; reject: (e: Error) => void }>();

function sealWorker(): Worker {
  if (worker) return worker;
  // From source (tests, tsx) the worker is a .ts file: register tsx in it first.
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './seal-worker.ts' : './seal-worker.js', import.meta.url);
  const w = fromSource
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`, { eval: true })
    : new Worker(url);
  w.unref();
  w.on('message', (res: SealResponse) => {
    const p = waiting.get(res.id);
    if (!p) return;
    waiting.delete(res.id);
    if ('error' in res) p.reject(new SiddhiStateError(`sealing a checkpoint failed: ${res.error}`));
    else {
      giveBack(res.body);
      p.resolve(res.bytes);
    }
    if (waiting.size === 0) w.unref();
  });
  w.on('error', (e) => {
    for (const p of waiting.values()) p.reject(new SiddhiStateError(`checkpoint worker failed: ${e.message}`, { cause: e }));
    waiting.clear();
    worker = undefined;
  });
  worker = w;
  return w;
}

/**
 * Compresses and frames `packed`. A large body is handed (transferred, not
 * copied) to the worker: `packed.body` is unusable afterwards.
 */
export function sealOffThread(packed: PackedCheckpoint, compression: Compression): Promise<Uint8Array> {
  if (packed.body.length < OFF_THREAD_BYTES) return sealCheckpointAsync(packed, compression);
  const w = sealWorker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const header = packed.header;
    waiting.set(id, { resolve: (bytes) => resolve(noteSealed(bytes, header)), reject });
    w.ref();
    const body = packed.body;
    // Transfer only a buffer of the body's own; a view into a shared pool is copied.
    const transfer = ownsBuffer(body) ? [body.buffer as ArrayBuffer] : [];
    w.postMessage({ id, packed, compression } satisfies SealRequest, transfer);
  });
}
