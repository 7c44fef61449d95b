// The checkpoint record a worker commits per partition (with its output, in
// one fenced step): where the partition's input was consumed up to, the
// clock, how much output exists, and the siddhi-ts checkpoint itself — inline
// when small, else a revision in a shared FileStore. Read back on claim and by
// `siddhi checkpoints list --redis`.

import { createHash } from 'node:crypto';
import type { PersistenceStore } from '../index.js';

export interface CheckpointRecord {
  readonly app: string;
  /** The app text and partition count the state belongs to. */
  readonly fingerprint: string;
  readonly partition: number;
  readonly epoch: number;
  readonly owner: string;
  /** The commit's number in the partition's sequence (CommitRequest.commit); absent in records written before numbering: 0. */
  readonly commit?: number;
  /** The input-log offset of the last entry the state covers ('0-0': none). */
  readonly offset: string;
  /** Input events the state covers. */
  readonly events: number;
  /** The runtime's clock at the commit. */
  readonly watermark: number;
  /** Output lines committed for this partition so far. */
  readonly outputLines: number;
  readonly committedAt: number;
  /** Size of the siddhi-ts checkpoint envelope. */
  readonly bytes: number;
  readonly checkpoint: { readonly inline: string } | { readonly revision: string };
}

/** A checkpoint up to this size travels inside the record (base64). */
export const INLINE_LIMIT = 256 * 1024;

export function fingerprintOf(appText: string, partitions: number): string {
  return createHash('sha256').update(appText).update(`\0${partitions}`).digest('hex').slice(0, 16);
}

/** The store's app name for a partition's out-of-line checkpoints. */
export function storeName(app: string, partition: number): string {
  return `${app}.p${partition}`;
}

/**
 * Keeps `bytes` inline, or saves it as a revision when it is big and a store
 * is given. Inline is answered synchronously: a commit then reaches the broker
 * in the same turn as its snapshot, not after the processing slice that follows.
 */
export function placeCheckpoint(bytes: Uint8Array, where: { store: PersistenceStore | undefined; app: string; partition: number; revision: string }): CheckpointRecord['checkpoint'] | Promise<CheckpointRecord['checkpoint']> {
  if (bytes.length <= INLINE_LIMIT || where.store === undefined) return { inline: Buffer.from(bytes).toString('base64') };
  const { store } = where;
  return store.save(storeName(where.app, where.partition), where.revision, bytes).then(() => ({ revision: where.revision }));
}

export async function loadCheckpoint(record: CheckpointRecord, store: PersistenceStore | undefined): Promise<Uint8Array> {
  const c = record.checkpoint;
  if ('inline' in c) return new Uint8Array(Buffer.from(c.inline, 'base64'));
  const bytes = await store?.load(storeName(record.app, record.partition), c.revision);
  if (!bytes) throw new Error(`partition ${record.partition}: checkpoint revision ${c.revision} is not in the shared checkpoint directory (start workers with the same --checkpoint-dir)`);
  return bytes;
}

export function parseRecord(text: string): CheckpointRecord {
  return JSON.parse(text) as CheckpointRecord;
}
