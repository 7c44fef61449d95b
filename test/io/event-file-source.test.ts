// The line reader's byte positions and the multi-stream JSON-lines file
// source whose position is a state cell: read part, checkpoint, restore into a
// new source and runtime, and the rest comes exactly once.

import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EventFileSource, SiddhiManager, type EventLine } from '../../src/index.js';
import { LineReader } from '../../src/io/sources/line-reader.js';
import { tempFiles } from '../temp-files.js';

const { file } = tempFiles('siddhi-event-file-');
const ev = (symbol: string, price: number, time?: number) => JSON.stringify({ stream: 'S', data: [symbol, price], ...(time !== undefined ? { time } : {}) });
const describeLine = (l: EventLine) => (l.kind === 'time' ? `t${l.time}` : `${l.data[0]}@${l.time}`);

describe('LineReader', () => {
  it('reads across 1 MB chunk boundaries (a CRLF split between chunks) with a BOM, CR, and a last line without an end', () => {
    const pad = 'x'.repeat((1 << 20) - 5);
    const path = file('chunks.txt', `\uFEFFabc\r${pad}\r\nlast\rno-eol`);
    const r = new LineReader(path);
    const lines: string[] = [];
    for (let l = r.next(); l !== undefined; l = r.next()) lines.push(l);
    r.close();
    expect(lines).toEqual(['abc', pad, 'last', 'no-eol']);
    expect(r.offset).toBe(Buffer.byteLength(`\uFEFFabc\r${pad}\r\nlast\rno-eol`));
  });

  it('resumes from the offset and line number it reported, multi-byte characters included', () => {
    const path = file('resume.txt', 'ä1\r\nö2\n\nü3\n');
    const a = new LineReader(path);
    expect([a.next(), a.next()]).toEqual(['ä1', 'ö2']);
    const at = { offset: a.offset, line: a.line };
    a.close();
    expect(at).toEqual({ offset: Buffer.byteLength('ä1\r\nö2\n'), line: 2 });
    const b = new LineReader(path, at);
    expect([b.next(), b.next(), b.next()]).toEqual(['', 'ü3', undefined]);
    expect(b.line).toBe(4);
    b.close();
  });

  it('while tailing, keeps a line without its end until the rest is written', () => {
    const path = file('tail.txt', 'one\ntw');
    const r = new LineReader(path);
    expect([r.next(false), r.next(false)]).toEqual(['one', undefined]);
    appendFileSync(path, 'o\n');
    expect(r.next(false)).toBe('two');
    expect(r.offset).toBe(8);
    r.close();
  });
});

describe('EventFileSource', () => {
  const a = file('a.jsonl', `${ev('A1', 1, 1000)}\n{"time":2500}\n${ev('A2', 2, 3000)}\n\n${ev('A3', 3, 5000)}\n`);
  const b = file('b.jsonl', `${ev('B1', 4, 2000)}\r\n${ev('B2', 5, 3000)}\r\n${ev('B3', 6, 4000)}\r\n`);
  const all = ['A1@1000', 'B1@2000', 't2500', 'A2@3000', 'B2@3000', 'B3@4000', 'A3@5000'];

  it('merges files by time (the earlier file first on ties) and resumes from a captured position exactly', () => {
    const whole = new EventFileSource([a, b]);
    expect(whole.playback).toBe(true);
    expect(whole.firstTime()).toBe(1000);
    expect([...whole].map(describeLine)).toEqual(all);
    whole.close();
    for (let k = 0; k <= all.length; k++) {
      const first = new EventFileSource([a, b]);
      for (let i = 0; i < k; i++) first.next();
      first.rejected = k % 2;
      const position = structuredClone(first.state.capture());
      first.close();
      const second = new EventFileSource([a, b]);
      second.state.restore(position);
      expect(second.resumed()).toEqual(position);
      expect(second.lines).toBe(k);
      expect(second.rejected).toBe(k % 2);
      expect([...second].map(describeLine), `resumed after ${k} lines`).toEqual(all.slice(k));
      second.close();
    }
  });

  it('refuses a position taken from other files, or from a file changed since', () => {
    const first = new EventFileSource([a, b]);
    first.next();
    first.next();
    const position = first.state.capture();
    first.close();
    const other = new EventFileSource([b, a]);
    other.state.restore(position);
    expect(() => other.resumed()).toThrow(/same input files/);
    other.close();
    const copy = file('copy.jsonl', `${ev('A1', 1, 1000)}\n`);
    const at = { files: [{ file: copy, offset: 5, line: 1 }], lines: 1, rejected: 0 };
    const changed = new EventFileSource([copy]);
    changed.state.restore(at);
    expect(() => changed.resumed()).toThrow(/copy.jsonl' changed since the checkpoint/);
    changed.close();
  });

  it('checks the clock rules as lines arrive, naming the line', () => {
    const mixed = new EventFileSource([file('mixed.jsonl', `${ev('A', 1)}\n${ev('B', 2, 100)}\n`)]);
    expect(mixed.playback).toBe(false);
    mixed.next();
    expect(() => mixed.next()).toThrow(/mixed.jsonl:1: an event without a "time", while .*mixed.jsonl:2 has one/);
    mixed.close();
    expect(() => new EventFileSource([file('bad.jsonl', '{"stream":1}\n')])).toThrow(/bad.jsonl:1: "stream" must be a string/);
  });

  it('is a runtime cell through sourceState: a restored runtime and source go on where the checkpoint was', async () => {
    const app = `define stream S (symbol string, price double);
      from S#window.length(2) select symbol, sum(price) as total insert into Out;`;
    const manager = new SiddhiManager();
    const run = (input: EventFileSource, lines: number) => {
      const runtime = manager.createSiddhiAppRuntime(app, { playback: input.playback, sourceState: { files: input.state } });
      const out: unknown[] = [];
      runtime.addCallback('Out', (es) => out.push(...es.map((e) => `${e.data[0]}:${e.data[1]}`)));
      runtime.start();
      const send = (n: number) => {
        for (let i = 0; i < n; i++) {
          const line = input.next();
          if (line === undefined) break;
          if (line.kind === 'time') runtime.advanceTime(line.time);
          else runtime.getInputHandler(line.stream).send(line.data, line.time);
        }
      };
      send(lines);
      return { runtime, out, send };
    };
    const reference = run(new EventFileSource([a, b]), Infinity);
    reference.runtime.shutdown();

    const first = run(new EventFileSource([a, b]), 3);
    const checkpoint = first.runtime.snapshot();
    first.send(2); // after the checkpoint: lost with the crash, read again below
    first.runtime.shutdown();
    const input = new EventFileSource([a, b]);
    const second = run(input, 0);
    second.runtime.restore(checkpoint);
    expect(input.lines).toBe(3);
    second.send(Infinity);
    second.runtime.shutdown();
    expect([...first.out.slice(0, 2), ...second.out]).toEqual(reference.out);
  });
});
