// Cold start and large apps through the built CLI (issues 9 and 13): wall time
// (and CPU time, where /usr/bin/time is there) of fresh processes, median of
// runs, for `node -e 0` (the floor), `siddhi --version`, `siddhi check` of a
// small app, and `siddhi check` of 1 MB apps accepted and refused; then the
// same 1 MB apps through createSiddhiAppRuntime of the compiled engine in this
// process (first run, cold code; then the best of the next runs).
// Targets: --version and check of a small app ≤ 300 ms; 1 MB accepted or refused < 1 s.
// Usage: npm run build && tsx bench/parse-cli.ts [--quick]

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isQuick, writeResults } from './lib/machine.js';
import { printTable } from './lib/table.js';
import { printTargets, type TargetCheck } from './lib/targets.js';
import { sizedApp } from './lib/sized-app.js';

const quick = isQuick();
const RUNS = quick ? 3 : 5;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(cli) || statSync(cli).mtimeMs < statSync(join(root, 'src', 'parser', 'grammar.ts')).mtimeMs) {
  console.error('bench/parse-cli.ts measures the built CLI: run `npm run build` first');
  process.exit(2);
}

const MB = 1 << 20;
const APPS: Record<string, { text: string; accepted: boolean }> = {
  'small app': {
    text: "define stream S (symbol string, price float);\n@info(name = 'big') from S[price > 10] select symbol, price insert into Big;\n",
    accepted: true,
  },
  '1 MB valid (windowed aggregates)': {
    text: sizedApp(MB, (i) => `@info(name = 'q${i}') from S[price > ${i}]#window.length(${(i % 50) + 1}) select symbol, sum(price) as total group by symbol insert into Out${i};\n`),
    accepted: true,
  },
  '1 MB refused (stray tokens)': { text: sizedApp(MB, (i) => `from S select symbol insert into O${i}; ) `), accepted: false },
  '1 MB refused (unexpected characters)': { text: sizedApp(MB, (i) => `from S select symbol insert into O${i}; § `), accepted: false },
  '1 MB refused (misspelt keyword at the end)': {
    text: `${sizedApp(MB, (i) => `from S[price > ${i}] select symbol insert into O${i};\n`)}form S select symbol insert into Z;\n`,
    accepted: false,
  },
};

const dir = mkdtempSync(join(tmpdir(), 'siddhi-parse-cli-'));
const files: Record<string, string> = {};
for (const [name, app] of Object.entries(APPS)) writeFileSync((files[name] = join(dir, `${Object.keys(files).length}.siddhi`)), app.text);

const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Median wall ms (and CPU ms when measurable) of `runs` fresh processes; checks the exit code. */
function measure(args: string[], expectStatus: number): { wallMs: number; cpuMs: number | undefined } {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const command = timeBin ?? process.execPath;
    const argv = timeBin ? ['-f', '@cpu %U %S', process.execPath, ...args] : args;
    const t0 = performance.now();
    const run = spawnSync(command, argv, { encoding: 'utf8', maxBuffer: 64 * MB });
    walls.push(performance.now() - t0);
    if (run.status !== expectStatus) throw new Error(`${args.join(' ')}: exit ${run.status}, expected ${expectStatus}\n${run.stderr.slice(0, 500)}`);
    const m = /@cpu ([\d.]+) ([\d.]+)/.exec(run.stderr);
    if (m) cpus.push((Number(m[1]) + Number(m[2])) * 1000);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { wallMs: median(walls), cpuMs: cpus.length === RUNS ? median(cpus) : undefined };
}

const rows: string[][] = [];
const results: Record<string, { wallMs: number; cpuMs: number | undefined }> = {};
const record = (name: string, args: string[], status: number): void => {
  const r = (results[name] = measure(args, status));
  rows.push([name, r.wallMs.toFixed(0), r.cpuMs?.toFixed(0) ?? '–']);
};
record('node -e 0 (the floor)', ['-e', '0'], 0);
record('siddhi --version', [cli, '--version'], 0);
for (const [name, app] of Object.entries(APPS)) record(`siddhi check: ${name}`, [cli, 'check', files[name]!], app.accepted ? 0 : 1);
printTable(`Fresh processes, median of ${RUNS} (load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`, ['command', 'wall ms', 'CPU ms'], rows);

// In this process, through the compiled engine (dist/), as an embedding application calls it.
const engine = (await import(pathToFileURL(join(root, 'dist', 'index.js')).href)) as typeof import('../src/index.js');
const manager = new engine.SiddhiManager();
const inProcess: Record<string, { firstMs: number; bestMs: number }> = {};
const inRows: string[][] = [];
for (const [name, app] of Object.entries(APPS)) {
  if (name === 'small app') continue;
  let firstMs = NaN;
  let bestMs = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    try {
      manager.createSiddhiAppRuntime(app.text, { playback: true }).shutdown();
      if (!app.accepted) throw new Error(`${name} was accepted`);
    } catch (e) {
      if (app.accepted || !(e instanceof engine.SiddhiError)) throw e;
    }
    const ms = performance.now() - t0;
    if (i === 0) firstMs = ms;
    else bestMs = Math.min(bestMs, ms);
  }
  inProcess[name] = { firstMs, bestMs };
  inRows.push([name, firstMs.toFixed(0), bestMs.toFixed(0)]);
}
printTable('createSiddhiAppRuntime of the compiled engine, one process', ['app', 'first ms', 'best of the rest ms'], inRows);
rmSync(dir, { recursive: true, force: true });

const check = (name: string) => results[`siddhi check: ${name}`]!.wallMs;
const megabytes = Object.keys(APPS).filter((n) => n.startsWith('1 MB'));
const targets: TargetCheck[] = [
  { target: '`siddhi --version` ≤ 300 ms', measured: `${results['siddhi --version']!.wallMs.toFixed(0)} ms`, ok: results['siddhi --version']!.wallMs <= 300 },
  { target: '`siddhi check` of a small app ≤ 300 ms', measured: `${check('small app').toFixed(0)} ms`, ok: check('small app') <= 300 },
  ...megabytes.map((n) => ({ target: `\`siddhi check\` ${n} < 1 s`, measured: `${check(n).toFixed(0)} ms`, ok: check(n) < 1000 })),
];
printTargets('Targets (wall time; on a loaded machine compare with the node -e 0 floor)', targets);
writeResults('parse-cli', quick, { runs: RUNS, processes: results, inProcess, targets });
