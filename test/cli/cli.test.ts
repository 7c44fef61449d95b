// The `siddhi` CLI's contract: exit codes (0 ok, 1 app error, 2 usage error),
// error locations with a caret, help texts, and the run command's clock rules.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invokeCli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

const { dir, file } = tempFiles('siddhi-cli-');

const APP = file('app.siddhi', 'define stream S (symbol string, price double);\nfrom S[price > 10.0] select symbol, price insert into Out;\n');
const BAD_SYNTAX = file('bad-syntax.siddhi', 'define stream S (symbol string, price double);\nfrom S[price > ] select symbol insert into Out;\n');
const BAD_PLAN = file('bad-plan.siddhi', 'define stream S (symbol string, price double);\nfrom S select volume insert into Out;\n');

describe('usage', () => {
  it('prints the overview with --help and exits 0', async () => {
    const r = await invokeCli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('siddhi run');
    expect(r.stdout).toContain('siddhi check');
  });

  it.each(['run', 'check', 'checkpoints'])('%s --help prints its usage and exits 0', async (cmd) => {
    const r = await invokeCli(cmd, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`usage: siddhi ${cmd}`);
  });

  it('help <command> is the same as <command> --help', async () => {
    expect((await invokeCli('help', 'run')).stdout).toBe((await invokeCli('run', '--help')).stdout);
  });

  it('prints the version', async () => {
    const r = await invokeCli('--version');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    ['no command', []],
    ['an unknown command', ['frobnicate']],
    ['an unknown option', ['run', APP, '--input', 'x.jsonl', '--frob']],
    ['run without --input', ['run', APP]],
    ['run without an app', ['run', '--input', 'x.jsonl']],
    ['run with a missing app file', ['run', join(dir, 'missing.siddhi'), '--input', 'x.jsonl']],
    ['check without a file', ['check']],
  ])('exits 2 for %s', async (_name, argv) => {
    const r = await invokeCli(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toBe('');
  });

  it('exits 2 with file and line for a malformed input line', async () => {
    const input = file('malformed.jsonl', '{"stream":"S","data":["IBM",20.0],"time":1}\n{"stream":"S","data":\n');
    const r = await invokeCli('run', APP, '--input', input);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('malformed.jsonl:2');
  });
});

describe('check', () => {
  it('accepts a valid app', async () => {
    const r = await invokeCli('check', APP);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${APP}: ok`);
  });

  it('reports a syntax error with line, column and a caret; exits 1', async () => {
    const r = await invokeCli('check', BAD_SYNTAX);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${escape(BAD_SYNTAX)}:2:\\d+: syntax error`));
    expect(r.stderr).toContain('  2 | from S[price > ]');
    expect(r.stderr).toMatch(/\n {2} {2}\| +\^/);
  });

  it('reports an unknown attribute with its location; exits 1', async () => {
    const r = await invokeCli('check', BAD_PLAN);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${escape(BAD_PLAN)}:2:15: error`));
    expect(r.stderr).toContain('volume');
  });

  it('checks every file and exits 1 when any fails', async () => {
    const r = await invokeCli('check', APP, BAD_PLAN);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${APP}: ok`);
  });
});

describe('run', () => {
  it('prints output events as JSON lines', async () => {
    const input = file('in.jsonl', '{"stream":"S","data":["IBM",20.0],"time":1000}\n\n{"stream":"S","data":["X",5.0],"time":1001}\n');
    const r = await invokeCli('run', APP, '--input', input);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"stream":"Out","time":1000,"data":["IBM",20],"expired":false}\n');
  });

  it("prints a float attribute as Java's Float.toString (55.6, 111.2), not the double it is held as", async () => {
    const app = file('floats.siddhi', 'define stream S (symbol string, price float, volume long);\nfrom S select symbol, price, price * 2 as doubled, volume insert into Out;\n');
    const input = file('floats.jsonl', '{"stream":"S","data":["WSO2",55.6,100],"time":1000}\n');
    const r = await invokeCli('run', app, '--input', input);
    expect(r.stdout).toBe('{"stream":"Out","time":1000,"data":["WSO2",55.6,111.2,100],"expired":false}\n');
  });

  it('writes to --output', async () => {
    const input = file('in2.jsonl', '{"stream":"S","data":["IBM",20.0],"time":1000}\n');
    const out = join(dir, 'out.jsonl');
    const r = await invokeCli('run', APP, '-i', input, '-o', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe('{"stream":"Out","time":1000,"data":["IBM",20],"expired":false}\n');
  });

  it('merges several input files by time', async () => {
    const a = file('a.jsonl', '{"stream":"S","data":["A1",11.0],"time":1}\n{"stream":"S","data":["A3",13.0],"time":3}\n');
    const b = file('b.jsonl', '{"stream":"S","data":["B2",12.0],"time":2}\n');
    const r = await invokeCli('run', APP, '--input', a, '--input', b);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).data[0])).toEqual(['A1', 'B2', 'A3']);
  });

  it('prints only the --stream streams', async () => {
    const input = file('in3.jsonl', '{"stream":"S","data":["IBM",20.0],"time":1000}\n');
    const r = await invokeCli('run', APP, '--input', input, '--stream', 'S');
    expect(r.stdout).toBe('{"stream":"S","time":1000,"data":["IBM",20],"expired":false}\n');
  });

  it('reports a rejected event with file and line, goes on, and exits 1', async () => {
    const input = file('reject.jsonl', '{"stream":"S","data":["IBM"],"time":1000}\n{"stream":"S","data":["IBM",20.0],"time":1001}\n');
    const r = await invokeCli('run', APP, '--input', input);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('reject.jsonl:1: rejected event');
    expect(r.stdout).toContain('"time":1001');
  });

  it('exits 1 with the location when the app does not compile', async () => {
    const input = file('in4.jsonl', '{"stream":"S","data":["IBM",20.0],"time":1000}\n');
    const r = await invokeCli('run', BAD_PLAN, '--input', input);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/:2:15: error/);
  });

  it('refuses clock lines outside playback (an event without a time)', async () => {
    const input = file('mixed.jsonl', '{"stream":"S","data":["IBM",20.0]}\n{"time":5000}\n');
    const r = await invokeCli('run', APP, '--input', input);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('mixed.jsonl:2');
  });

  it('with --playback every event needs a time', async () => {
    const input = file('untimed.jsonl', '{"stream":"S","data":["IBM",20.0]}\n');
    const r = await invokeCli('run', APP, '--input', input, '--playback');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('untimed.jsonl:1');
  });

  it('runs on the wall clock when events carry no time', async () => {
    const input = file('live.jsonl', '{"stream":"S","data":["IBM",20.0]}\n');
    const r = await invokeCli('run', APP, '--input', input);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).data).toEqual(['IBM', 20]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
