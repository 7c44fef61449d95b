// Test helper: the path of a built `siddhi` CLI (dist/cli/main.js) that is not
// older than src/. Builds a private copy under node_modules/.cache when dist/
// is missing or stale, as `npm run build` would but without type checking:
// esbuild writes each src/ file's JavaScript (what tsc emits; ~1 s instead of
// ~20 s of tsc's CPU, paid by the first test file to ask after every change
// to src/), then scripts/bundle-cli.mjs bundles the CLI (it starts in half the
// CPU time of the unbundled modules, and the crash, scale-out and worker tests
// start it ~40 times). Test files (and benches) may ask at the same time, so
// each build goes to its own folder and is renamed into place whole: a reader
// never sees a half-written tree.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { buildSync } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');

/** The .ts files under `dir`, and the newest modification time among them. */
function sources(dir: string, files: string[] = []): { files: string[]; newest: number } {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, sources(p, files).newest);
    else if (e.name.endsWith('.ts')) {
      files.push(p);
      newest = Math.max(newest, statSync(p).mtimeMs);
    }
  }
  return { files, newest };
}

function fresh(mainJs: string, newest: number): boolean {
  return existsSync(mainJs) && statSync(mainJs).mtimeMs >= newest;
}

/** dist/cli/main.js when up to date, else a private build (about a second). */
export function builtCli(): string {
  const src = sources(join(root, 'src'));
  const dist = join(root, 'dist', 'cli', 'main.js');
  if (fresh(dist, src.newest)) return dist;
  // node_modules may be shared by several checkouts (worktrees): one private build per checkout.
  const cache = join(root, 'node_modules', '.cache', `siddhi-ts-test-build-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`);
  // One folder per state of the sources: a finished build is never rewritten. It holds dist/ and a
  // copy of package.json (the module type, and the version `siddhi --version` reads); dependencies
  // resolve from the root's node_modules, above it.
  const out = join(cache, `build-${Math.floor(src.newest).toString(36)}`);
  const main = join(out, 'dist', 'cli', 'main.js');
  if (existsSync(main)) return main;
  mkdirSync(cache, { recursive: true });
  const tmp = join(cache, `tmp-${process.pid}-${threadId}`);
  rmSync(tmp, { recursive: true, force: true });
  buildSync({
    entryPoints: src.files,
    outdir: join(tmp, 'dist'),
    outbase: join(root, 'src'),
    tsconfig: join(root, 'tsconfig.build.json'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  copyFileSync(join(root, 'package.json'), join(tmp, 'package.json'));
  execFileSync(process.execPath, [join(root, 'scripts', 'bundle-cli.mjs'), tmp], { stdio: 'pipe' });
  try {
    renameSync(tmp, out);
    // Builds of older sources are no longer asked for.
    for (const e of readdirSync(cache)) if ((e.startsWith('build-') || e.startsWith('dist-')) && join(cache, e) !== out) rmSync(join(cache, e), { recursive: true, force: true });
  } catch (err) {
    // Another build of the same sources got there first: use it.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(main)) throw err;
  }
  return main;
}
