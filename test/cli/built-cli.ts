// Test helper: the path of a built `siddhi` CLI (dist/cli/main.js) that is not
// older than its inputs. Builds a private copy under node_modules/.cache when
// dist/ is missing or stale, as `npm run build` would but without type checking:
// esbuild writes each src/ file's JavaScript (what tsc emits; ~1 s instead of
// ~20 s of tsc's CPU, paid by the first test file to ask after every change
// to src/), then scripts/bundle-cli.mjs bundles the CLI (it starts in half the
// CPU time of the unbundled modules, and the crash, scale-out and worker tests
// start it ~40 times). Test files (and benches) may ask at the same time, so
// each build goes to its own folder and is renamed into place whole: a reader
// never sees a half-written tree.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { threadId } from 'node:worker_threads';
import { buildSync, version as esbuildVersion } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');

/** The .ts files under `dir`, and the folders walked (a deleted or renamed file changes its folder's mtime). */
function sources(dir: string, files: string[] = [], dirs: string[] = []): { files: string[]; dirs: string[] } {
  dirs.push(dir);
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) sources(p, files, dirs);
    else if (e.name.endsWith('.ts')) files.push(p);
  }
  return { files, dirs };
}

/** What a build is made from besides src/: the bundler script, package.json (copied into the build), the tsconfigs, esbuild. */
function otherInputs(): string[] {
  const tsconfigs = readdirSync(root).filter((n) => /^tsconfig.*\.json$/.test(n)).map((n) => join(root, n));
  return [join(root, 'scripts', 'bundle-cli.mjs'), join(root, 'package.json'), ...tsconfigs.sort()];
}

/**
 * dist/ is fresh when its main.js is not older than any input: the src/ files and folders, the other
 * inputs, and esbuild's package folder (written when npm installs a version). A clean clone (CI) has
 * checkout-time mtimes everywhere and npm ci's prepare builds dist/ after installing, so dist/ is used.
 */
function distFresh(mainJs: string, src: { files: string[]; dirs: string[] }, others: string[]): boolean {
  if (!existsSync(mainJs)) return false;
  const built = statSync(mainJs).mtimeMs;
  const inputs = [...src.files, ...src.dirs, ...others, join(root, 'node_modules', 'esbuild')];
  return inputs.every((p) => statSync(p).mtimeMs <= built);
}

/** Names one state of the inputs: each src/ file's path and mtime, the other inputs' bytes, esbuild's version. */
function buildKey(src: { files: string[] }, others: string[]): string {
  const h = createHash('sha256').update(`esbuild ${esbuildVersion}\n`);
  for (const f of [...src.files].sort()) h.update(`${relative(root, f)} ${statSync(f).mtimeMs}\n`);
  for (const f of others) h.update(`${relative(root, f)}\n`).update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

/** dist/cli/main.js when up to date, else a private build (about a second). */
export function builtCli(): string {
  const src = sources(join(root, 'src'));
  const others = otherInputs();
  const dist = join(root, 'dist', 'cli', 'main.js');
  if (distFresh(dist, src, others)) return dist;
  // node_modules may be shared by several checkouts (worktrees): one private build per checkout.
  const cache = join(root, 'node_modules', '.cache', `siddhi-ts-test-build-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`);
  // One folder per state of the inputs: a finished build is never rewritten. It holds dist/ and a
  // copy of package.json (the module type, and the version `siddhi --version` reads); dependencies
  // resolve from the root's node_modules, above it.
  const out = join(cache, `build-${buildKey(src, others)}`);
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
    // Builds of older inputs are no longer asked for.
    for (const e of readdirSync(cache)) if ((e.startsWith('build-') || e.startsWith('dist-')) && join(cache, e) !== out) rmSync(join(cache, e), { recursive: true, force: true });
  } catch (err) {
    // Another build of the same inputs got there first: use it.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(main)) throw err;
  }
  return main;
}
