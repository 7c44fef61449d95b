// Part of `npm run build`, after tsc: bundles dist/cli/main.js with the dist/
// modules it imports (packages stay imports), so `siddhi` starts by reading a
// few files instead of ~260 (module loading was about a third of a cold
// `siddhi check`): main.js plus one chunk per group of lazily imported modules. Each module's `import.meta.url` becomes its
// own dist/ file's URL, so paths made from it (the seal worker, package.json)
// resolve as before. dist/index.js and the rest of dist/ are left as tsc wrote them.
// Usage: node scripts/bundle-cli.mjs [root]

import { chmodSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const dist = join(root, 'dist');
const entry = join(dist, 'cli', 'main.js');

/** Replaces `import.meta.url` in each dist/ module with that module's own URL, relative to the bundle. */
const moduleUrls = {
  name: 'module-urls',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(dist + sep)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'js' };
      const own = `new URL(${JSON.stringify(relative(dirname(entry), args.path).split(sep).join('/'))}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', own), loader: 'js' };
    });
  },
};

if (readFileSync(entry, 'utf8').includes('./chunk-')) throw new Error(`${entry} is bundled already: run tsc first (npm run build)`);
// Chunks of an earlier build (their names are content hashes).
for (const f of readdirSync(dirname(entry))) if (/^chunk-.*\.js$/.test(f)) rmSync(join(dirname(entry), f));

await build({
  entryPoints: [entry],
  outdir: dirname(entry),
  // The commands' modules, imported when a command runs, go to chunks of their own: `--version` reads only main.js.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  // Less text to compile at every start (a cold `siddhi check` compiles ~1 MB of
  // JavaScript); names are kept, so an internal error's stack still reads.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [moduleUrls],
  logLevel: 'warning',
});
chmodSync(entry, 0o755);
