// `siddhi query`: an on-demand query against the newest checkpoint that
// `siddhi run --checkpoint-dir` left, without running the app again.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invokeCli } from './run-cli.js';
import { tempFiles } from '../temp-files.js';

const { dir, file } = tempFiles('siddhi-cli-query-');

const APP = file('app.siddhi', `@app:name('Prices')
define stream Trades (symbol string, price double, volume long);
@PrimaryKey('symbol')
define table Latest (symbol string, price double, volume long);
from Trades update or insert into Latest on Latest.symbol == symbol;
`);
const INPUT = file('trades.jsonl', [
  { stream: 'Trades', data: ['IBM', 75.5, 100], time: 1000 },
  { stream: 'Trades', data: ['WSO2', 57.5, 200], time: 1010 },
  { stream: 'Trades', data: ['IBM', 76.5, 300], time: 1020 },
].map((l) => JSON.stringify(l)).join('\n') + '\n');

describe('siddhi query', () => {
  it('reads the tables of the newest checkpoint', async () => {
    const cp = join(dir, 'cp');
    const run = await invokeCli('run', APP, '-i', INPUT, '-o', join(dir, 'out.jsonl'), '--checkpoint-dir', cp, '--checkpoint-interval', '0');
    expect(run.code).toBe(0);
    const before = readdirSync(join(cp, 'Prices')).sort();
    const r = await invokeCli('query', APP, '--checkpoint-dir', cp, 'from Latest on price > 60 select symbol, price, volume');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('{"data":["IBM",76.5,300]}\n');
    const sum = await invokeCli('query', APP, '--checkpoint-dir', cp, 'from Latest select sum(volume) as total');
    expect(sum.stdout).toBe('{"data":[500]}\n');
    // Writes stay in the restored copy.
    expect((await invokeCli('query', APP, '--checkpoint-dir', cp, 'delete Latest on Latest.volume > 0')).code).toBe(0);
    expect(readdirSync(join(cp, 'Prices')).sort()).toEqual(before);
  });

  it('writes a float as siddhi run does (55.6, not 55.599998474121094)', async () => {
    const app = file('float-app.siddhi', `@app:name('FloatPrices')
define stream Trades (symbol string, price float);
define table Latest (symbol string, price float);
from Trades insert into Latest;
`);
    const input = file('float-trades.jsonl', '{"stream":"Trades","data":["WSO2",55.6],"time":1000}\n');
    const cp = join(dir, 'cp-float');
    const run = await invokeCli('run', app, '-i', input, '-o', join(dir, 'float-out.jsonl'), '--checkpoint-dir', cp, '--checkpoint-interval', '0');
    expect(run.code).toBe(0);
    const r = await invokeCli('query', app, '--checkpoint-dir', cp, 'from Latest select symbol, price, price * 2 as twice, convert(price, "double") as wide');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('{"data":["WSO2",55.6,111.2,55.599998474121094]}\n');
  });

  it('reports query errors with a caret, a missing checkpoint, and usage errors', async () => {
    const cp = join(dir, 'cp');
    const bad = await invokeCli('query', APP, '--checkpoint-dir', cp, 'from Latest on prize > 1');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("query:1:16: error [PLAN]: on-demand query: table 'Latest' has no attribute 'prize'");
    expect(bad.stderr).toContain('^');
    const none = await invokeCli('query', APP, '--checkpoint-dir', join(dir, 'empty'), 'from Latest');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no checkpoint of app 'Prices'");
    expect((await invokeCli('query', APP, 'from Latest')).code).toBe(2);
  });

  it('takes the checkpoint directory alone (--app NAME): the app text is the one siddhi run saved', async () => {
    const cp = join(dir, 'cp-dir-form');
    expect((await invokeCli('run', APP, '-i', INPUT, '-o', join(dir, 'out2.jsonl'), '--checkpoint-dir', cp, '--checkpoint-interval', '0')).code).toBe(0);
    const before = readdirSync(join(cp, 'Prices')).sort();
    expect(existsSync(join(cp, 'Prices.siddhi'))).toBe(true);
    const r = await invokeCli('query', cp, '--app', 'Prices', 'from Latest on price > 60 select symbol, price, volume');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('{"data":["IBM",76.5,300]}\n');
    // One app in the directory: --app may be left out.
    expect((await invokeCli('query', cp, 'from Latest select sum(volume) as total')).stdout).toBe('{"data":[500]}\n');
    expect(readdirSync(join(cp, 'Prices')).sort()).toEqual(before);

    const other = await invokeCli('query', cp, '--app', 'Nope', 'from Latest');
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("no app text for 'Nope'");
    const both = await invokeCli('query', cp, '--checkpoint-dir', cp, 'from Latest');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give either an app file with --checkpoint-dir or the checkpoint directory');
  });
});
