import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SiddhiManager, type SiddhiAppRuntime } from '../../src/index.js';

const dirs: string[] = [];
const running: SiddhiAppRuntime[] = [];
afterEach(() => {
  for (const r of running.splice(0)) r.shutdown();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'siddhi-file-'));
  dirs.push(d);
  return d;
}

const line = (symbol: string, price: number) => `${JSON.stringify({ event: { symbol, price } })}\n`;

/** Starts the app and resolves once `n` events reached Out. */
function runUntil(runtime: SiddhiAppRuntime, n: number): { out: unknown[][]; done: Promise<void> } {
  const out: unknown[][] = [];
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  runtime.addCallback('Out', (es) => {
    out.push(...es.map((e) => [...e.data]));
    if (out.length >= n) resolve();
  });
  running.push(runtime);
  runtime.start();
  return { out, done };
}

describe('file source and sink', () => {
  it('reads JSON lines, and a restored app resumes after the lines its checkpoint had consumed', async () => {
    const dir = tempDir();
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, line('A', 1) + line('B', 2));
    const app = `
      @source(type='file', file.uri='${input}', tailing='false', @map(type='json'))
      define stream S (symbol string, price double);
      @sink(type='file', file.uri='${join(dir, 'out.jsonl')}')
      define stream Out (symbol string, total double);
      from S select symbol, sum(price) as total insert into Out;`;
    const manager = new SiddhiManager();
    const first = manager.createSiddhiAppRuntime(app);
    const a = runUntil(first, 2);
    await a.done;
    const checkpoint = first.snapshot();
    first.shutdown();
    expect(a.out).toEqual([['A', 1], ['B', 3]]);

    appendFileSync(input, line('C', 4));
    const second = manager.createSiddhiAppRuntime(app);
    second.restore(checkpoint);
    const b = runUntil(second, 1);
    await b.done;
    second.shutdown();
    expect(b.out).toEqual([['C', 7]]);
    expect(readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).event.total)).toEqual([1, 3, 7]);
  });

  it('tails a file, taking lines as they are appended (a partial line waits for its newline)', async () => {
    const dir = tempDir();
    const input = join(dir, 'tail.jsonl');
    writeFileSync(input, line('A', 1));
    const runtime = new SiddhiManager().createSiddhiAppRuntime(`
      @source(type='file', file.uri='${input}', tailing.interval='5')
      define stream S (symbol string, price double);
      from S select symbol, price as total insert into Out;`);
    const errors: string[] = [];
    runtime.onError((e) => errors.push(e.message));
    const r = runUntil(runtime, 3);
    const half = line('B', 2);
    appendFileSync(input, half.slice(0, 10));
    appendFileSync(input, half.slice(10) + 'not json\n' + line('C', 3));
    await r.done;
    expect(r.out).toEqual([['A', 1], ['B', 2], ['C', 3]]);
    expect(errors).toEqual([expect.stringMatching(/^source 'file' of stream 'S': payload does not map: not valid JSON/)]);
  });
});
