// Issue 13, FileStore: file-system failures are SiddhiStateErrors naming the
// path; an unreadable newest revision falls back like a damaged one; default
// retention is bounded. Unreadable files are made real: chmod 000 and a child
// process running as 'nobody' (root reads anything), skipped when not root.
// The child imports the built package builtCli() finds (dist/ when up to date,
// else a private build of src/; builtCli() never writes dist/): running src/
// through tsx compiled it again in every child (~2 s of CPU each, 0.7 s now).

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FileStore, InMemoryStore, SiddhiManager, SiddhiStateError } from '../../src/index.js';
import { invokeCli } from '../cli/run-cli.js';
import { builtCli } from '../cli/built-cli.js';
import { readWhole } from '../../src/state/file-store.js';

const APP = "@app:name('Files') define stream S (a long); from S#window.length(3) select sum(a) as t insert into O;";
const root = join(import.meta.dirname, '..', '..');
const asRoot = process.getuid?.() === 0;
/** The URL of a module of the built package, e.g. 'index.js' (dist/index.js). */
const built = (module: string): string => pathToFileURL(join(dirname(dirname(builtCli())), module)).href;

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'siddhi-files-'));
  chmodSync(d, 0o755);
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Persists `count` full checkpoints of APP into `dir`, one event each; returns the revisions. */
async function persistSome(dir: string, count: number, options: { retain?: number } = { retain: Infinity }): Promise<string[]> {
  const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true, store: new FileStore(dir, options) });
  rt.start();
  const revisions: string[] = [];
  for (let i = 1; i <= count; i++) {
    rt.getInputHandler('S').send([i], i);
    revisions.push(await rt.persist({ mode: 'full' }));
  }
  rt.shutdown();
  return revisions;
}

/**
 * Runs `code` (an async function body with FileStore, SiddhiManager, runCli, APP in scope) as 'nobody'; returns its JSON output.
 * Each child costs ~0.7 s of CPU to start and import the package, so one runs every probe of the tests below.
 */
function runAsNobody(dir: string, code: string): unknown {
  const script = join(dir, 'probe.mjs');
  writeFileSync(script, `import { FileStore, SiddhiManager } from ${JSON.stringify(built('index.js'))};
import { runCli } from ${JSON.stringify(built('cli/cli.js'))};
const APP = ${JSON.stringify(APP)};
const out = await (async () => { ${code} })();
console.log(JSON.stringify(out));`);
  chmodSync(script, 0o644);
  const r = spawnSync(process.execPath, [script], { uid: 65534, gid: 65534, cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`probe failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const appDir = (dir: string) => join(dir, 'Files');

describe('FileStore errors', () => {
  it('ignores a directory named *.sdck, and loading it by name is a SiddhiStateError naming the path', async () => {
    const dir = tempDir();
    const [, good] = await persistSome(dir, 2);
    mkdirSync(join(appDir(dir), '999999999999999-000000.sdck'));
    const store = new FileStore(dir);
    expect(await store.list('Files')).not.toContain('999999999999999-000000');
    const err = await store.load('Files', '999999999999999-000000').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SiddhiStateError);
    expect((err as Error).message).toMatch(/999999999999999-000000\.sdck: EISDIR/);
    const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true, store });
    rt.start();
    expect(await rt.restoreLastRevision()).toBe(good);
    rt.getInputHandler('S').send([5], 10);
    await expect(rt.persist({ mode: 'full' })).resolves.toBeTypeOf('string');
  });

  it('a file larger than any checkpoint is refused before it is read (one read of 2 GiB aborts Node 20), with fallback', async () => {
    const dir = tempDir();
    const [good] = await persistSome(dir, 1);
    const huge = join(appDir(dir), '999999999999999-000000.sdck');
    writeFileSync(huge, '');
    truncateSync(huge, 2 ** 32 + (1 << 21)); // sparse: no disk, no memory
    const store = new FileStore(dir);
    const err = await store.load('Files', '999999999999999-000000').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SiddhiStateError);
    expect((err as Error).message).toMatch(/larger than any checkpoint/);
    const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true, store });
    rt.start();
    expect(await rt.restoreLastRevision()).toBe(good);
  });

  it('reads a file in steps of at most maxRead bytes', async () => {
    const dir = tempDir();
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 255);
    writeFileSync(join(dir, 'f'), bytes);
    expect(await readWhole(join(dir, 'f'), 7)).toEqual(bytes);
    // Into memory the header chose (bytes 8-11 say 28 bytes of header: 44 read first), the rest in steps too.
    const headed = bytes.slice();
    headed.set([0, 0, 0, 28], 8);
    writeFileSync(join(dir, 'h'), headed);
    const into = new Uint8Array(2000);
    let head = 0;
    const read = await readWhole(join(dir, 'h'), 7, (size, h) => {
      head = h.length;
      return into.subarray(500, 500 + size);
    });
    expect(head).toBe(44);
    expect(read).toEqual(headed);
    expect(read.buffer).toBe(into.buffer);
  });

  it('a directory in the way of a new revision is a SiddhiStateError naming the path', async () => {
    const dir = tempDir();
    const store = new FileStore(dir);
    mkdirSync(join(appDir(dir), 'r1.sdck'), { recursive: true });
    const err = await store.save('Files', 'r1', new Uint8Array([1])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SiddhiStateError);
    expect((err as Error).message).toMatch(/Files/);
  });

  it('an app directory that is a file is a SiddhiStateError naming it', async () => {
    const dir = tempDir();
    writeFileSync(appDir(dir), 'not a directory');
    const store = new FileStore(dir);
    await expect(store.list('Files')).rejects.toThrow(SiddhiStateError);
    await expect(store.list('Files')).rejects.toThrow(appDir(dir));
    await expect(store.save('Files', 'r1', new Uint8Array([1]))).rejects.toThrow(SiddhiStateError);
  });

  it('`checkpoints list` lists a directory named *.sdck as nothing and keeps going', async () => {
    const dir = tempDir();
    await persistSome(dir, 1);
    mkdirSync(join(appDir(dir), '999999999999999-000000.sdck'));
    const r = await invokeCli('checkpoints', 'list', dir);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
  });
});

describe.runIf(asRoot)('FileStore errors as a reader without permission (a child process as nobody)', () => {
  /** What the probes found, as nobody, in an app directory whose newest revision is unreadable and in one that is unreadable itself. */
  let found: {
    older: string;
    newest: string;
    /** In the first directory, loading the newest revision and restoring the last; in the second, restoring and `checkpoints list`. */
    probe: { load: string; revision: string; skipped: { revision: string; reason: string }[]; restore: string; list: { code: number; stderr: string } };
  };
  const own: string[] = [];
  beforeAll(async () => {
    const [fileDir, appDirDir] = [0, 1].map(() => {
      const d = mkdtempSync(join(tmpdir(), 'siddhi-files-'));
      chmodSync(d, 0o755);
      own.push(d);
      return d;
    }) as [string, string];
    const [older, newest] = await persistSome(fileDir, 2);
    chmodSync(appDir(fileDir), 0o755);
    for (const f of readdirSync(appDir(fileDir))) chmodSync(join(appDir(fileDir), f), 0o644);
    chmodSync(join(appDir(fileDir), `${newest}.sdck`), 0o000);
    await persistSome(appDirDir, 1);
    chmodSync(appDir(appDirDir), 0o000);
    const probe = runAsNobody(fileDir, `
      const unreadableFile = ${JSON.stringify(fileDir)};
      const unreadableAppDir = ${JSON.stringify(appDirDir)};
      const store = new FileStore(unreadableFile);
      const load = await store.load('Files', ${JSON.stringify(newest)}).then(() => 'read', (e) => e.constructor.name + ': ' + e.message);
      const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true, store });
      rt.start();
      const revision = await rt.restoreLastRevision();
      const skipped = rt.lastRestoreReport.skipped;
      const other = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true, store: new FileStore(unreadableAppDir) });
      other.start();
      const restore = await other.restoreLastRevision().then(() => 'restored', (e) => e.constructor.name + ': ' + e.message);
      // The CLI's own error reporting (runCli), its output collected: a stack printed there would show in stderr.
      let stderr = '';
      const code = await runCli(['checkpoints', 'list', unreadableAppDir], { stdout: { write() {} }, stderr: { write: (t) => { stderr += t; } } });
      return { load, revision, skipped, restore, list: { code, stderr } };
    `) as typeof found.probe;
    found = { older: older!, newest: newest!, probe };
  });
  afterAll(() => {
    for (const d of own) rmSync(d, { recursive: true, force: true });
  });

  it('an unreadable newest revision (EACCES) falls back to the older good one', () => {
    const { older, newest, probe } = found;
    expect(probe.load).toMatch(new RegExp(`SiddhiStateError: cannot read checkpoint file .*${newest}\\.sdck: EACCES`));
    expect(probe.revision).toBe(older);
    expect(probe.skipped).toEqual([{ revision: newest, reason: expect.stringMatching(/EACCES/) }]);
  });

  it('an unreadable app directory is a SiddhiStateError naming it, and `checkpoints list` says so without a stack', () => {
    const { probe } = found;
    expect(probe.restore).toMatch(/^SiddhiStateError: cannot list the checkpoints of app 'Files' in .*Files: EACCES/);
    expect(probe.list.code).toBe(1);
    expect(probe.list.stderr).toMatch(/EACCES/);
    expect(probe.list.stderr).toMatch(/Files/);
    expect(probe.list.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});

describe('default retention', () => {
  it('FileStore keeps the 3 newest revisions by default', async () => {
    const dir = tempDir();
    const revisions = await persistSome(dir, 6, {});
    expect(await new FileStore(dir).list('Files')).toEqual(revisions.slice(-3));
  });

  it('InMemoryStore keeps the 3 newest by default, and every one with retain: Infinity', async () => {
    for (const [store, kept] of [[new InMemoryStore(), 3], [new InMemoryStore({ retain: Infinity }), 6]] as const) {
      const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true, store });
      rt.start();
      for (let i = 1; i <= 6; i++) {
        rt.getInputHandler('S').send([i], i);
        await rt.persist({ mode: 'full' });
      }
      expect(await store.list('Files')).toHaveLength(kept);
    }
  });

  it('a delta chain keeps what it needs beyond the 3', async () => {
    const store = new InMemoryStore();
    const rt = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true, store, checkpoint: { fullEvery: 10 } });
    rt.start();
    for (let i = 1; i <= 6; i++) {
      rt.getInputHandler('S').send([i], i);
      await rt.persist();
    }
    const fresh = new SiddhiManager().createSiddhiAppRuntime(APP, { playback: true, store });
    fresh.start();
    expect(await fresh.restoreLastRevision()).toBeTypeOf('string');
  });
});
