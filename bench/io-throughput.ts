// Events/s through the sources: the same app fed in-process (input handler),
// through the http source (POSTs of one event, and of arrays of 100, over 8
// keep-alive connections on 127.0.0.1), the file source (a JSON-lines file
// written first) and the redis-stream source (entries XADDed first, then
// consumed with ack), side by side in one run.
// The redis part starts its own redis-server on a free port when one is installed.
// Usage: npx tsx bench/io-throughput.ts [--quick]

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { SiddhiManager, type SiddhiAppRuntime } from '../src/index.js';
import { isQuick, writeResults } from './lib/machine.js';
import { formatRate, printTable } from './lib/table.js';

const quick = isQuick();
const N = quick ? 20_000 : 200_000;
const QUERY = 'from S[price > 10.0] select symbol, price * 2.0 as p insert into Out;';
const S = 'define stream S (symbol string, price double, volume long);';
const payload = (i: number) => ({ event: { symbol: `S${i % 100}`, price: 5 + (i % 50), volume: i } });

/** Starts `app`, resolves with events/s once `n` events reached S. */
async function measure(app: string, n: number, feed: (runtime: SiddhiAppRuntime) => Promise<void>): Promise<number> {
  const runtime = new SiddhiManager().createSiddhiAppRuntime(app);
  let seen = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  runtime.addCallback('S', (es) => { seen += es.length; if (seen >= n) done(); });
  runtime.start();
  await runtime.ready();
  const t0 = performance.now();
  await feed(runtime);
  await all;
  const rate = n / ((performance.now() - t0) / 1000);
  runtime.shutdown();
  return rate;
}

async function inProcess(): Promise<number> {
  return measure(`${S} ${QUERY}`, N, async (r) => {
    const h = r.getInputHandler('S');
    for (let i = 0; i < N; i++) { const e = payload(i).event; h.send([e.symbol, e.price, e.volume]); }
  });
}

// node:http with keep-alive: fetch (undici) measured ~20 ms per request here against ~3 ms.
const agent = new Agent({ keepAlive: true, maxSockets: 8 });
function post(url: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
    req.end(body);
  });
}

async function http(batch: number): Promise<number> {
  const n = quick ? N / 10 : N / (batch === 1 ? 10 : 1);
  const app = `@source(type='http', receiver.url='http://127.0.0.1:0/s') ${S} ${QUERY}`;
  return measure(app, n, async (r) => {
    const url = r.sources()[0]!.address!;
    let next = 0;
    const worker = async () => {
      while (next < n) {
        const from = next;
        next += batch;
        const items = Array.from({ length: Math.min(batch, n - from) }, (_, k) => payload(from + k));
        await post(url, JSON.stringify(batch === 1 ? items[0] : items));
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  });
}

async function fileSource(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'siddhi-bench-io-'));
  try {
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, Array.from({ length: N }, (_, i) => `${JSON.stringify(payload(i))}\n`).join(''));
    return await measure(`@source(type='file', file.uri='${file}', tailing='false') ${S} ${QUERY}`, N, async () => {});
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function redisStream(): Promise<number | undefined> {
  const port = await new Promise<number>((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); }); });
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const ok = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(false));
    child.stdout!.on('data', (c) => { if (String(c).includes('Ready to accept')) resolve(true); });
  });
  if (!ok) return undefined;
  try {
    const client = new Redis(`redis://127.0.0.1:${port}`);
    for (let i = 0; i < N; i += 1000) {
      const p = client.pipeline();
      for (let k = i; k < Math.min(N, i + 1000); k++) p.xadd('in', '*', 'payload', JSON.stringify(payload(k)));
      await p.exec();
    }
    client.disconnect();
    const app = `@source(type='redis-stream', url='redis://127.0.0.1:${port}', stream.key='in', group.start='0', batch.size='1000') ${S} ${QUERY}`;
    return await measure(app, N, async () => {});
  } finally {
    process.kill(child.pid!, 'SIGTERM');
  }
}

// 8 keep-alive connections, as many requests in flight.
const rows: [string, number | undefined][] = [
  ['in-process (input handler)', await inProcess()],
  ['http source, 1 event per POST', await http(1)],
  ['http source, 100 events per POST', await http(100)],
  ['file source (JSON lines, json mapper)', await fileSource()],
  ['redis-stream source (consumer group, ack)', await redisStream()],
];
const base = rows[0]![1]!;
printTable(`events/s through the sources (${N} events; filter + projection)`, ['path', 'events/s', 'vs in-process'],
  rows.map(([name, rate]) => [name, rate === undefined ? 'redis-server missing' : formatRate(rate), rate === undefined ? undefined : `${(rate / base).toFixed(3)}×`]));
writeResults('io-throughput', quick, { events: N, rates: Object.fromEntries(rows) });
