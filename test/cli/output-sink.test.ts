// The stdout sink of `siddhi run` keeps its backlog bounded: when the stream
// says it is full, the run waits for 'drain' before sending the next line.

import { describe, expect, it } from 'vitest';
import { openStdoutSink } from '../../src/cli/output-sink.js';

/** A stdout whose buffer is full until drain() is called. */
function slowStdout() {
  const listeners = new Map<string, (() => void)[]>();
  const written: string[] = [];
  return {
    written,
    write: (text: string) => {
      written.push(text);
      return false;
    },
    once: (event: string, listener: () => void) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
    },
    emit: (event: string) => {
      const ls = listeners.get(event) ?? [];
      listeners.delete(event);
      for (const l of ls) l();
    },
  };
}

describe('the stdout sink', () => {
  it('reports a backlog while the stream is full, and clears it on drain', async () => {
    const out = slowStdout();
    const sink = openStdoutSink({ stdout: out, stderr: { write: () => true } });
    for (let i = 0; i < 1023; i++) sink.write(`${i}\n`);
    expect(sink.backlog!()).toBeUndefined();
    sink.write('1023\n');
    expect(out.written).toHaveLength(1);
    const wait = sink.backlog!();
    expect(wait).toBeInstanceOf(Promise);
    let drained = false;
    void wait!.then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    out.emit('drain');
    await wait;
    expect(drained).toBe(true);
    expect(sink.backlog!()).toBeUndefined();
  });

  it('does not wait forever for a reader that went away', async () => {
    const out = slowStdout();
    const sink = openStdoutSink({ stdout: out, stderr: { write: () => true } });
    for (let i = 0; i < 1024; i++) sink.write('x\n');
    const wait = sink.backlog!();
    out.emit('close');
    await expect(wait).resolves.toBeUndefined();
  });

  it('writes to a plain collector without waiting', () => {
    let text = '';
    const sink = openStdoutSink({ stdout: { write: (t: string) => (text += t) }, stderr: { write: () => true } });
    for (let i = 0; i < 2000; i++) sink.write('y\n');
    sink.close();
    expect(text).toBe('y\n'.repeat(2000));
    expect(sink.backlog!()).toBeUndefined();
  });
});
