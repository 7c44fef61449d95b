// `siddhi run app.siddhi` without --input: the app's sources feed it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { builtCli } from './built-cli.js';
import { invokeCli } from './run-cli.js';

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
    expect(r.stderr).toMatch(/the app has no @source or trigger/);
  });

  it('runs an app fed by its triggers alone', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'app.siddhi'), `define trigger Boot at 'start';
      from Boot select 'up' as state insert into Status;`);
    const r = await runUntil(['run', join(dir, 'app.siddhi')], (out) => out.includes('\n'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ stream: 'Status', data: ['up'] });
    expect(r.stderr).toContain('trigger Boot; stop with Ctrl-C');
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

  it('a source that cannot start (its port is taken) ends the run with exit 1 naming it, instead of waiting on nothing', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const dir = tempDir();
      writeFileSync(join(dir, 'app.siddhi'), `
        @source(type='http', receiver.url='http://127.0.0.1:${port}/in')
        define stream S (a int);
        from S select a insert into Out;`);
      const run = await runUntil(['run', join(dir, 'app.siddhi')], () => false);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/siddhi run: could not start source 'http' of stream 'S': .*EADDRINUSE/);
      expect(run.stderr).not.toContain('stop with Ctrl-C');
    } finally {
      taken.close();
    }
  });

  it('the siddhi process stops cleanly on SIGTERM with a final checkpoint', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'app.siddhi'), `
      @source(type='http', receiver.url='http://127.0.0.1:0/in')
      define stream S (a int);
      from S select a * 2 as b insert into Out;`);
    // The built CLI: starting it costs no transpiling, which under load took most of the time budget.
    const child = spawn(process.execPath, [builtCli(), 'run', join(dir, 'app.siddhi'), '--checkpoint-dir', join(dir, 'ckpt')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = watch(child);
    // No sleeps: each step waits for what the process writes, and fails at once if it exits instead.
    const url = /at (http:\/\/\S+);/.exec(await out.stderrMatching(/at http:\/\/\S+;/))![1]!;
    expect((await fetch(url, { method: 'POST', body: '{"event":{"a":21}}' })).status).toBe(200);
    const stdout = await out.stdoutMatching(/\n/);
    child.kill('SIGTERM');
    expect(await out.exited).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ stream: 'Out', data: [42] });
    expect(out.stderr()).toMatch(/SIGTERM: final checkpoint/);
    expect(existsSync(join(dir, 'ckpt')) && readdirSync(join(dir, 'ckpt')).length).toBeGreaterThan(0);
  }, 180_000);
});

/** What a child process writes, with promises for the first time a pattern shows up (rejected if it exits first). */
function watch(child: ChildProcess) {
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  const changed = () => waiters.splice(0).forEach((w) => w());
  child.stdout!.on('data', (c: Buffer) => { stdout += c.toString(); changed(); });
  child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); changed(); });
  // 'close', not 'exit': at 'exit' the child's stdout and stderr may not have ended yet.
  let closed = false;
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => { closed = true; resolve(code); changed(); }));
  const matching = (text: () => string, pattern: RegExp): Promise<string> => new Promise((resolve, reject) => {
    const check = () => {
      if (pattern.test(text())) resolve(text());
      else if (closed) reject(new Error(`exited (${child.exitCode ?? child.signalCode}) before ${pattern}: ${stderr}`));
      else waiters.push(check);
    };
    check();
  });
  return {
    exited,
    stderr: () => stderr,
    stdoutMatching: (p: RegExp) => matching(() => stdout, p),
    stderrMatching: (p: RegExp) => matching(() => stderr, p),
  };
}

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
    let lineWritten = () => {};
    const firstLine = new Promise<void>((resolve) => (lineWritten = resolve));
    const code = await runCli(['run', join(dir, 'app.siddhi'), '--metrics-port', '0'], {
      stdout: { write: (t: string) => { stdout += t; if (stdout.includes('\n')) lineWritten(); } },
      stderr: { write: (t: string) => (stderr += t) },
      waitForStop: async () => {
        await firstLine;
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
