// Test helper: the path of a built `siddhi` CLI (dist/cli/main.js) that is not
// older than src/. Builds a private copy under node_modules/.cache when dist/
// is missing or stale. Test files (and benches) may ask at the same time, so
// each build goes to its own folder and is renamed into place whole: a reader
// never sees a half-written tree.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

const root = join(import.meta.dirname, '..', '..');

/** Newest modification time of the .ts files under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function fresh(mainJs: string, sources: number): boolean {
  return existsSync(mainJs) && statSync(mainJs).mtimeMs >= sources;
}

/** dist/cli/main.js when up to date, else a private build (takes ~10 s with tsc). */
export function builtCli(): string {
  const sources = newestSource(join(root, 'src'));
  const dist = join(root, 'dist', 'cli', 'main.js');
  if (fresh(dist, sources)) return dist;
  // node_modules may be shared by several checkouts (worktrees): one private build per checkout.
  const cache = join(root, 'node_modules', '.cache', `siddhi-ts-test-build-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`);
  // One folder per state of the sources: a finished build is never rewritten.
  const out = join(cache, `dist-${Math.floor(sources).toString(36)}`);
  const main = join(out, 'cli', 'main.js');
  if (existsSync(main)) return main;
  mkdirSync(cache, { recursive: true });
  // Under node_modules the nearest package.json decides the module type; dependencies resolve from the root.
  const pkg = join(cache, 'package.json');
  if (!existsSync(pkg)) {
    writeFileSync(`${pkg}.${process.pid}-${threadId}`, '{"type":"module"}\n');
    renameSync(`${pkg}.${process.pid}-${threadId}`, pkg);
  }
  const tmp = join(cache, `tmp-${process.pid}-${threadId}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', tmp], { stdio: 'pipe' });
  } catch (err) {
    // tsc still emits on type errors (another engineer's file in progress); only a missing output is fatal.
    if (!existsSync(join(tmp, 'cli', 'main.js'))) throw err;
  }
  try {
    renameSync(tmp, out);
    // Builds of older sources are no longer asked for.
    for (const e of readdirSync(cache)) if (e.startsWith('dist') && join(cache, e) !== out) rmSync(join(cache, e), { recursive: true, force: true });
  } catch (err) {
    // Another build of the same sources got there first: use it.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(main)) throw err;
  }
  return main;
}
