// Issue 13, CLI input: a UTF-8 BOM and CR line endings, mixed timed and
// untimed event lines, output that cannot be written as JSON, an unknown --stream.

import { describe, expect, it } from 'vitest';
import { invokeCli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

const { file } = tempFiles('siddhi-cli-input-');

const APP_TEXT = 'define stream S (symbol string, price double);\nfrom S[price > 10.0] select symbol, price insert into Out;\n';
const APP = file('app.siddhi', APP_TEXT);
const e = (symbol: string, price: number, time?: number) => JSON.stringify({ stream: 'S', data: [symbol, price], ...(time !== undefined ? { time } : {}) });
const EXPECTED = '{"stream":"Out","time":1000,"data":["IBM",20],"expired":false}\n{"stream":"Out","time":2000,"data":["ORCL",30],"expired":false}\n';

describe('line endings and BOM', () => {
  it.each([
    ['LF', '\n', ''],
    ['CRLF', '\r\n', ''],
    ['CR', '\r', ''],
    ['BOM + CRLF', '\r\n', '\uFEFF'],
  ])('%s input is read', async (_, eol, bom) => {
    const input = file(`in-${_}.jsonl`, `${bom}${[e('IBM', 20, 1000), e('X', 1, 1500), e('ORCL', 30, 2000)].join(eol)}${eol}`);
    const r = await invokeCli('run', APP, '--input', input);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(EXPECTED);
    expect(r.code).toBe(0);
  });

  it('an app file with a BOM and CR line endings is read', async () => {
    const app = file('bom.siddhi', `\uFEFF${APP_TEXT.replace(/\n/g, '\r')}`);
    const r = await invokeCli('run', app, '--input', file('plain.jsonl', `${e('IBM', 20, 1000)}\n${e('ORCL', 30, 2000)}\n`));
    expect(r.stdout).toBe(EXPECTED);
    expect(r.code).toBe(0);
  });
});

describe('mixed timed and untimed events', () => {
  it('is a usage error naming the first line without a time', async () => {
    const input = file('mixed.jsonl', `${e('IBM', 20, 1000)}\n\n${e('X', 12)}\n${e('ORCL', 30, 2000)}\n${e('Y', 13)}\n`);
    const r = await invokeCli('run', APP, '--input', input);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${input}:3: an event without a "time", while ${input}:1 has one`);
    // The input is streamed: what came before the bad line was processed.
    expect(r.stdout).toBe('{"stream":"Out","time":1000,"data":["IBM",20],"expired":false}\n');
  });

  it('all untimed events run on the wall clock', async () => {
    const r = await invokeCli('run', APP, '--input', file('untimed.jsonl', `${e('IBM', 20)}\n${e('ORCL', 30)}\n`));
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });
});

describe('streamed input', () => {
  it('merges files by time', async () => {
    const a = file('a.jsonl', `${e('IBM', 20, 1000)}\n${e('ORCL', 30, 3000)}\n`);
    const b = file('b.jsonl', `${e('MSFT', 40, 2000)}\n{"time":5000}\n`);
    const r = await invokeCli('run', APP, '--input', a, '--input', b);
    expect(r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l).time)).toEqual([1000, 2000, 3000]);
    expect(r.code).toBe(0);
  });

  it('a clock line on the wall clock is a usage error', async () => {
    const r = await invokeCli('run', APP, '--input', file('wall-clock.jsonl', `${e('IBM', 20)}\n{"time":5}\n`));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/wall-clock.jsonl:2: a \{"time":…\} line needs playback mode/);
  });
});

describe('output that cannot be written', () => {
  it('exits non-zero naming the stream and time of the event, and writes the others', async () => {
    // JSON input cannot hold such values, so the output path is driven directly with the CLI's connect().
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const { connect } = await import('../../src/cli/run-lines.js');
    const { SiddhiManager } = await import('../../src/index.js');
    const rt = new SiddhiManager().createSiddhiAppRuntime('define stream S (v object, n int);\nfrom S select v, n insert into Out;', { playback: true });
    let stderr = '';
    let stdout = '';
    const status = connect(rt, ['Out'], (t) => (stdout += t), { stdout: { write: () => {} }, stderr: { write: (t: string) => (stderr += t) } });
    rt.start();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    rt.getInputHandler('S').send([circular, 1], 1000);
    rt.getInputHandler('S').send([{ toJSON() { throw new Error('nope'); } }, 2], 2000);
    rt.getInputHandler('S').send([deep, 3], 2500);
    rt.getInputHandler('S').send(['fine', 4], 3000);
    expect(status.unwritable).toBe(3);
    expect(stderr).toMatch(/cannot write an output event of stream 'Out' at time 1000 as JSON/);
    expect(stderr).toMatch(/at time 2000 as JSON: nope/);
    expect(stdout).toBe('{"stream":"Out","time":3000,"data":["fine",4],"expired":false}\n');
  });
});

describe('output that cannot be written, end to end', () => {
  it('siddhi run exits 1 naming the event whose value a script made circular, and writes the others', async () => {
    const app = file('circular.siddhi', `define function shape[javascript] return object {
        if (data[0] > 1) return data[0];
        const o = {}; o.self = o; return o;
      };
      define stream S (n int);
      from S select shape(n) as v insert into Out;`);
    const input = file('circular.jsonl', ['{"stream":"S","data":[1],"time":1000}', '{"stream":"S","data":[2],"time":2000}', ''].join('\n'));
    const r = await invokeCli('run', app, '--input', input);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot write an output event of stream 'Out' at time 1000 as JSON/);
    expect(r.stdout).toBe('{"stream":"Out","time":2000,"data":[2],"expired":false}\n');
  });
});

describe('--stream', () => {
  it('an unknown name is a usage error with a suggestion', async () => {
    const r = await invokeCli('run', APP, '--input', file('one.jsonl', `${e('IBM', 20, 1000)}\n`), '--stream', 'Ot');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--stream 'Ot': no such stream in the app; did you mean 'Out'\?/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
