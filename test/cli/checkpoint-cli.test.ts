// `siddhi run --checkpoint-dir` resuming (in-process, crashes simulated by
// dropping checkpoints and appending stray output) and `siddhi checkpoints
// list|inspect`. The SIGKILL test is crash.test.ts.

import { appendFileSync, cpSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invokeCli, type CliResult } from './run-cli.js';
import { decodeCheckpoint } from '../../src/index.js';
import { tempFiles } from '../temp-files.js';

const { dir, file } = tempFiles('siddhi-cli-cp-');

const APP = file('app.siddhi', `@app:name('Resume')
define stream S (symbol string, price double);
from S#window.length(3) select symbol, sum(price) as total group by symbol insert into Sums;
from S#window.timeBatch(1 sec) select count() as n insert into Counts;
`);

const lines: string[] = [];
for (let i = 0; i < 80; i++) {
  if (i === 50) lines.push('{"stream":"S","data":["BAD"],"time":1050}');
  lines.push(JSON.stringify({ stream: 'S', data: [`s${i % 4}`, i + 0.5], time: 1000 + i * 37 }));
}
lines.push('{"time":20000}');
const INPUT = file('events.jsonl', `${lines.join('\n')}\n`);

let plainRun: Promise<string> | undefined;

/** The output of a plain run (no checkpoints), run once for the file. */
function reference(): Promise<string> {
  return (plainRun ??= (async () => {
    const out = join(dir, 'reference.jsonl');
    const r = await invokeCli('run', APP, '--input', INPUT, '--output', out);
    expect(r.code).toBe(1);
    return readFileSync(out, 'utf8');
  })());
}

let checkpointedRun: Promise<{ out: string; cp: string; r: CliResult }> | undefined;

/**
 * The run with a checkpoint after every event (cp-a, a.jsonl), run once for
 * the file: the tests that go on from its revisions work on copies.
 */
function checkpointed(): Promise<{ out: string; cp: string; r: CliResult }> {
  return (checkpointedRun ??= (async () => {
    const out = join(dir, 'a.jsonl');
    const cp = join(dir, 'cp-a');
    const r = await invokeCli('run', APP, '-i', INPUT, '-o', out, '--checkpoint-dir', cp, '--checkpoint-interval', '0');
    return { out, cp, r };
  })());
}

/** A copy of the checkpointed run's revisions and output, as `cp-<name>` and `<name>.jsonl` (the revisions record no output path). */
async function copyOfCheckpointed(name: string): Promise<{ out: string; cp: string }> {
  const run = await checkpointed();
  const copy = { out: join(dir, `${name}.jsonl`), cp: join(dir, `cp-${name}`) };
  cpSync(run.cp, copy.cp, { recursive: true });
  cpSync(run.out, copy.out);
  return copy;
}

function revisions(cpDir: string): string[] {
  return readdirSync(join(cpDir, 'Resume')).filter((n) => n.endsWith('.sdck')).sort();
}

describe('run --checkpoint-dir', () => {
  it('writes the same output as a plain run and records the positions', async () => {
    const expected = await reference();
    const { out, cp, r } = await checkpointed();
    expect(r.code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe(expected);
    expect(r.stderr).toMatch(/checkpoints: \d+ taken \(\d+ full, \d+ delta\)/);
    expect(r.stderr).toContain('capture pause');
    const inspect = await invokeCli('checkpoints', 'inspect', cp, '--json');
    const meta = JSON.parse(inspect.stdout).header.meta;
    expect(meta).toMatchObject({ outputBytes: Buffer.byteLength(expected), done: true });
    // The input's position is the file source's cell: every line and byte of the file read, the rejected one counted.
    const newest = revisions(cp).at(-1)!;
    const decoded = decodeCheckpoint(readFileSync(join(cp, 'Resume', newest)));
    const position = decoded.cells.find((c) => c.id === '@source:input-files');
    expect(position?.kind).toBe('source.file.lines');
    expect(position?.state).toEqual({ files: [{ file: INPUT, offset: statSync(INPUT).size, line: lines.length }], lines: lines.length, rejected: 1 });
  });

  it('resumes after a simulated crash: older checkpoint, stray output past it', async () => {
    const expected = await reference();
    // The completed run (exit 1: a rejected line), copied rather than run again.
    expect((await checkpointed()).r.code).toBe(1);
    const { out, cp } = await copyOfCheckpointed('b');
    const args = ['run', APP, '-i', INPUT, '-o', out, '--checkpoint-dir', cp, '--checkpoint-interval', '0', '--quiet'];
    // Back to a mid-run state: drop the newest revisions, and leave output written after the kept one.
    for (const rev of revisions(cp).slice(-2)) rmSync(join(cp, 'Resume', rev));
    appendFileSync(out, '{"stream":"Sums","partial line');
    const r = await invokeCli(...args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // the rejected line before the checkpoint still counts
    expect(readFileSync(out, 'utf8')).toBe(expected);
  });

  it('says so and changes nothing when the run already completed', async () => {
    const out = join(dir, 'c.jsonl');
    const cp = join(dir, 'cp-c');
    const args = ['run', APP, '-i', INPUT, '-o', out, '--checkpoint-dir', cp];
    await invokeCli(...args);
    const before = readFileSync(out, 'utf8');
    const count = revisions(cp).length;
    const r = await invokeCli(...args);
    expect(r.stderr).toContain('already complete');
    expect(readFileSync(out, 'utf8')).toBe(before);
    expect(revisions(cp).length).toBe(count);
  });

  it('refuses to resume with other input files or a changed app', async () => {
    const out = join(dir, 'd.jsonl');
    const cp = join(dir, 'cp-d');
    await invokeCli('run', APP, '-i', INPUT, '-o', out, '--checkpoint-dir', cp, '--quiet');
    const other = file('other.jsonl', '{"stream":"S","data":["x",1.0],"time":1}\n');
    const r1 = await invokeCli('run', APP, '-i', other, '-o', out, '--checkpoint-dir', cp);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain('same input files');
    const changed = file('changed.siddhi', readFileSync(APP, 'utf8').replace('length(3)', 'length(4)'));
    const r2 = await invokeCli('run', changed, '-i', INPUT, '-o', out, '--checkpoint-dir', cp);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('cannot resume');
  });

  it.each([
    ['without --output', ['--checkpoint-dir', 'x']],
    ['reading standard input', ['--checkpoint-dir', 'x', '-o', 'o.jsonl', '-i', '-']],
    ['with a bad interval', ['--checkpoint-dir', 'x', '-o', 'o.jsonl', '--checkpoint-interval', 'soon']],
    ['with an interval but no directory', ['--checkpoint-interval', '1s']],
  ])('is a usage error %s', async (_name, extra) => {
    const r = await invokeCli('run', APP, '-i', INPUT, ...extra);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toBe('');
  });
});

describe('checkpoints list / inspect', () => {
  const cp = join(dir, 'cp-e');
  // The same run as 'run --checkpoint-dir' checks, copied rather than run again.
  const ready = copyOfCheckpointed('e');

  it('lists revisions oldest first with chains, sizes and verdicts', async () => {
    await ready;
    const r = await invokeCli('checkpoints', 'list', cp);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("app 'Resume'");
    expect(r.stdout).toMatch(/restore point: \d{15}-\d{6}/);
    const json = JSON.parse((await invokeCli('checkpoints', 'list', cp, '--json')).stdout);
    const revs = json[0].revisions;
    expect(revs.map((x: { revision: string }) => x.revision)).toEqual(revisions(cp).map((n) => n.replace('.sdck', '')));
    expect(revs.every((x: { ok: boolean }) => x.ok)).toBe(true);
    expect(json[0].restorePoint).toBe(revs[revs.length - 1].revision);
  });

  it('inspects a revision: header, meta and every cell', async () => {
    await ready;
    const r = await invokeCli('checkpoints', 'inspect', cp);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('check        ok');
    expect(r.stdout).toMatch(/@clock\s+runtime\.clock\s+2/);
    expect(r.stdout).toContain('window.length');
    expect(r.stdout).toContain('"done":true');
  });

  it('shows the partition keys whose state a revision holds', async () => {
    const app = file('part.siddhi', `@app:name('Keys')
define stream S (symbol string, price double);
partition with (symbol of S) begin from S#window.length(2) select symbol, sum(price) as total insert into O; end;
`);
    const pcp = join(dir, 'cp-keys');
    await invokeCli('run', app, '-i', INPUT, '-o', join(dir, 'k.jsonl'), '--checkpoint-dir', pcp, '--checkpoint-interval', '0', '--quiet');
    // The first revision is full; a later delta holds only the keys an event reached since.
    const first = JSON.parse((await invokeCli('checkpoints', 'list', pcp, '--json')).stdout)[0].revisions[0].revision;
    const r = await invokeCli('checkpoints', 'inspect', pcp, first);
    expect(r.stdout).toContain('keys         4 partition key(s) with state here: s0, s1, s2, s3');
    expect(JSON.parse((await invokeCli('checkpoints', 'inspect', pcp, first, '--json')).stdout).keys).toEqual(['s0', 's1', 's2', 's3']);
  });

  it('reports a damaged file and the deltas that depend on it; exits 1', async () => {
    await ready;
    // A copy of the revisions `ready` wrote (rather than running again): the other tests read the originals.
    const copy = join(dir, 'cp-damaged');
    cpSync(cp, copy, { recursive: true });
    const json = JSON.parse((await invokeCli('checkpoints', 'list', copy, '--json')).stdout);
    const revs: { revision: string; mode: string; parent: string | null }[] = json[0].revisions;
    const delta = revs.find((x) => x.mode === 'delta' && revs.some((y) => y.revision === x.parent));
    const victim = delta ? delta.parent! : revs[revs.length - 1]!.revision;
    const path = join(copy, 'Resume', `${victim}.sdck`);
    const bytes = readFileSync(path);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(path, bytes);
    const r = await invokeCli('checkpoints', 'list', copy);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/DAMAGED: .*checksum/);
    if (delta) expect(r.stdout).toContain(`its chain needs ${victim}, which is damaged`);
    const i = await invokeCli('checkpoints', 'inspect', copy, victim);
    expect(i.code).toBe(1);
    expect(i.stdout).toContain('DAMAGED');
  });

  it('is a usage error without a directory, with an unknown action or revision', async () => {
    await ready;
    expect((await invokeCli('checkpoints', 'list')).code).toBe(2);
    expect((await invokeCli('checkpoints', 'frob', cp)).code).toBe(2);
    expect((await invokeCli('checkpoints', 'inspect', cp, '000-000')).code).toBe(2);
    expect((await invokeCli('checkpoints', 'list', join(dir, 'nowhere'))).code).toBe(2);
  });
});
