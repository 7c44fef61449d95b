// The machine a result was measured on, and writing results as JSON to
// bench/results/<name>.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly platform: string;
  readonly node: string;
  readonly v8: string;
  readonly date: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    date: new Date().toISOString(),
  };
}

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** Writes `{ name, quick, machine, ...data }` and returns the path. */
export function writeResults(name: string, quick: boolean, data: Record<string, unknown>): string {
  const path = join(RESULTS_DIR, `${name}${quick ? '.quick' : ''}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ name, quick, machine: machineInfo(), ...data }, null, 2) + '\n');
  console.log(`\nwrote ${path}`);
  return path;
}

export function isQuick(argv: readonly string[] = process.argv): boolean {
  return argv.includes('--quick');
}
