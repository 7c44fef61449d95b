// Test helper for scale-out: the seeded input (events over 40 keys, clock
// lines), child processes of the built CLI (route, worker) stopped by PID,
// and polling the broker until a condition holds (real processes, so the test
// waits on what they report, not on sleeps of fixed length).

import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { createRandom } from '../../bench/lib/events.js';

export const APP = (name: string): string => `@app:name('${name}')
define stream Trades (symbol string, price double, volume long);

partition with (symbol of Trades) begin
  @info(name = 'moving')
  from Trades#window.length(20) select symbol, sum(volume) as total, avg(price) as avgPrice insert into Moving;
  @info(name = 'perSecond')
  from Trades#window.timeBatch(1 sec) select symbol, count() as trades, max(price) as high insert into PerSecond;
  @info(name = 'rise')
  from every a=Trades -> b=Trades[price > a.price * 1.05] within 2 sec
  select a.symbol as symbol, a.price as before, b.price as after insert into Rises;
end;

@info(name = 'big')
from Trades[volume > 990] select symbol, volume insert into Big;
`;

export const UNSAFE_APP = `@app:name('Unsafe')
define stream Trades (symbol string, price double, volume long);
@info(name = 'total')
from Trades#window.length(100) select sum(volume) as volume insert into Totals;
`;

/** JSON lines: `events` trades over 40 keys, 0–4 ms apart, a clock line now and then, a final clock line. */
export function generateLines(events: number, seed: number): string[] {
  const random = createRandom(seed);
  const lines: string[] = [];
  let time = 1_000;
  for (let i = 0; i < events; i++) {
    time += Math.floor(random() * 5);
    if (i % 3_000 === 2_999) lines.push(JSON.stringify({ time: time + 700 }));
    const data = [`K${Math.floor(random() * 40)}`, Math.round(random() * 10_000) / 100, Math.floor(random() * 1_000)];
    lines.push(JSON.stringify({ stream: 'Trades', data, time }));
  }
  lines.push(JSON.stringify({ time: time + 5_000 }));
  return lines;
}

export interface Child {
  readonly process: ChildProcess;
  stderr: string;
  /** The exit code once the process has exited and its stderr has ended ('close'), so `stderr` is whole. */
  readonly exited: Promise<number | null>;
}

export function startCli(cli: string, args: readonly string[]): Child {
  const process_ = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const child: Child = {
    process: process_,
    stderr: '',
    // Not 'exit': the child's stdio may still be open then, and the end of stderr unread.
    exited: new Promise((resolve) => process_.once('close', (code) => resolve(code))),
  };
  process_.stderr!.on('data', (c: Buffer) => (child.stderr += c.toString()));
  return child;
}

export async function runCli(cli: string, args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const child = startCli(cli, args);
  const code = await child.exited;
  return { code, stderr: child.stderr };
}

/** Polls `check` every 20 ms until it returns a value other than undefined; fails after `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const t0 = performance.now();
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(20);
  }
}

/** Counts of lines missing from, duplicated in and unexpected in `actual`, against `expected`. */
export function diffLines(actual: readonly string[], expected: readonly string[]): { missing: number; duplicated: number; unexpected: number } {
  const count = (lines: readonly string[]) => {
    const m = new Map<string, number>();
    for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
    return m;
  };
  const a = count(actual);
  const e = count(expected);
  let missing = 0;
  let duplicated = 0;
  let unexpected = 0;
  for (const [line, n] of e) {
    const got = a.get(line) ?? 0;
    if (got < n) missing += n - got;
    else duplicated += got - n;
  }
  for (const [line, n] of a) if (!e.has(line)) unexpected += n;
  return { missing, duplicated, unexpected };
}
