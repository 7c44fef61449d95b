// Exactly-once under crashes: `siddhi run --checkpoint-dir` is SIGKILLed at
// random moments and restarted with the same arguments until it finishes; the
// output must be byte-identical to an uninterrupted run. Two apps: windows and
// rejected lines over random times, and ties (a time window, a timeBatch, a
// session window and a rate limiter due at the same instants, whose order must
// survive a restore). A few kills over a shorter input by default; `npm run
// test:crash` (CRASH_KILLS=20) is the long run, over the full input (100k and
// 40k events), CRASH_KILLS=n any other (CRASH_EVENTS=n sets the first app's input, the second's scales with it).

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCli } from './built-cli.js';
import { createRandom } from '../../bench/lib/events.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 3);
// The default run's few kills need no more than 40k events (the child processes' CPU was most of npm test's longest file).
const EVENTS = Number(process.env.CRASH_EVENTS ?? (KILLS > 3 ? 100_000 : 40_000));
const TIE_EVENTS = Math.round(EVENTS * 0.4);
const SEED = Number(process.env.CRASH_SEED ?? 20240611);
const SYMBOLS = ['IBM', 'ORCL', 'MSFT', 'GOOG', 'AAPL', 'AMZN', 'META', 'NFLX'];

const APP = `@app:name('CrashTest')
define stream Trades (symbol string, price double, volume long);

@info(name = 'moving')
from Trades#window.length(500)
select symbol, sum(volume) as totalVolume, avg(price) as avgPrice, count() as trades
group by symbol
insert into Moving;

@info(name = 'perSecond')
from Trades#window.timeBatch(1 sec)
select symbol, count() as trades, max(price) as high
group by symbol
insert into PerSecond;
`;

/** Four kinds of timer, all due on whole seconds from the first event (at 1000) when events come on a 250 ms grid. */
const TIE_APP = `@app:name('TieTest')
define stream Trades (symbol string, price double, volume long);

@info(name = 'sliding')
from Trades#window.time(1 sec)
select symbol, count() as trades, sum(volume) as volume
group by symbol
insert all events into Sliding;

@info(name = 'batches')
from Trades#window.timeBatch(1 sec)
select symbol, count() as trades, max(price) as high
group by symbol
insert into Batches;

@info(name = 'sessions')
from Trades#window.session(1 sec, symbol)
select symbol, count() as trades
group by symbol
insert all events into Sessions;

@info(name = 'limited')
from Trades
select symbol, price
output last every 1 sec
insert into Limited;
`;

const trade = (random: () => number, time: number): string => {
  const symbol = SYMBOLS[Math.floor(random() * SYMBOLS.length)];
  return JSON.stringify({ stream: 'Trades', data: [symbol, Math.round(random() * 10_000) / 100, Math.floor(random() * 1_000)], time });
};

/** Trades over ~17 minutes of event time (100k events; ~7 at the default 40k), a clock line now and then, a few rejected lines, and a final flush. */
function generateInput(random: () => number): string {
  const lines: string[] = [];
  let time = 1_000;
  for (let i = 0; i < EVENTS; i++) {
    time += Math.floor(random() * 20);
    if (i % 9_973 === 17) lines.push(JSON.stringify({ stream: 'Trades', data: ['BAD', 'not a price', 1], time }));
    if (i % 4_999 === 4_998) lines.push(JSON.stringify({ time: time + 1_500 }));
    lines.push(trade(random, time));
  }
  lines.push(JSON.stringify({ time: time + 5_000 }));
  return `${lines.join('\n')}\n`;
}

/**
 * Trades on a 250 ms grid from 1000, a few per instant, with quiet stretches
 * (clock lines) that end sessions: every timer of TIE_APP falls on a whole second.
 */
function generateTieInput(random: () => number): string {
  const lines: string[] = [];
  let time = 1_000;
  for (let i = 0; i < TIE_EVENTS; ) {
    const burst = 1 + Math.floor(random() * 3);
    for (let j = 0; j < burst; j++, i++) lines.push(trade(random, time));
    const r = random();
    if (r < 0.04) {
      time += 1_000 * (1 + Math.floor(random() * 3));
      lines.push(JSON.stringify({ time }));
    }
    time += 250 * (1 + Math.floor(random() * 2));
  }
  lines.push(JSON.stringify({ time: time + 5_000 }));
  return `${lines.join('\n')}\n`;
}

interface Attempt {
  readonly code: number | null;
  readonly killed: boolean;
  readonly stderr: string;
}

const dir = mkdtempSync(join(tmpdir(), 'siddhi-crash-'));
let cli: string;

/** Runs the CLI; `killWhen` is polled every few ms and SIGKILLs the process once it returns true. */
function runCli(args: string[], killWhen?: (elapsedMs: number) => boolean): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const started = performance.now();
    const poll = killWhen && setInterval(() => {
      if (!killed && killWhen(performance.now() - started)) {
        killed = child.kill('SIGKILL');
      }
    }, 3);
    child.on('error', reject);
    child.on('close', (code) => {
      if (poll) clearInterval(poll);
      resolve({ code, killed, stderr });
    });
  });
}

const sizeOf = (file: string): number => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

interface CrashCase {
  readonly name: string;
  readonly app: string;
  readonly input: (random: () => number) => string;
  /** Exit code of every complete run (1 when the input has rejected lines). */
  readonly code: number;
}

/** Runs `c` uninterrupted, then killed and resumed until it completes; both outputs must be the same bytes. */
async function crashLoop(c: CrashCase): Promise<void> {
  const caseDir = join(dir, c.name);
  mkdirSync(caseDir);
  const appFile = join(caseDir, 'app.siddhi');
  const inputFile = join(caseDir, 'events.jsonl');
  writeFileSync(appFile, c.app);
  writeFileSync(inputFile, c.input(createRandom(SEED)));
  const t0 = performance.now();
  const reference = join(caseDir, 'reference.jsonl');
  const ref = await runCli(['run', appFile, '--input', inputFile, '--output', reference]);
  expect(ref.code, ref.stderr).toBe(c.code);
  const expected = readFileSync(reference);
  const refMs = performance.now() - t0;

  const output = join(caseDir, 'out.jsonl');
  const checkpointDir = join(caseDir, 'checkpoints');
  const args = ['run', appFile, '--input', inputFile, '--output', output, '--checkpoint-dir', checkpointDir, '--checkpoint-interval', '20ms'];
  const random = createRandom(SEED + 1);
  let kills = 0;
  let attempts = 0;
  let resumes = 0;
  let last: Attempt | undefined;
  while (attempts < KILLS * 3 + 5) {
    attempts++;
    let plan: (elapsedMs: number) => boolean;
    // Kills land once the run is past where earlier attempts got, a share of what is left further on.
    const floor = sizeOf(output);
    const share = (2 * (expected.length - floor)) / (KILLS - kills + 3);
    if (kills >= KILLS) plan = () => false;
    else if (kills % 4 === 1) {
      // Some land anywhere: during start-up, the restore, or the output truncation, within half the reference
      // run. That run may have been slowed by a loaded host: should this one get past the share of the output
      // first, it is killed there (else it could finish first, one kill short).
      const at = random() * Math.min(1_200, refMs / 2);
      const past = floor + share;
      plan = (elapsed) => elapsed >= at || sizeOf(output) > past;
    } else {
      const at = floor + random() * share;
      plan = () => sizeOf(output) > at;
    }
    last = await runCli(args, plan);
    if (last.stderr.includes('resumed from checkpoint')) resumes++;
    if (last.killed) kills++;
    else break;
  }
  const crashMs = performance.now() - t0 - refMs;
  const appName = /@app:name\('(\w+)'\)/.exec(c.app)![1]!;
  const files = readdirSync(join(checkpointDir, appName));
  expect(files.filter((n) => !n.endsWith('.sdck')), 'temp files of killed saves are cleaned up').toEqual([]);
  const summary = /checkpoints: .*\n(?: {2}.*\n)*/.exec(last!.stderr)?.[0] ?? '(no summary)';
  const actual = readFileSync(output);
  console.log(
    `crash test ${c.name}: ${kills} kills in ${attempts} attempts, ${resumes} resumes, output ${actual.equals(expected) ? 'identical' : 'DIFFERENT'} ` +
      `(${expected.length} bytes); reference run ${refMs.toFixed(0)} ms, crash runs ${crashMs.toFixed(0)} ms; ${files.length} checkpoint files kept\n` +
      `last attempt: ${summary}`,
  );
  expect(last!.killed).toBe(false);
  expect(last!.code, last!.stderr).toBe(c.code);
  expect(kills).toBeGreaterThanOrEqual(KILLS);
  expect(resumes).toBeGreaterThan(0);
  expect(actual.length).toBe(expected.length);
  expect(actual.equals(expected)).toBe(true);

  // A finished run is complete: running it again changes nothing.
  const again = await runCli(args);
  expect(again.stderr).toContain('already complete');
  expect(readFileSync(output).equals(expected)).toBe(true);
}

beforeAll(() => {
  cli = builtCli();
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('siddhi run --checkpoint-dir under SIGKILL', () => {
  it(`survives ${KILLS} kills with byte-identical output (${EVENTS} events)`, async () => {
    await crashLoop({ name: 'windows', app: APP, input: generateInput, code: 1 });
  }, 300_000);

  it(`survives ${KILLS} kills with byte-identical output when timers are due together (${TIE_EVENTS} events)`, async () => {
    await crashLoop({ name: 'ties', app: TIE_APP, input: generateTieInput, code: 0 });
  }, 300_000);
});
