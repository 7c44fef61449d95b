// Issue 13: a parser/planner fuzz test. Apps are conformance case apps with
// token-level mutations (drop, duplicate, swap, replace with a token from
// anywhere, insert junk); every rejection must be a SiddhiError with a line
// and column, and an accepted app must only ever throw SiddhiErrors on events,
// advanceTime, snapshot and restore. FUZZ_RUNS=n for a longer run (default 150).

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SiddhiError, SiddhiManager, type SiddhiAppRuntime } from '../../src/index.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 13);

const casesDir = fileURLToPath(new URL('../conformance/cases/', import.meta.url));
const seeds = readdirSync(casesDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => (JSON.parse(readFileSync(casesDir + f, 'utf8')) as { app: string }).app)
  .filter((app) => !/@source|@sink/.test(app));

/** Words, numbers, strings and single symbols: a rough SiddhiQL tokenization, good enough to mutate. */
function tokenize(app: string): string[] {
  return app.match(/'[^']*'|"[^"]*"|[A-Za-z_][A-Za-z0-9_]*|\d+(\.\d+)?[LlFfDd]?|\s+|./g) ?? [];
}

const VOCABULARY = [...new Set(seeds.flatMap(tokenize).filter((t) => t.trim() !== ''))];
const JUNK = ['(', ')', '[', ']', ',', ';', '#', '@', '-', '->', '*', "'", '`', '\u0000', '\uD800', '999999999999999999999', 'toString', '__proto__', 'constructor', 'every', 'within', 'not'];

type Mutation = { op: 'drop' | 'dup' | 'swap' | 'vocab' | 'junk'; at: number; pick: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('drop', 'dup', 'swap', 'vocab', 'junk'),
  at: fc.nat(),
  pick: fc.nat(),
});

function mutate(app: string, mutations: readonly Mutation[]): string {
  const tokens = tokenize(app);
  for (const m of mutations) {
    if (tokens.length === 0) break;
    const i = m.at % tokens.length;
    switch (m.op) {
      case 'drop': tokens.splice(i, 1); break;
      case 'dup': tokens.splice(i, 0, tokens[i]!); break;
      case 'swap': {
        const j = m.pick % tokens.length;
        [tokens[i], tokens[j]] = [tokens[j]!, tokens[i]!];
        break;
      }
      case 'vocab': tokens[i] = VOCABULARY[m.pick % VOCABULARY.length]!; break;
      case 'junk': tokens.splice(i, 0, JUNK[m.pick % JUNK.length]!); break;
    }
  }
  return tokens.join('');
}

/** Values of every type (and some of the wrong one): events may be refused, with a SiddhiError. */
const VALUES: unknown[] = ['IBM', '', 0, 1, -1, 2.5, 1e300, NaN, true, false, null, 7n, 'x'.repeat(100), { a: 1 }, [1]];

interface Figures { tried: number; rejected: number; accepted: number; nonSiddhi: string[] }

function expectSiddhi(figures: Figures, app: string, where: string, f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof SiddhiError)) figures.nonSiddhi.push(`${where}: ${(e as Error)?.stack ?? String(e)}\n--- app ---\n${app}`);
  }
}

function drive(figures: Figures, app: string, rt: SiddhiAppRuntime, pick: number): void {
  const streams = rt.inputStreamNames;
  for (const s of rt.streamNames) expectSiddhi(figures, app, `callback ${s}`, () => rt.addCallback(s, () => {}));
  expectSiddhi(figures, app, 'start', () => rt.start());
  let time = 1000;
  for (let k = 0; k < 12; k++) {
    const stream = streams[(pick + k) % Math.max(1, streams.length)];
    if (stream === undefined) break;
    const arity = rt.getStreamAttributes(stream).length;
    const data = Array.from({ length: arity }, (_, j) => VALUES[(pick * 7 + k * 3 + j) % VALUES.length]);
    time += (pick + k) % 3 === 0 ? 1500 : 10;
    expectSiddhi(figures, app, `send ${stream}`, () => rt.getInputHandler(stream).send(data, time));
  }
  expectSiddhi(figures, app, 'advanceTime', () => rt.advanceTime(time + 5000));
  let bytes: Uint8Array | undefined;
  expectSiddhi(figures, app, 'snapshot', () => {
    bytes = rt.snapshot();
  });
  rt.shutdown();
  if (bytes === undefined) return;
  const fresh = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
  expectSiddhi(figures, app, 'restore', () => {
    fresh.start();
    fresh.restore(bytes!);
    fresh.advanceTime(time + 10_000);
  });
  fresh.shutdown();
}

describe('parser/planner fuzz', () => {
  it(`every rejection is a located SiddhiError; accepted apps throw only SiddhiErrors (${RUNS} mutated apps)`, () => {
    const figures: Figures = { tried: 0, rejected: 0, accepted: 0, nonSiddhi: [] };
    const unlocated: string[] = [];
    const silence = console.error;
    console.error = () => {};
    try {
      fc.assert(
        fc.property(fc.nat(seeds.length - 1), fc.array(mutationArb, { minLength: 0, maxLength: 3 }), fc.nat(), (s, mutations, pick) => {
          const app = mutate(seeds[s]!, mutations);
          figures.tried++;
          let rt: SiddhiAppRuntime;
          try {
            rt = new SiddhiManager().createSiddhiAppRuntime(app, { playback: true });
          } catch (e) {
            figures.rejected++;
            if (!(e instanceof SiddhiError)) figures.nonSiddhi.push(`create: ${(e as Error)?.stack ?? String(e)}\n--- app ---\n${app}`);
            else if (e.line === undefined || e.column === undefined) unlocated.push(`${e.message}\n--- app ---\n${app}`);
            return;
          }
          figures.accepted++;
          drive(figures, app, rt, pick);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    } finally {
      console.error = silence;
    }
    console.log(`fuzz: ${figures.tried} apps tried, ${figures.rejected} rejected, ${figures.accepted} accepted; non-Siddhi errors: ${figures.nonSiddhi.length}; rejections without a location: ${unlocated.length}`);
    expect(figures.nonSiddhi.slice(0, 3)).toEqual([]);
    expect(unlocated.slice(0, 3)).toEqual([]);
  });
});
