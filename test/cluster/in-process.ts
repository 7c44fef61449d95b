// Test helper for scale-out in one process: input lines as the router takes
// them, a runtime factory for in-process workers (a warning fails the test),
// and what one process outputs for the same lines: the lines 'siddhi run'
// writes, by its own run-lines.ts connect() (a float as 55.6, not as the double
// it is held as), which RedisBroker.output must give back exactly.

import { SiddhiManager } from '../../src/index.js';
import { fingerprintOf, type RouterLine, type RuntimeFactory } from '../../src/cluster/index.js';
import { connect } from '../../src/cli/run-lines.js';

/** A JSON input line (`{"stream",…}` or `{"time"}`) as a router line. */
export function toRouterLine(text: string): RouterLine {
  const v = JSON.parse(text) as { stream?: string; data?: unknown[]; time: number };
  return v.stream === undefined ? { kind: 'time', time: v.time, origin: '' } : { kind: 'event', stream: v.stream, data: v.data!, time: v.time, origin: '' };
}

export function factoryOf(name: string, text: string, partitions: number, streams: readonly string[]): RuntimeFactory {
  const manager = new SiddhiManager();
  return {
    app: name,
    fingerprint: fingerprintOf(text, partitions),
    partitions,
    streams,
    create: (options) => manager.createSiddhiAppRuntime(text, { ...options, playback: true }),
    warn: (p, message) => {
      throw new Error(`partition ${p}: ${message}`);
    },
  };
}

/** The lines one process writes for `lines`. */
export function referenceOutput(text: string, streams: readonly string[], lines: readonly RouterLine[]): string[] {
  const out: string[] = [];
  const rt = new SiddhiManager().createSiddhiAppRuntime(text, { playback: true });
  const errors: string[] = [];
  const status = connect(rt, streams, (line) => out.push(line.slice(0, -1)), { stdout: { write: () => true }, stderr: { write: (t: string) => errors.push(t) } });
  rt.start();
  for (const l of lines) {
    if (l.kind === 'time') rt.advanceTime(l.time);
    else rt.getInputHandler(l.stream).send(l.data, l.time);
  }
  rt.shutdown();
  if (errors.length > 0 || status.unwritable > 0) throw new Error(`the single-process run reported: ${errors.join('')}`);
  return out;
}
