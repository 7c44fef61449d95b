// A PersistenceStore on the local file system: <dir>/<app>/<revision>.sdck.
// Writes are atomic (temp file, fsync, rename, fsync of the directory), so a
// crash leaves either the old set of revisions or the new one.

import type { Dirent } from 'node:fs';
import { mkdir, open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { SiddhiStateError } from '../errors.js';
import { checkpointReadBuffer, headerExtent, type ReadBufferLease } from './codec.js';
import { ParentIndex, parentOf, pruneRevisions, type PersistenceStore, type RetentionOptions } from './stores.js';

const SUFFIX = '.sdck';
let tempCounter = 0;

/**
 * A persistence store on disk: one `<revision>.sdck` file per checkpoint under
 * `<dir>/<app name>/`, written crash-safely (temp file, fsync, rename).
 *
 * @example
 * const runtime = new SiddhiManager().createSiddhiAppRuntime(appText, { store: new FileStore('./checkpoints', { retain: 5 }) });
 *
 * Keeps the 3 newest revisions by default (plus the older ones their deltas
 * need); `retain: Infinity` keeps all. Every file-system failure is a
 * SiddhiStateError naming the path.
 */
export class FileStore implements PersistenceStore {
  private readonly parents = new ParentIndex();
  private readonly swept = new Set<string>();

  constructor(readonly dir: string, private readonly options: RetentionOptions = {}) {}

  async save(appName: string, revision: string, bytes: Uint8Array): Promise<void> {
    checkRevision(revision);
    const dir = this.appDir(appName);
    await mkdir(dir, { recursive: true }).catch((e: unknown) => {
      throw fileError(`cannot create the checkpoint directory ${dir}`, e);
    });
    if (!this.swept.has(dir)) {
      this.swept.add(dir);
      await sweepTemps(dir);
    }
    const temp = join(dir, `.${revision}${SUFFIX}.${process.pid}.${tempCounter++}.tmp`);
    try {
      const fh = await open(temp, 'wx');
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(temp, join(dir, revision + SUFFIX));
    } catch (e) {
      await unlink(temp).catch(() => undefined);
      throw new SiddhiStateError(`cannot save checkpoint ${revision} of app '${appName}' in ${dir}: ${(e as Error).message}`, { cause: e });
    }
    await syncDir(dir);
    this.parents.note(appName, revision, bytes);
    try {
      await pruneRevisions(this, appName, this.options.retain, this.parents, (rev) => this.readParent(appName, rev));
    } catch (e) {
      throw fileError(`checkpoint ${revision} of app '${appName}' was saved, but pruning older revisions in ${dir} failed`, e);
    }
  }

  /** An unreadable revision (EACCES, EISDIR, …) is a SiddhiStateError, so a restore falls back as from a damaged one. */
  async load(appName: string, revision: string): Promise<Uint8Array | undefined> {
    checkRevision(revision);
    return this.readRevision(appName, revision, checkpointReadBuffer);
  }

  /**
   * Like load, but a file that is not read into memory of its own (a process's
   * first large zstd body is: codec.ts checkpointReadBuffer) is read into one
   * buffer this process reuses, when no other load holds it: a fresh one
   * costs a restore ~3 ms of CPU per 3.5 MB file in page faults.
   */
  async loadAndUse<T>(appName: string, revision: string, use: (bytes: Uint8Array) => T): Promise<T | undefined> {
    checkRevision(revision);
    const lease = leaseReadBuffer();
    try {
      const bytes = await this.readRevision(appName, revision, (size, head) => checkpointReadBuffer(size, head, lease));
      return bytes === undefined ? undefined : use(bytes);
    } finally {
      lease?.release();
    }
  }

  /** The revision's file read into `buffer`'s memory; undefined when there is none. */
  private async readRevision(appName: string, revision: string, buffer: (size: number, head: Uint8Array) => Uint8Array): Promise<Uint8Array | undefined> {
    const path = join(this.appDir(appName), revision + SUFFIX);
    try {
      return await readWhole(path, undefined, buffer);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw fileError(`cannot read checkpoint file ${path}`, e);
    }
  }

  /** Revisions are regular files (or links to them): a directory named `*.sdck` is not one. */
  async list(appName: string): Promise<string[]> {
    const dir = this.appDir(appName);
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw fileError(`cannot list the checkpoints of app '${appName}' in ${dir}`, e);
    }
    return entries
      .filter((d) => d.name.endsWith(SUFFIX) && !d.name.startsWith('.') && (d.isFile() || d.isSymbolicLink()))
      .map((d) => d.name.slice(0, -SUFFIX.length))
      .sort();
  }

  async remove(appName: string, revision: string): Promise<void> {
    checkRevision(revision);
    this.parents.forget(appName, revision);
    const path = join(this.appDir(appName), revision + SUFFIX);
    await unlink(path).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw fileError(`cannot remove checkpoint file ${path}`, e);
    });
  }

  private appDir(appName: string): string {
    // Dots are escaped too, so no app name can climb out of `dir`.
    return join(this.dir, encodeURIComponent(appName).replace(/\./g, '%2E'));
  }

  /** Reads only the header of a stored revision. */
  private async readParent(appName: string, revision: string): Promise<string | null> {
    const path = join(this.appDir(appName), revision + SUFFIX);
    const fh = await open(path, 'r').catch(() => undefined);
    if (!fh) return null;
    try {
      const prefix = new Uint8Array(12);
      await fh.read(prefix, 0, 12, 0);
      const head = new Uint8Array(Math.min(headerExtent(prefix), 1 << 24));
      await fh.read(head, 0, head.length, 0);
      return parentOf(head);
    } catch (e) {
      throw fileError(`cannot read the header of checkpoint file ${path}`, e);
    } finally {
      await fh.close();
    }
  }
}

/** Files up to this size are read into the reused buffer; a larger one would keep its memory for the process's life. */
const REUSED_MAX = 64 << 20;
let reused: Uint8Array | undefined;
let reusedLeased = false;

/** The reused read buffer while `release` is not called; undefined while another load holds it. */
function leaseReadBuffer(): ReadBufferLease | undefined {
  if (reusedLeased) return undefined;
  reusedLeased = true;
  return {
    take(length) {
      if (length > REUSED_MAX) return undefined;
      if (reused === undefined || reused.length < length) reused = new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
      return reused.subarray(0, length);
    },
    release() {
      reusedLeased = false;
    },
  };
}

/** A 4 GiB body plus its header and framing: the largest file a checkpoint can be. */
const MAX_FILE = 2 ** 32 + (1 << 20);

/**
 * A whole file in one read of its size (of what follows its header, with
 * `allocate`: the header's two small reads first say where to read it to):
 * readFile reads in 512 KiB steps, each a trip through the thread pool (a
 * 3.4 MB checkpoint took seven), which a busy machine makes slow. A file that
 * grew meanwhile is cut at the size it had (its checksum then fails); one that
 * shrank is returned as read.
 */
export async function readWhole(path: string, maxRead = 1 << 30, allocate?: (size: number, head: Uint8Array) => Uint8Array): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    // The format's lengths are 32-bit: anything larger is not a checkpoint (and one read of 2 GiB aborts Node 20).
    if (size > MAX_FILE) throw new SiddhiStateError(`${path} is ${size} bytes, larger than any checkpoint (${MAX_FILE})`);
    let buf: Uint8Array;
    let at = 0;
    if (allocate === undefined) {
      // Not zeroed first: only the bytes read are returned.
      buf = Buffer.allocUnsafeSlow(size);
    } else {
      // The header first: it says where the rest is best read to.
      const prefix = await readAt(fh, new Uint8Array(Math.min(12, size)), 0);
      const head = await readAt(fh, new Uint8Array(Math.min(headerExtent(prefix), size, 1 << 24)), 0);
      buf = allocate(size, head);
      buf.set(head);
      at = head.length;
    }
    at += (await readAt(fh, buf.subarray(at, size), at, maxRead)).length;
    return new Uint8Array(buf.buffer, buf.byteOffset, at);
  } finally {
    await fh.close();
  }
}

/** Fills `into` from `position` on, at most `maxRead` bytes a read (less when the file is shorter). */
async function readAt(fh: FileHandle, into: Uint8Array, position: number, maxRead = 1 << 30): Promise<Uint8Array> {
  let at = 0;
  while (at < into.length) {
    const { bytesRead } = await fh.read(into, at, Math.min(into.length - at, maxRead), position + at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return into.subarray(0, at);
}

/** A file-system failure as a SiddhiStateError naming the path (kept as the cause). */
function fileError(what: string, e: unknown): SiddhiStateError {
  if (e instanceof SiddhiStateError) return new SiddhiStateError(`${what}: ${e.message}`, { cause: e });
  const err = e as NodeJS.ErrnoException;
  return new SiddhiStateError(`${what}: ${err.code ?? err.message}`, { cause: e, hint: hintFor(err.code) });
}

function hintFor(code: string | undefined): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'check the permissions of the checkpoint directory and its files';
    case 'EISDIR':
      return 'a directory is in the way of a checkpoint file; move it';
    default:
      return 'check the checkpoint directory';
  }
}

function checkRevision(revision: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(revision)) {
    throw new SiddhiStateError(`'${revision}' is not a valid revision id (letters, digits, '.', '_' and '-' only)`);
  }
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename durable; some platforms cannot open a directory, and there it is skipped.
  const fh = await open(dir, 'r').catch(() => undefined);
  if (!fh) return;
  try {
    await fh.sync();
  } catch {
    // EINVAL/EPERM on file systems without directory fsync
  } finally {
    await fh.close();
  }
}

/** Deletes temp files that a crashed writer (a process no longer running) left behind. */
async function sweepTemps(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = /^\..*\.(\d+)\.\d+\.tmp$/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    await unlink(join(dir, name)).catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
