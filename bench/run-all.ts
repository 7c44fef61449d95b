// Runs every bench script in its own Node process (fresh heap, --expose-gc),
// then prints all targets together. `npm run bench` / `npm run bench:quick`.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isQuick, machineInfo, RESULTS_DIR } from './lib/machine.js';
import { printTargets, type TargetCheck } from './lib/targets.js';

const SCRIPTS = ['throughput', 'kernels', 'table', 'aggregation', 'checkpoint-latency', 'checkpoint-overhead', 'memory', 'parse'] as const;
const here = dirname(fileURLToPath(import.meta.url));
const quick = isQuick();

function main(): void {
  const m = machineInfo();
  console.log(`siddhi-ts benchmarks${quick ? ' (quick)' : ''}: ${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.date}`);
  const all: TargetCheck[] = [];
  const failed: string[] = [];
  const t0 = performance.now();
  for (const name of SCRIPTS) {
    console.log(`\n=== ${name} ===`);
    const started = performance.now();
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, `${name}.ts`), ...(quick ? ['--quick'] : [])], {
      stdio: 'inherit',
    });
    console.log(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    if (run.status !== 0) {
      failed.push(name);
      continue;
    }
    const json = JSON.parse(readFileSync(join(RESULTS_DIR, `${name}${quick ? '.quick' : ''}.json`), 'utf8')) as { targets?: TargetCheck[] };
    all.push(...(json.targets ?? []));
  }
  printTargets(`All targets${quick ? ' (quick run: smaller sizes, see each table)' : ''}`, all);
  const met = all.filter((c) => c.ok === true).length;
  const missed = all.filter((c) => c.ok === false).length;
  console.log(`\n${met} met, ${missed} missed, ${all.length - met - missed} not measurable yet; ${((performance.now() - t0) / 1000).toFixed(0)} s in all`);
  if (failed.length > 0) {
    console.error(`failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main();
