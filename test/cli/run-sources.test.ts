// `siddhi run app.siddhi` without --input: the app's sources feed it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { invokeCli } from './run-cli.js';

const root = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'siddhi-run-'));
  dirs.push(d);
  return d;
}

/** Runs the CLI in-process until `stopWhen(stdout)` holds. */
async function runUntil(argv: string[], stopWhen: (stdout: string) => boolean) {
  let stdout = '';
  let stderr = '';
  let check = () => {};
  const code = await runCli(argv, {
    stdout: { write: (t: string) => { stdout += t; check(); } },
    stderr: { write: (t: string) => (stderr += t) },
    waitForStop: () => new Promise((resolve) => {
      check = () => { if (stopWhen(stdout)) resolve('test'); };
      check();
    }),
  });
  return { code, stdout, stderr };
}

const event = (symbol: string, price: number) => `${JSON.stringify({ event: { symbol, price } })}\n`;

describe('siddhi run without --input', () => {
  it('refuses an app without sources', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'app.siddhi'), 'define stream S (a int); from S select a insert into O;');
    const r = await invokeCli('run', join(dir, 'app.siddhi'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the app has no @source/);
  });

  it('runs a file source until stopped, and resumes after the final checkpoint', async () => {
    const dir = tempDir();
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, event('A', 1) + event('B', 2));
    writeFileSync(join(dir, 'app.siddhi'), `
      @source(type='file', file.uri='${input}', tailing='false')
      define stream S (symbol string, price double);
      from S select symbol, sum(price) as total insert into Out;`);
    const args = ['run', join(dir, 'app.siddhi'), '--checkpoint-dir', join(dir, 'ckpt'), '--quiet'];
    const lines = (s: string) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).data);
    const first = await runUntil(args, (out) => out.split('\n').length > 2);
    expect(first.code).toBe(0);
    expect(lines(first.stdout)).toEqual([['A', 1], ['B', 3]]);
    writeFileSync(input, event('A', 1) + event('B', 2) + event('C', 4));
    const second = await runUntil(args, (out) => out.includes('"C"'));
    expect(lines(second.stdout)).toEqual([['C', 7]]);
  });

  it('the siddhi process stops cleanly on SIGTERM with a final checkpoint', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'app.siddhi'), `
      @source(type='http', receiver.url='http://127.0.0.1:0/in')
      define stream S (a int);
      from S select a * 2 as b insert into Out;`);
    const child = spawn(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'src', 'cli', 'main.ts'),
      'run', join(dir, 'app.siddhi'), '--checkpoint-dir', join(dir, 'ckpt')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    const url = await new Promise<string>((resolve) => child.stderr.on('data', (c) => {
      stderr += c;
      const m = /at (http:\/\/\S+);/.exec(stderr);
      if (m) resolve(m[1]!);
    }));
    expect((await fetch(url, { method: 'POST', body: '{"event":{"a":21}}' })).status).toBe(200);
    while (!stdout.includes('\n')) await new Promise((r) => child.stdout.once('data', r));
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.on('exit', r));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ stream: 'Out', data: [42] });
    expect(stderr).toMatch(/SIGTERM: final checkpoint/);
    expect(existsSync(join(dir, 'ckpt')) && readdirSync(join(dir, 'ckpt')).length).toBeGreaterThan(0);
  }, 90_000);
});

describe('siddhi run --metrics-port', () => {
  it('serves runtime.metrics() as Prometheus text while the app runs', async () => {
    const dir = tempDir();
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, event('A', 1));
    writeFileSync(join(dir, 'app.siddhi'), `@app:name('Metered')
      @source(type='file', file.uri='${input}', tailing='false')
      define stream S (symbol string, price double);
      from S select symbol insert into Out;`);
    let stdout = '';
    let stderr = '';
    let scraped = '';
    const code = await runCli(['run', join(dir, 'app.siddhi'), '--metrics-port', '0'], {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
      waitForStop: async () => {
        while (!stdout.includes('\n')) await new Promise((r) => setTimeout(r, 10));
        const url = /metrics at (\S+)/.exec(stderr)![1]!;
        scraped = await (await fetch(url)).text();
        return 'test';
      },
    });
    expect(code).toBe(0);
    expect(scraped).toContain('siddhi_stream_events_in_total{app="Metered",stream="S"} 1');
    expect(scraped).toMatch(/siddhi_query_events_total\{app="Metered",query="[^"]+"\} 1/);
  });
});
