// Runs every examples/<name>/ app through the CLI (in-process) and compares its
// output with expected.jsonl; runs examples/embed.ts; and, when a build exists,
// spawns the built `siddhi` binary once.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as embedMain } from '../../examples/embed.js';
import { invokeCli } from './run-cli.js';

const root = join(import.meta.dirname, '..', '..');
const examples = join(root, 'examples');
const dirs = readdirSync(examples, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(examples, d.name, 'app.siddhi')))
  .map((d) => d.name)
  .sort();

interface OutputLine {
  stream: string;
  time: number;
  data: unknown[];
  expired: boolean;
}

function parseLines(text: string): OutputLine[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as OutputLine);
}

/** Output equal to expected, numbers within a relative 1e-9. */
function expectSameOutput(actual: OutputLine[], expected: OutputLine[]): void {
  const round = (lines: OutputLine[]) =>
    lines.map((l) => ({ ...l, data: l.data.map((v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(9)) : v)) }));
  expect(round(actual)).toEqual(round(expected));
}

describe('examples', () => {
  it('has at least three runnable apps', () => {
    expect(dirs.length).toBeGreaterThanOrEqual(3);
  });

  it.each(dirs)('%s produces expected.jsonl', async (name) => {
    const dir = join(examples, name);
    const r = await invokeCli('run', join(dir, 'app.siddhi'), '--input', join(dir, 'events.jsonl'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expectSameOutput(parseLines(r.stdout), parseLines(readFileSync(join(dir, 'expected.jsonl'), 'utf8')));
  });

  it.each(dirs)('%s passes siddhi check', async (name) => {
    const r = await invokeCli('check', join(examples, name, 'app.siddhi'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('embed.ts prints the alerts before and after the restore', () => {
    const lines: string[] = [];
    embedMain((line) => lines.push(line));
    expect(lines).toEqual(['2000 ["IBM",101]', '4000 ["IBM",101.33333333333333]', 'rejected: EVENT']);
  });

  const binary = join(root, 'dist', 'cli', 'main.js');
  it.skipIf(!existsSync(binary))('the built binary runs the filter example', () => {
    const dir = join(examples, 'filter');
    const stdout = execFileSync(process.execPath, [binary, 'run', join(dir, 'app.siddhi'), '--input', join(dir, 'events.jsonl')], {
      encoding: 'utf8',
    });
    expectSameOutput(parseLines(stdout), parseLines(readFileSync(join(dir, 'expected.jsonl'), 'utf8')));
  });
});
